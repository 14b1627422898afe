"""Test-only territories. Codes start with 00, which no real INSEE code does, and names say they are fictitious."""
import datetime

import factory

from territoires.models import EPCI, CodePostal, Commune, Departement, Region
from territoires.normalisation import normaliser_nom
from zonages.models import QPV, Classement, Zonage

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


def carre(ouest: float, sud: float, est: float, nord: float) -> dict:
    """A test-only square outline (GeoJSON Polygon): no real territory's."""
    return {"type": "Polygon", "coordinates": [[[ouest, sud], [est, sud], [est, nord], [ouest, nord], [ouest, sud]]]}


# Test-only squares: one for a département of region 84 (east of Lyon), one for a commune near Toulouse.
CARRE_84 = carre(4.8, 45.7, 5.0, 45.9)
CARRE_76 = carre(1.40, 43.58, 1.46, 43.62)


def territoires_de_deux_regions():
    """For a portal serving 76 and 84 (PAPS_REGIONS="76,84"): region 84 (the real code and name of
    Auvergne-Rhône-Alpes, with none of its real data) and, in it, a test département « 00 » outlined by CARRE_84
    with one test commune 00001; in Occitanie, a test département « 000 » without outline, whose test communes
    00002 (outlined by CARRE_76) and 00003 have points. The served extent is then [[43.1, 1.43], [45.9, 5.0]]."""
    auvergne = Region.objects.get_or_create(code="84", defaults={"nom": "Auvergne-Rhône-Alpes"})[0]
    lyonnais = DepartementFactory(code="00", nom="Département fictif de test (84)", region=auvergne, contour=CARRE_84)
    CommuneFactory(code_insee="00001", nom="Commune fictive de test (84)", departement=lyonnais, contour=CARRE_84,
                   latitude=45.8, longitude=4.9, population=2000)
    occitan = DepartementFactory(code="000", nom="Département fictif de test (76)", region_id="76")
    CommuneFactory(code_insee="00002", nom="Commune fictive de test (76)", departement=occitan, contour=CARRE_76,
                   latitude=43.6, longitude=1.43)
    CommuneFactory(code_insee="00003", nom="Autre commune fictive de test (76)", departement=occitan,
                   latitude=43.1, longitude=2.2)


class QPVFactory(factory.django.DjangoModelFactory):
    """A test-only QPV (code QPTEST…, a square); `communes=[…]` links it to communes."""

    class Meta:
        model = QPV
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"QPTEST{n:04d}")
    nom = factory.Sequence(lambda n: f"Quartier fictif de test {n}")
    geometrie = factory.LazyFunction(lambda: carre(1.44, 43.60, 1.45, 43.61))
    valid_from = datetime.date(2024, 1, 1)

    @factory.post_generation
    def communes(self, create, communes, **kwargs):
        if communes:
            self.communes.set(communes)


def version(niveau: str, debut: datetime.date, type_="medecin", fin=None, communes=("34032",)) -> Zonage:
    """A test-only zonage version (draft) classing `communes` at `niveau`: not a real arrêté."""
    zonage = Zonage.objects.create(type=type_, reference=f"Arrêté de test du {debut}", valid_from=debut, valid_to=fin)
    Classement.objects.bulk_create([Classement(zonage=zonage, commune_id=c, niveau=niveau) for c in communes])
    return zonage
