"""Test-only territories. Codes start with 00, which no real INSEE code does, and names say they are fictitious."""
import datetime

import factory

from territoires.models import EPCI, CodePostal, Commune, Departement, Region
from territoires.normalisation import normaliser_nom
from zonages.models import Classement, Zonage

# A small square near Toulouse, for tests that need an outline. Not a real commune's outline.
CARRE_DE_TEST = {
    "type": "Polygon",
    "coordinates": [[[1.40, 43.58], [1.46, 43.58], [1.46, 43.62], [1.40, 43.62], [1.40, 43.58]]],
}


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "00"
    nom = "Région fictive de test"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "00"
    nom = "Département fictif de test"
    region = factory.SubFactory(RegionFactory)


class EPCIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EPCI

    code = factory.Sequence(lambda n: f"000{n:06d}")
    nom = factory.Sequence(lambda n: f"CC fictive de test {n}")
    type = "CC"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        skip_postgeneration_save = True  # postal codes are separate rows: the commune needs no second save

    code_insee = factory.Sequence(lambda n: f"00{n:03d}")
    nom = factory.Sequence(lambda n: f"Commune fictive {n}")
    nom_normalise = factory.LazyAttribute(lambda o: normaliser_nom(o.nom))
    departement = factory.SubFactory(DepartementFactory)
    epci = factory.SubFactory(EPCIFactory)
    population = 1000

    @factory.post_generation
    def codes_postaux(self, create, codes, **kwargs):
        for code in codes or []:
            CodePostal.objects.create(code=code, commune=self)


def version(niveau: str, debut: datetime.date, type_="medecin", fin=None, communes=("34032",)) -> Zonage:
    """A test-only zonage version (draft) classing `communes` at `niveau`: not a real arrêté."""
    zonage = Zonage.objects.create(type=type_, reference=f"Arrêté de test du {debut}", valid_from=debut, valid_to=fin)
    Classement.objects.bulk_create([Classement(zonage=zonage, commune_id=c, niveau=niveau) for c in communes])
    return zonage
