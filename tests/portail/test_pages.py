"""The site's pages: DSFR layout, the commune page, errors."""
from html import unescape

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/je-m-installe/", "/zonages/", "/aides/", "/structures/", "/cpts/", "/mentions-legales/",
         "/accessibilite/", "/donnees/", "/communes/", "/mes-aides/", "/offres/"]


@pytest.mark.parametrize("url", PAGES)
def test_gabarit_dsfr_commun(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert '<html lang="fr"' in html
    assert 'class="fr-skiplinks"' in html and 'href="#contenu"' in html and 'id="contenu"' in html
    assert "PAPS Occitanie" in html and "Portail d'accompagnement des professionnels de santé" in html
    for libelle in ["Je m'installe", "Zonages", "Aides", "Structures", "CPTS", "API"]:
        assert f">{libelle}</a>" in html
    assert 'href="/accessibilite/"' in html and 'href="/mentions-legales/"' in html
    assert 'role="search"' in html and 'data-suggestions="/communes/suggestions/"' in html
    assert "dsfr" in html  # DSFR stylesheet and scripts


def test_rubrique_courante_marquee(client):
    html = client.get("/zonages/").content.decode()
    assert '<a class="fr-nav__link" href="/zonages/" aria-current="page">Zonages</a>' in html


def test_page_commune(client):
    reponse = client.get("/communes/34032/")
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "<h1>Béziers</h1>" in html
    assert "Hérault (34)" in html and "34500" in html and "CA de Béziers-Méditerranée" in html
    assert 'id="titre-zonages"' in html and 'id="titre-aides"' in html


def test_page_commune_avec_contour_prepare_la_carte(client):
    from territoires.models import Commune
    from tests.factories import CARRE_DE_TEST

    Commune.objects.filter(code_insee="34032").update(contour=CARRE_DE_TEST)
    html = client.get("/communes/34032/").content.decode()
    assert 'id="carte-commune"' in html
    assert '<script id="contour-commune" type="application/json">' in html
    assert "leaflet/leaflet.js" in html and "js/carte_commune.js" in html


def test_commune_inconnue_page_404_du_portail(client):
    reponse = client.get("/communes/99999/")
    assert reponse.status_code == 404
    html = unescape(reponse.content.decode())
    assert "Page non trouvée" in html and "Aucune commune n'a le code INSEE « 99999 »" in html
    assert 'class="fr-header"' in html


def test_ancien_code_redirige_vers_la_commune_actuelle(client):
    reponse = client.get("/communes/09278/")
    assert reponse.status_code == 301
    assert reponse["Location"] == "/communes/09030/"


def test_api_redirige_vers_la_documentation(client):
    assert client.get("/api/")["Location"] == "/api/v1/docs/"
