"""A portal serving two regions (PAPS_REGIONS="76,84") in headless Chromium, at 1280 and 390 px: the maps open on
the extent of both (the real outlines of Occitanie's départements, and a test-only département of 84 outlined by a
square east of Lyon: tests.factories.territoires_de_deux_regions), and the dashboard's region selector works
without JavaScript. Each page is checked with axe and for console errors; tiles are blocked."""
import json
import os
from pathlib import Path

import pytest

from territoires.referentiels.chargement import charger_territoires
from tests.conftest import verifier_accessibilite
from tests.factories import territoires_de_deux_regions

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]
LARGEURS = [1280, 390]
CAPTURES = Path(os.environ.get("PAPS_CAPTURES", "/tmp/paps_captures"))

# What the map shows and the served extent, both as [[south, west], [north, east]].
VUE = """(id) => {
  const b = document.getElementById(id).carteLeaflet.getBounds();
  return [[b.getSouth(), b.getWest()], [b.getNorth(), b.getEast()]];
}"""


@pytest.fixture
def deux_regions(settings, donnees_reelles):
    settings.PAPS_REGIONS = "76,84"
    charger_territoires(donnees_reelles)
    territoires_de_deux_regions()


def contient(vue, etendue, marge=0.01) -> bool:
    return (vue[0][0] <= etendue[0][0] + marge and vue[0][1] <= etendue[0][1] + marge
            and vue[1][0] >= etendue[1][0] - marge and vue[1][1] >= etendue[1][1] - marge)


def remplit(vue, etendue) -> float:
    """How much of the view the extent fills, in its fuller dimension (fitBounds fills one of them)."""
    return max((etendue[1][0] - etendue[0][0]) / (vue[1][0] - vue[0][0]),
               (etendue[1][1] - etendue[0][1]) / (vue[1][1] - vue[0][1]))


def ouvrir(page, url, carte):
    page.goto(url)
    page.locator(f"#{carte}[data-pret=oui]").wait_for()
    etendue = json.loads(page.locator("#etendue-servie").text_content())
    return etendue, page.evaluate(VUE, carte)


@pytest.mark.parametrize("largeur", LARGEURS)
def test_les_cartes_ouvrent_sur_les_deux_regions(live_server, page, deux_regions, largeur):
    page.set_viewport_size({"width": largeur, "height": 900})
    CAPTURES.mkdir(parents=True, exist_ok=True)

    # No structure: the map keeps its initial view, the served extent.
    etendue, vue = ouvrir(page, live_server.url + "/structures/", "carte-structures")
    # Occitanie's real extent (from the Pyrenees to the Rhône) and the test square of 84, to the north-east.
    assert etendue[0][0] < 42.4 and etendue[0][1] < -0.2 and etendue[1] == [45.9, 5.0]
    assert contient(vue, etendue), (vue, etendue)
    assert remplit(vue, etendue) > 0.45, (vue, etendue)  # framed on it, not on the whole of France
    verifier_accessibilite(page, f"structures à {largeur} px")
    page.locator("#carte-structures").scroll_into_view_if_needed()
    page.screenshot(path=str(CAPTURES / f"structures_deux_regions_{largeur}.png"), full_page=False)

    # The zonage map frames the communes it draws: those of both regions, so the same extent.
    etendue, vue = ouvrir(page, live_server.url + "/zonages/", "carte-zonages")
    assert contient(vue, etendue) and remplit(vue, etendue) > 0.6, (vue, etendue)
    page.locator("#carte-zonages").scroll_into_view_if_needed()
    verifier_accessibilite(page, f"carte des zonages à {largeur} px")
    page.screenshot(path=str(CAPTURES / f"zonages_deux_regions_{largeur}.png"), full_page=False)
    assert page.erreurs_console == []


@pytest.mark.parametrize("largeur", LARGEURS)
def test_tableau_de_bord_choisir_une_region(live_server, page, deux_regions, largeur):
    page.set_viewport_size({"width": largeur, "height": 900})
    page.goto(live_server.url + "/tableau-de-bord/")
    assert page.get_by_role("heading", level=1).inner_text() == "Occitanie\xa0: tableau de bord"
    page.get_by_label("Région", exact=True).select_option(label="Auvergne-Rhône-Alpes")
    page.get_by_role("button", name="Afficher la région").click()
    page.wait_for_url("**/tableau-de-bord/?region=84")
    assert page.get_by_role("heading", level=1).inner_text() == "Auvergne-Rhône-Alpes\xa0: tableau de bord"
    assert page.get_by_label("Région", exact=True).input_value() == "84"
    departements = page.get_by_role("navigation", name="Départements de la région Auvergne-Rhône-Alpes")
    assert departements.get_by_role("link").all_inner_texts() == ["Auvergne-Rhône-Alpes",
                                                                  "Département fictif de test (84)"]
    verifier_accessibilite(page, f"tableau de bord à {largeur} px")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")  # nothing wider
    CAPTURES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(CAPTURES / f"tableau_de_bord_84_{largeur}.png"), full_page=False)
    assert page.erreurs_console == []
