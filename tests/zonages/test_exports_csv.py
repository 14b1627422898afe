"""CSV exports (annex of a version, difference between versions, the map's table, the API's classification) neutralise formulas: a commune
name crafted as a formula comes out as text. The commune is a test-only one (code 00…) in the real Hérault."""
import csv
import datetime
import io

import pytest

from territoires.models import Departement
from tests.factories import CommuneFactory, version
from zonages.differences import difference
from zonages.exports import csv_difference, csv_version
from zonages.publication import publier

pytestmark = pytest.mark.django_db
FORMULE = '=HYPERLINK("https://exemple.invalid";"Commune fictive")'


def lire(texte: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";"))


@pytest.fixture
def commune_piegee():
    return CommuneFactory(nom=FORMULE, departement=Departement.objects.get(code="34"), population=120)


def test_annexe_et_difference(commune_piegee):
    avant = version("ZAC", datetime.date(2022, 5, 7), communes=(commune_piegee.code_insee,))
    apres = version("ZIP", datetime.date(2026, 1, 1), communes=(commune_piegee.code_insee,))
    assert lire(csv_version(avant))[1] == [commune_piegee.code_insee, "'" + FORMULE, "34", "ZAC",
                                           "Zone d'action complémentaire"]
    ligne = lire(csv_difference(difference(avant, apres)))[1]
    assert ligne[:4] == [commune_piegee.code_insee, "'" + FORMULE, "34", "120"]


def test_tableau_de_la_carte(client, commune_piegee):
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=(commune_piegee.code_insee,)))
    reponse = client.get("/zonages/tableau.csv", {"departement": "34"})
    ligne = next(ligne for ligne in lire(reponse.content.decode("utf-8")) if ligne[0] == commune_piegee.code_insee)
    assert ligne == [commune_piegee.code_insee, "'" + FORMULE, "34", "Hérault", "120", "ZIP",
                     "Zone d'intervention prioritaire"]


def test_classement_de_l_api_en_csv(client, commune_piegee):
    zonage = version("ZIP", datetime.date(2022, 5, 7), communes=(commune_piegee.code_insee,))
    publier(zonage)
    reponse = client.get(f"/api/v1/zonages/{zonage.pk}/", {"format": "csv"})
    lignes = lire(b"".join(reponse.streaming_content).decode("utf-8"))
    assert lignes[1][:2] == [commune_piegee.code_insee, "'" + FORMULE]
