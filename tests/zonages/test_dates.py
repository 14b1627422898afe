"""Publication without overlap, and "as of date D" lookups at the boundaries."""
import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import version
from zonages.consultation import version_en_vigueur, zonage_de, zonages_de
from zonages.models import Zonage
from zonages.niveaux import TYPES
from zonages.publication import publier

pytestmark = pytest.mark.django_db
D = datetime.date


def test_publier_termine_la_version_en_vigueur_la_veille():
    v1 = version("ZAC", D(2018, 10, 1))
    publier(v1)
    v2 = version("ZIP", D(2022, 5, 7))
    terminee = publier(v2)
    v1.refresh_from_db()
    assert terminee == v1
    assert v1.valid_to == D(2022, 5, 6)
    assert v2.statut == Zonage.Statut.PUBLIE


def test_limites_de_dates():
    publier(version("ZAC", D(2018, 10, 1)))
    publier(version("ZIP", D(2022, 5, 7)))
    assert zonage_de("34032", "medecin", D(2018, 9, 30)).niveau is None
    assert zonage_de("34032", "medecin", D(2018, 10, 1)).niveau == "ZAC"
    assert zonage_de("34032", "medecin", D(2022, 5, 6)).niveau == "ZAC"
    assert zonage_de("34032", "medecin", D(2022, 5, 7)).niveau == "ZIP"
    assert zonage_de("34032", "medecin", D(2099, 1, 1)).niveau == "ZIP"
    assert zonage_de("34032", "medecin", D(2022, 5, 7)).libelle == "Zone d'intervention prioritaire"


def test_version_a_duree_limitee():
    publier(version("C", D(2017, 7, 1), type_="zrr", fin=D(2024, 6, 30)))
    assert zonage_de("34032", "zrr", D(2024, 6, 30)).niveau == "C"
    assert zonage_de("34032", "zrr", D(2024, 7, 1)).niveau is None


def test_brouillon_jamais_visible():
    version("ZIP", D(2020, 1, 1))
    assert zonage_de("34032", "medecin", D(2021, 1, 1)).niveau is None
    assert version_en_vigueur("medecin", D(2021, 1, 1)) is None


def test_publier_avant_une_version_posterieure_refuse():
    publier(version("ZIP", D(2022, 5, 7)))
    ancienne = version("ZAC", D(2018, 10, 1))
    with pytest.raises(ValidationError, match="Une version publiée commence déjà le 07/05/2022"):
        publier(ancienne)
    assert Zonage.objects.get(pk=ancienne.pk).statut == Zonage.Statut.BROUILLON


def test_publier_a_une_date_d_effet_choisie():
    v1 = version("ZAC", D(2018, 10, 1))
    publier(v1)
    v2 = version("ZIP", D(2025, 1, 1))
    publier(v2, date_effet=D(2025, 11, 1))
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.valid_to, v2.valid_from) == (D(2025, 10, 31), D(2025, 11, 1))


def test_publier_deux_fois_ou_vide_refuse():
    v = version("ZIP", D(2022, 5, 7))
    publier(v)
    with pytest.raises(ValidationError, match="déjà publiée"):
        publier(v)
    vide = Zonage.objects.create(type="infirmier", reference="vide", valid_from=D(2024, 1, 1))
    with pytest.raises(ValidationError, match="aucune commune"):
        publier(vide)


def test_aucune_version_publiee_ne_se_chevauche():
    for debut in [D(2010, 1, 1), D(2018, 10, 1), D(2022, 5, 7), D(2025, 11, 1)]:
        publier(version("ZAC", debut))
    periodes = list(Zonage.objects.filter(statut="publie", type="medecin").order_by("valid_from")
                    .values_list("valid_from", "valid_to"))
    for (debut, fin), (debut_suivant, _) in zip(periodes, periodes[1:]):
        assert fin == debut_suivant - datetime.timedelta(days=1)
    assert periodes[-1][1] is None


def test_tous_les_types_en_une_requete(django_assert_num_queries):
    publier(version("ZIP", D(2022, 5, 7)))
    publier(version("C", D(1985, 1, 9), type_="montagne"))
    with django_assert_num_queries(2):  # the cache generations, then every type in one query
        zonages = zonages_de("34032", D(2023, 1, 1))
    assert set(zonages) == set(TYPES)
    assert zonages["medecin"].niveau == "ZIP" and zonages["montagne"].niveau == "C"
    assert zonages["infirmier"].niveau is None and zonages["infirmier"].zonage is None


def test_un_type_une_requete(django_assert_num_queries):
    publier(version("ZIP", D(2022, 5, 7)))
    with django_assert_num_queries(2):  # the cache generations, then the classement
        zonage_de("34032", "medecin", D(2023, 1, 1))
