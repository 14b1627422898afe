"""The commune search page (without JavaScript) and the autocomplete's suggestions."""

import pytest

pytestmark = pytest.mark.django_db


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
    assert premier == {"code_insee": "34032", "nom": "Béziers", "departement": "Hérault (34)",
                       "codes_postaux": ["34500"], "url": "/communes/34032/"}
    assert len(client.get("/communes/suggestions/", {"q": "saint"}).json()["resultats"]) == 8
    assert client.get("/communes/suggestions/", {"q": ""}).json() == {"resultats": []}
