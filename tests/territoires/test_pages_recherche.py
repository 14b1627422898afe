"""The commune search page (without JavaScript) and the autocomplete's suggestions."""

import pytest

from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def points_reels():
    """The real outlines and representative points (the session's fixture has neither)."""
    charger_territoires(DONNEES_REELLES)


def test_recherche_sans_javascript(client):
    reponse = client.get("/communes/", {"q": "saint jean du gard"})
    assert reponse.status_code == 200
    resultats = list(reponse.context["page_obj"])
    assert resultats[0].code_insee == "30269"
    assert 'href="/communes/30269/"' in reponse.content.decode()


def test_recherche_filtree_par_departement_et_paginee(client):
    reponse = client.get("/communes/", {"q": "saint", "departement": "31"})
    page = reponse.context["page_obj"]
    assert page.paginator.count > 20
    assert {c.departement_id for c in page} == {"31"}
    assert "fr-pagination" in reponse.content.decode()


def test_recherche_sans_resultat(client):
    reponse = client.get("/communes/", {"q": "zzzzqqq"})
    assert reponse.status_code == 200
    assert "Aucune commune ne correspond à « zzzzqqq »" in reponse.content.decode()


def test_recherche_departement_invalide_message_et_400(client):
    reponse = client.get("/communes/", {"departement": "99"})
    assert reponse.status_code == 400
    assert "fr-error-text" in reponse.content.decode()


def test_suggestions_pour_l_autocompletion(client):
    reponse = client.get("/communes/suggestions/", {"q": "beziers"})
    assert reponse.status_code == 200
    premier = reponse.json()["resultats"][0]
    assert premier == {"type": "commune", "code_insee": "34032", "nom": "Béziers", "departement": "Hérault (34)",
                       "codes_postaux": ["34500"], "url": "/communes/34032/"}
    assert len(client.get("/communes/suggestions/", {"q": "saint"}).json()["resultats"]) == 8
    assert client.get("/communes/suggestions/", {"q": ""}).json() == {"resultats": []}


# --- Départements and "autour de" ----------------------------------------------------------------------------------

@pytest.mark.parametrize("requete", ["lozère", "Lozere", "LOZÈRE", "48", "loz"])
def test_un_departement_par_son_nom_ou_son_code(client, requete):
    reponse = client.get("/communes/", {"q": requete})
    assert [d.code for d in reponse.context["departements"]] == ["48"]
    assert 'href="/departements/48/"' in reponse.content.decode()


def test_les_communes_qui_portent_le_nom_restent_listees(client):
    reponse = client.get("/communes/", {"q": "lozère"})
    assert {c.code_insee for c in reponse.context["page_obj"]} == {"48027", "48116"}  # « Mont Lozère et Goulet »…


def test_suggestions_d_un_departement_d_abord(client):
    resultats = client.get("/communes/suggestions/", {"q": "lozere"}).json()["resultats"]
    assert resultats[0] == {"type": "departement", "code": "48", "nom": "Lozère", "departement": "Département (48)",
                            "codes_postaux": [], "url": "/departements/48/"}
    assert {r["type"] for r in resultats[1:]} == {"commune"}


def test_autour_de_rodez_redirige_vers_une_recherche_par_distance(client, points_reels):
    reponse = client.get("/communes/", {"q": "autour de rodez"})
    assert reponse.status_code == 302 and reponse["Location"] == "/communes/?autour=12202&rayon=20"
    assert client.get("/communes/", {"q": "près de Mende", "rayon": "10"})["Location"] == \
        "/communes/?autour=48095&rayon=10"
    suggestions = client.get("/communes/suggestions/", {"q": "autour de rod"}).json()["resultats"]
    assert suggestions[0]["nom"] == "Autour de Rodez" and suggestions[0]["url"] == "/communes/?autour=12202&rayon=20"


def test_autour_d_une_commune_les_plus_proches_d_abord(client, points_reels):
    from territoires.proximite import autour_de

    reponse = client.get("/communes/", {"autour": "12202", "rayon": "10"})
    assert reponse.status_code == 200
    communes = list(reponse.context["page_obj"])
    attendues = autour_de("12202", 10)
    assert [c.code_insee for c in communes] == [v.code_insee for v in attendues][:20]
    assert communes[0].code_insee == "12202" and communes[0].distance_km == 0
    assert [c.distance_km for c in communes] == sorted(c.distance_km for c in communes)
    assert all(c.distance_km <= 10 for c in communes)
    page = reponse.content.decode()
    assert f"{reponse.context['page_obj'].paginator.count} communes à moins de 10 km de Rodez" in page
    assert "point de départ" in page


def test_autour_d_une_commune_inconnue_ou_trop_loin(client, points_reels):
    assert client.get("/communes/", {"autour": "99999"}).status_code == 400
    assert client.get("/communes/", {"autour": "12202", "rayon": "500"}).status_code == 400
    inconnue = client.get("/communes/", {"q": "autour de zzzzqqq"})
    assert inconnue.status_code == 200 and "Aucune commune ne correspond à « zzzzqqq »" in inconnue.content.decode()


def test_l_api_des_communes_cherche_aussi_autour(client, points_reels):
    corps = client.get("/api/v1/communes/", {"autour": "12202", "rayon": "5"}).json()
    codes = [c["code_insee"] for c in corps["results"]]
    assert codes[0] == "12202" and len(codes) > 1
