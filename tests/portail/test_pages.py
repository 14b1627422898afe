"""The site's pages: DSFR layout, the commune page, errors."""
import datetime
from html import unescape

import pytest

from tests.factories import version
from zonages.publication import publier

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


def test_page_commune_dit_quand_le_zonage_d_une_profession_n_est_pas_connu(client):
    """A médecins version that gives Béziers no level, no kinés version, an ended ZRR: unknown is said as unknown,
    with where the official classification is; an ended zonage is said as ended."""
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("31555",)))
    publier(version("C", datetime.date(2017, 7, 1), type_="zrr", fin=datetime.date(2024, 6, 30), communes=("34032",)))
    html = " ".join(unescape(client.get("/communes/34032/", {"date": "2025-03-01"}).content.decode()).split())
    medecins = html[html.index("<th scope=\"row\">Médecins généralistes</th>"):].split("</tr>")[0]
    assert ("Non connu du portail.</strong> La version en vigueur (Arrêté de test du 2022-05-07) ne donne pas de niveau "
            "pour Béziers. Consultez le zonage publié par l'ARS sur CartoSanté (https://cartosante.atlasante.fr)") in medecins
    kines = html[html.index("<th scope=\"row\">Masseurs-kinésithérapeutes</th>"):].split("</tr>")[0]
    assert "Non connu du portail.</strong> Aucune version n'est chargée dans le portail pour le 1 mars 2025." in kines
    zrr = html[html.index("<th scope=\"row\">Zone de revitalisation rurale (ZRR)</th>"):].split("</tr>")[0]
    assert "Plus en vigueur.</strong> Dernière version en vigueur jusqu'au 30 juin 2024 ; aucune le 1 mars 2025." in zrr
    assert "Consultez" not in zrr
    # In each profession's aids: a notice for the chosen profession whose zonage is unknown.
    avis = html[html.index('id="zonage-inconnu-medecin-generaliste"'):].split("</div>")[0]
    assert ("Médecins généralistes : la version en vigueur (Arrêté de test du 2022-05-07) ne donne pas de niveau pour "
            "Béziers. Les aides qui dépendent de ce zonage restent « à préciser » : le portail ne les écarte pas faute "
            "de donnée. Consultez le zonage publié par l'ARS sur CartoSanté") in avis
    assert 'id="zonage-inconnu-masseur-kinesitherapeute"' in html
    assert 'id="zonage-inconnu-pharmacien"' not in html  # no zonage classifies communes for pharmacists
    # Known: no notice.
    assert 'id="zonage-inconnu-medecin-generaliste"' not in client.get("/communes/31555/", {"date": "2025-03-01"}).content.decode()


def test_page_commune_avec_contour_prepare_la_carte(client):
    from territoires.models import Commune
    from tests.factories import CARRE_DE_TEST

    Commune.objects.filter(code_insee="34032").update(contour=CARRE_DE_TEST)
    reponse = client.get("/communes/34032/")
    html = reponse.content.decode()
    assert 'id="carte-commune"' in html and '<script id="carte-commune-donnees" type="application/json">' in html
    assert "leaflet/leaflet.js" in html and "js/carte_niveaux.js" in html
    carte = reponse.context["carte"]
    assert [f["properties"]["code"] for f in carte["contours"]["features"]] == ["34032"]  # no other outline here
    assert carte["surbrillance"] == "34032" and set(carte["legende"]) == {"ZIP", "ZAC", "ZAR", "HZ"}


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


def test_guide_de_l_api_en_francais(client):
    reponse = client.get("/api/")
    assert reponse.status_code == 200
    page = unescape(reponse.content.decode())
    assert 'curl -s "http://testserver/api/v1/eligibilite/?commune=12202&profession=medecin-generaliste' in page
    assert "120 requêtes par minute" in page and "Retry-After" in page and "Authorization: Token" in page
    assert 'href="/api/v1/docs/"' in page
    noms = [p["nom"] for p in reponse.context["parametres"]]
    assert noms[:3] == ["commune", "profession", "date"] and noms[-1] == "toutes_professions"
    assert "Où en êtes-vous de votre parcours ?" in page  # each fact by its question
