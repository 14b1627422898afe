"""API contract: /api/v1/zonages/, /api/v1/communes/<code>/zonages/, /api/v1/qpv/."""
import datetime
from html import unescape

import pytest
from rest_framework.test import APIClient

from tests.factories import version
from zonages.models import QPV
from zonages.niveaux import TYPES
from zonages.publication import publier

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def versions():
    ancienne = version("ZAC", D(2018, 10, 1), communes=("34032", "31555", "48095"))
    publier(ancienne)
    actuelle = version("ZIP", D(2022, 5, 7), communes=("34032", "31555", "48095"))
    publier(actuelle)
    brouillon = version("ZAR", D(2026, 1, 1), communes=("34032",))
    return ancienne, actuelle, brouillon


def test_liste_des_versions_publiees(api, versions):
    ancienne, actuelle, brouillon = versions
    corps = api.get("/api/v1/zonages/").json()
    assert [v["id"] for v in corps["results"]] == [actuelle.pk, ancienne.pk]  # never the draft
    premiere = corps["results"][0]
    assert set(premiere) == {"id", "type", "type_libelle", "reference", "valid_from", "valid_to", "statut",
                             "note_source", "niveaux"}
    assert premiere["niveaux"][0] == {"code": "ZIP", "libelle": "Zone d'intervention prioritaire"}


def test_filtres_type_date_statut(api, versions):
    ancienne, actuelle, _ = versions
    assert [v["id"] for v in api.get("/api/v1/zonages/?date=2020-01-01").json()["results"]] == [ancienne.pk]
    assert [v["id"] for v in api.get("/api/v1/zonages/?date=2022-05-07&type=medecin").json()["results"]] == [actuelle.pk]
    assert api.get("/api/v1/zonages/?type=infirmier").json()["count"] == 0


@pytest.mark.parametrize("parametres, fautif", [({"date": "hier"}, "date"), ({"type": "plombier"}, "type"),
                                                ({"statut": "perdu"}, "statut")])
def test_filtres_invalides_400(api, versions, parametres, fautif):
    reponse = api.get("/api/v1/zonages/", parametres)
    assert reponse.status_code == 400 and fautif in reponse.json()


def test_detail_avec_classement_pagine_et_filtre(api, versions):
    _, actuelle, brouillon = versions
    corps = api.get(f"/api/v1/zonages/{actuelle.pk}/?departement=34").json()
    assert corps["reference"] == actuelle.reference
    assert corps["classement"]["count"] == 1
    assert corps["classement"]["results"] == [{"code_insee": "34032", "commune": "Béziers", "departement": "34",
                                               "niveau": "ZIP", "libelle": "Zone d'intervention prioritaire"}]
    assert api.get(f"/api/v1/zonages/{actuelle.pk}/?niveau=ZAC").json()["classement"]["count"] == 0
    assert api.get(f"/api/v1/zonages/{brouillon.pk}/").status_code == 404
    assert api.get("/api/v1/zonages/999999/").status_code == 404


def test_detail_en_csv(api, versions):
    _, actuelle, _ = versions
    reponse = api.get(f"/api/v1/zonages/{actuelle.pk}/?format=csv")
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/csv")
    lignes = b"".join(reponse.streaming_content).decode("utf-8-sig").splitlines()
    assert lignes[0] == "code_insee;commune;departement;niveau;libelle"
    assert "34032;Béziers;34;ZIP;Zone d'intervention prioritaire" in lignes
    assert len(lignes) == 4


def test_zonages_d_une_commune_a_une_date(api, versions):
    corps = api.get("/api/v1/communes/34032/zonages/?date=2022-05-06").json()
    assert corps["commune"] == {"code_insee": "34032", "nom": "Béziers", "departement": "34"}
    assert corps["date"] == "2022-05-06"
    assert set(corps["zonages"]) == set(TYPES)
    medecin = corps["zonages"]["medecin"]
    assert medecin["niveau"] == "ZAC" and medecin["valid_from"] == "2018-10-01" and medecin["valid_to"] == "2022-05-06"
    assert corps["zonages"]["infirmier"]["niveau"] is None
    assert corps["qpv"] == []
    assert api.get("/api/v1/communes/34032/zonages/?date=2022-05-07").json()["zonages"]["medecin"]["niveau"] == "ZIP"


def test_zonages_d_une_commune_erreurs(api):
    reponse = api.get("/api/v1/communes/34032/zonages/?date=2022-02-30")
    assert reponse.status_code == 400 and "date" in reponse.json()
    assert api.get("/api/v1/communes/99999/zonages/").status_code == 404


def test_zonages_d_une_commune_en_peu_de_requetes(api, versions, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # commune, cache generations, classements, QPV
        api.get("/api/v1/communes/34032/zonages/")


def test_qpv_au_point(api):
    QPV.objects.create(code="QPTEST001", nom="Quartier de test", valid_from=D(2024, 1, 1), geometrie={
        "type": "Polygon", "coordinates": [[[3.87, 43.60], [3.88, 43.60], [3.88, 43.61], [3.87, 43.61], [3.87, 43.60]]]})
    corps = api.get("/api/v1/qpv/?lon=3.875&lat=43.605").json()
    assert [q["code"] for q in corps["qpv"]] == ["QPTEST001"]
    assert api.get("/api/v1/qpv/?lon=3.9&lat=43.7").json()["qpv"] == []


@pytest.mark.parametrize("parametres, fautif", [({"lon": "abc", "lat": "43"}, "lon"), ({"lat": "43"}, "lon"),
                                                ({"lon": "3", "lat": "95"}, "lat"), ({"lon": "3", "lat": "43", "date": "x"}, "date")])
def test_qpv_parametres_invalides(api, parametres, fautif):
    reponse = api.get("/api/v1/qpv/", parametres)
    assert reponse.status_code == 400 and fautif in reponse.json()


def test_schema_decrit_les_endpoints_de_zonage(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for chemin in ["/api/v1/zonages/", "/api/v1/zonages/{id}/", "/api/v1/communes/{code_insee}/zonages/", "/api/v1/qpv/"]:
        assert chemin in schema["paths"], chemin
    # A version's type and status are closed vocabularies, in the list and in the classification alike.
    composants = schema["components"]["schemas"]
    for composant in ("Zonage", "ZonageClassement"):
        proprietes = composants[composant]["properties"]
        assert proprietes["type"]["allOf"] == [{"$ref": "#/components/schemas/ZonageTypeEnum"}]
        assert proprietes["statut"]["allOf"] == [{"$ref": "#/components/schemas/ZonageStatutEnum"}]
        assert set(proprietes) <= set(composants[composant]["required"])
    assert {"medecin", "infirmier", "montagne", "zrr"} <= set(composants["ZonageTypeEnum"]["enum"])


def test_page_commune_affiche_les_zonages_a_la_date_choisie(client, versions):
    html = unescape(client.get("/communes/34032/?date=2022-05-06").content.decode())
    assert "Zonages en vigueur le 6 mai 2022" in html
    assert "Zone d'action complémentaire" in html and "En vigueur du 01/10/2018 au 06/05/2022" in html
    assert "Aucun QPV connu" in html
    html = unescape(client.get("/communes/34032/").content.decode())
    assert "Zonages en vigueur aujourd'hui" in html and "Zone d'intervention prioritaire" in html


def test_page_commune_date_invalide(client, versions):
    reponse = client.get("/communes/34032/?date=demain")
    assert reponse.status_code == 400
    assert "n'est pas une date valide" in unescape(reponse.content.decode())
