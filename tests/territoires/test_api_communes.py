"""API contract for /api/v1/communes/."""
import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

CHAMPS_LISTE = {"code_insee", "nom", "departement", "epci", "codes_postaux", "population", "longitude", "latitude",
                "url", "page"}


@pytest.fixture
def api():
    return APIClient()


def test_liste_paginee_et_champs(api):
    reponse = api.get("/api/v1/communes/")
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["count"] == 4446
    assert len(corps["results"]) == 20
    assert corps["next"].endswith("/api/v1/communes/?page=2")
    assert corps["previous"] is None
    premiere = corps["results"][0]
    assert set(premiere) == CHAMPS_LISTE
    assert set(premiere["departement"]) == {"code", "nom"}
    assert "contour" not in premiere


def test_taille_de_page(api):
    corps = api.get("/api/v1/communes/?page_size=100&page=2").json()
    assert len(corps["results"]) == 100
    assert corps["previous"] is not None


def test_recherche_meme_classement_que_le_site(api):
    corps = api.get("/api/v1/communes/", {"q": "St-Jean"}).json()
    assert corps["results"][0]["nom"] == "Saint-Jean"
    corps = api.get("/api/v1/communes/", {"q": "beziers"}).json()
    assert corps["results"][0]["code_insee"] == "34032"
    assert corps["results"][0]["codes_postaux"] == ["34500"]


def test_filtres_departement_et_epci(api):
    corps = api.get("/api/v1/communes/", {"departement": "48", "page_size": 100}).json()
    assert corps["count"] == 152  # Lozère
    assert {c["departement"]["code"] for c in corps["results"]} == {"48"}
    epci = api.get("/api/v1/communes/34032/").json()["epci"]["code"]
    corps = api.get("/api/v1/communes/", {"epci": epci, "q": "bez"}).json()
    assert [c["code_insee"] for c in corps["results"]][0] == "34032"
    assert all(c["epci"]["code"] == epci for c in corps["results"])


@pytest.mark.parametrize("parametres, fautif", [
    ({"departement": "99"}, "departement"),
    ({"epci": "pas-un-siren"}, "epci"),
    ({"page": "abc"}, "page"),
    ({"page": "0"}, "page"),
    ({"page_size": "1000"}, "page_size"),
    ({"page_size": "-3"}, "page_size"),
    ({"q": "x" * 101}, "q"),
])
def test_parametre_invalide_400_qui_le_nomme(api, parametres, fautif):
    reponse = api.get("/api/v1/communes/", parametres)
    assert reponse.status_code == 400
    assert fautif in reponse.json()


def test_page_au_dela_de_la_fin_404(api):
    assert api.get("/api/v1/communes/?page=9999").status_code == 404


def test_detail(api):
    reponse = api.get("/api/v1/communes/09030/")
    assert reponse.status_code == 200
    corps = reponse.json()
    assert set(corps) == CHAMPS_LISTE | {"region", "contour", "communes_rattachees"}
    assert corps["nom"] == "Auzat"
    assert corps["region"] == "Occitanie"
    assert {"code": "09278", "nom": "", "type": "ancienne"} in corps["communes_rattachees"]
    assert corps["page"].endswith("/communes/09030/")


def test_detail_code_inconnu_404_json(api):
    reponse = api.get("/api/v1/communes/99999/")
    assert reponse.status_code == 404
    assert reponse.json() == {"detail": "Aucune commune n'a le code INSEE 99999."}


def test_detail_ancien_code_indique_la_commune_actuelle(api):
    reponse = api.get("/api/v1/communes/09278/")
    assert reponse.status_code == 404
    assert reponse.json()["commune_actuelle"] == "09030"


def test_lecture_seule_pour_les_anonymes(api):
    assert api.post("/api/v1/communes/", {"code_insee": "00001"}).status_code in {401, 403, 405}
    assert api.delete("/api/v1/communes/34032/").status_code in {401, 403, 405}


def test_nombre_de_requetes_borne(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # count, page, postal codes
        api.get("/api/v1/communes/?q=saint&page_size=100")
    with django_assert_max_num_queries(3):  # commune with its relations, postal codes, former codes
        api.get("/api/v1/communes/34032/")


def test_schema_openapi_decrit_les_parametres(api):
    reponse = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert reponse.status_code == 200
    schema = reponse.json()
    operation = schema["paths"]["/api/v1/communes/"]["get"]
    parametres = {p["name"] for p in operation["parameters"]}
    assert {"q", "departement", "epci", "page", "page_size"} <= parametres
    assert operation["summary"]
    detail = schema["paths"]["/api/v1/communes/{code_insee}/"]["get"]
    assert {"200", "404"} <= set(detail["responses"])


def test_documentation_interactive(client):
    reponse = client.get("/api/v1/docs/")
    assert reponse.status_code == 200
    assert b"swagger" in reponse.content.lower()


def test_limitation_de_debit_des_anonymes(api, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuts = [api.get("/api/v1/communes/34032/").status_code for _ in range(4)]
    assert statuts == [200, 200, 200, 429]
