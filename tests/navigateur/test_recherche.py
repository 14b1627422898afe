"""Browser journey in headless Chromium: search a commune from the header box, pick it, land on its page, see its map.

Debian's Chromium is driven by Playwright (`executable_path=/usr/bin/chromium`); the tile server is blocked, as it
is on this machine, to prove the map still draws the outline without tiles.
"""
import pytest

from territoires.referentiels.chargement import charger_territoires

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def communes_avec_contours(donnees_reelles):
    charger_territoires(donnees_reelles)


def test_chercher_choisir_et_arriver_sur_la_commune(live_server, page, communes_avec_contours):
    page.goto(live_server.url + "/")
    champ = page.get_by_role("combobox", name="Rechercher une commune").first
    champ.fill("saint jean du g")
    options = page.get_by_role("option")
    options.first.wait_for()
    assert "Saint-Jean-du-Gard" in options.first.inner_text()
    assert champ.get_attribute("aria-expanded") == "true"
    champ.press("ArrowDown")
    assert champ.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    champ.press("Enter")
    page.wait_for_url(live_server.url + "/communes/30269/")
    assert page.get_by_role("heading", level=1).inner_text() == "Saint-Jean-du-Gard"
    # Its outline (the thick one) and its neighbours' are drawn and framed although no tile could be loaded.
    page.locator("#carte-commune[data-pret=oui]").wait_for()
    contours = page.locator("#carte-commune .leaflet-overlay-pane path")
    assert contours.count() > 1
    commune = page.locator('#carte-commune .leaflet-overlay-pane path[stroke-width="3"]')
    assert commune.count() == 1
    carte, trace = page.locator("#carte-commune").bounding_box(), commune.bounding_box()
    assert carte["width"] > 300 and carte["height"] > 200
    assert carte["x"] <= trace["x"] and trace["x"] + trace["width"] <= carte["x"] + carte["width"] + 1
    # Framed on the neighbourhood: together the outlines fill a good part of the map.
    ensemble = page.evaluate("""() => { const b = [...document.querySelectorAll('#carte-commune .leaflet-overlay-pane path')]
        .map(p => p.getBoundingClientRect()); return {largeur: Math.max(...b.map(r => r.right)) - Math.min(...b.map(r => r.left)),
        hauteur: Math.max(...b.map(r => r.bottom)) - Math.min(...b.map(r => r.top))}; }""")
    assert ensemble["largeur"] > carte["width"] / 2 or ensemble["hauteur"] > carte["height"] / 2
    assert page.erreurs_console == []


def test_recherche_sans_javascript_aboutit_aussi(live_server, navigateur, communes_avec_contours):
    contexte = navigateur.new_context(java_script_enabled=False)
    page = contexte.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Rechercher une commune").first.fill("beziers")
    page.get_by_label("Rechercher une commune").first.press("Enter")
    page.wait_for_url("**/communes/?q=beziers")
    page.get_by_role("link", name="Béziers").first.click()
    page.wait_for_url("**/communes/34032/")
    contexte.close()
