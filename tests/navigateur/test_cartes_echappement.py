"""Names shown by the maps' scripts are text, never markup: a commune, a QPV, a CPTS and a structure whose names hold
HTML (test-only records: a real commune renamed and given a square outline, the others fictitious) are shown
literally in every map's tooltips and popups, at 1280 and 390 px, and no element is made from them (an <img> or a
javascript: link would be; its inline handler would also be reported as a CSP violation in page.erreurs_console)."""
import datetime

import pytest

from cpts.models import Cpts, TerritoireCpts
from structures.models import ChangementStatut, Structure
from territoires.models import Commune
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS, verifier_accessibilite
from zonages.models import QPV

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

BALISES = '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">x</a>'
COMMUNE = "Commune " + BALISES
QPV_NOM = "Quartier " + BALISES
CPTS_NOM = "CPTS " + BALISES
STRUCTURE = "MSP " + BALISES
CODE = "34032"
LON, LAT = 3.22, 43.35  # inside the commune's square outline below


def carre(lon: float, lat: float, demi_cote: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[lon - demi_cote, lat - demi_cote], [lon + demi_cote, lat - demi_cote],
                                                [lon + demi_cote, lat + demi_cote], [lon - demi_cote, lat + demi_cote],
                                                [lon - demi_cote, lat - demi_cote]]]}


@pytest.fixture
def noms_a_balises():
    # An earlier transactional test may have flushed the session's communes: load them again if so.
    if not Commune.objects.filter(code_insee=CODE).exists():
        charger_territoires(FIXTURE_REFERENTIELS)
    Commune.objects.filter(code_insee=CODE).update(nom=COMMUNE, contour=carre(LON, LAT, 0.05))
    qpv = QPV.objects.create(code="QNTEST01", nom=QPV_NOM, geometrie=carre(LON, LAT, 0.005),
                             valid_from=datetime.date(2020, 1, 1))
    qpv.communes.set([CODE])
    cpts = Cpts.objects.create(nom=CPTS_NOM)
    TerritoireCpts.objects.create(cpts=cpts, commune_id=CODE, valid_from=datetime.date(2020, 1, 1))
    structure = Structure.objects.create(identifiant="TEST-E1", nom=STRUCTURE, type="msp", commune_id=CODE,
                                         longitude=LON, latitude=LAT)
    structure.communes.set([CODE])
    ChangementStatut.objects.create(structure=structure, statut="ouverte", date=datetime.date(2020, 1, 1))
    return structure


# Page coordinates of (lat, lon) on the map in container `id`.
POINT = """([id, lat, lon]) => {
  const conteneur = document.getElementById(id);
  const point = conteneur.carteLeaflet.latLngToContainerPoint([lat, lon]);
  const cadre = conteneur.getBoundingClientRect();
  return {x: cadre.left + point.x, y: cadre.top + point.y};
}"""
# Whether the open popup lies within the width of the map in container `id`.
DANS_LA_CARTE = """(id) => {
  const bulle = document.querySelector(`#${id} .leaflet-popup`).getBoundingClientRect();
  const carte = document.getElementById(id).getBoundingClientRect();
  return bulle.left >= carte.left && bulle.right <= carte.right;
}"""
# Elements the markup would have made, anywhere in the page.
ELEMENTS_INJECTES = """() => document.querySelectorAll('img[src="x"], a[href^="javascript:"], [onerror]').length"""


def survoler(page, carte: str):
    page.locator(f"#{carte}").scroll_into_view_if_needed()
    point = page.evaluate(POINT, [carte, LAT, LON])
    page.mouse.move(point["x"], point["y"])
    return point


def infobulle(page, carte: str):
    """The tooltip of the map `carte`: shown as text, holding no element but its text's."""
    bulle = page.locator(f"#{carte} .leaflet-tooltip")
    bulle.wait_for()
    assert bulle.locator("img, a").count() == 0
    return bulle.text_content()


def sans_injection(page, contexte: str):
    assert page.evaluate(ELEMENTS_INJECTES) == 0, contexte
    page.wait_for_function("() => [...document.querySelectorAll('.leaflet-popup')]"
                           ".every(p => getComputedStyle(p).opacity === '1')")  # contrast measured after the fade-in
    verifier_accessibilite(page, contexte)
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)


@pytest.mark.parametrize("largeur", [1280, 390])
def test_les_cartes_montrent_les_noms_comme_du_texte(live_server, page, noms_a_balises, largeur):
    page.set_viewport_size({"width": largeur, "height": 1000})

    # Zonage map: the commune's tooltip, then its popup (name, and its QPV's name), with the QPV overlay drawn.
    page.goto(live_server.url + "/zonages/?calques=qpv")
    page.locator("#carte-zonages[data-pret=oui]").wait_for()
    assert page.locator("#carte-zonages").get_attribute("data-communes") == "1"
    point = survoler(page, "carte-zonages")
    assert infobulle(page, "carte-zonages") == COMMUNE
    page.mouse.click(point["x"], point["y"])
    bulle = page.locator(".leaflet-popup-content .popup-zonages")
    bulle.get_by_role("link", name="Fiche de la commune").wait_for()
    assert bulle.locator("h3").text_content() == f"{COMMUNE} (34)"
    assert f"Quartiers prioritaires (QPV) : {QPV_NOM} (QNTEST01)." in bulle.text_content()
    assert bulle.locator("img").count() == 0 and bulle.locator("a").count() == 1
    # The popup fits in the map's width, on a phone too (Leaflet pans it into view once it is narrow enough).
    page.wait_for_function(DANS_LA_CARTE, arg="carte-zonages")
    sans_injection(page, f"carte des zonages, {largeur} px")

    # The commune's page: its map, and its name (written by the template) as text.
    page.goto(live_server.url + f"/communes/{CODE}/")
    page.locator("#carte-commune[data-pret=oui]").wait_for()
    assert page.get_by_role("heading", level=1).text_content() == COMMUNE
    sans_injection(page, f"fiche commune, {largeur} px")

    # CPTS map: the commune's tooltip names it and its CPTS.
    page.goto(live_server.url + "/cpts/")
    page.locator("#carte-cpts[data-pret=oui]").wait_for()
    assert page.locator("#carte-cpts").get_attribute("data-couvertes") == "1"
    survoler(page, "carte-cpts")
    assert infobulle(page, "carte-cpts") == f"{COMMUNE} — {CPTS_NOM}"
    sans_injection(page, f"carte des CPTS, {largeur} px")

    # Structures' map: the marker's tooltip, then its popup's link (the name, to the structure's page).
    page.goto(live_server.url + "/structures/")
    page.locator("#carte-structures[data-pret=oui]").wait_for()
    survoler(page, "carte-structures")
    assert infobulle(page, "carte-structures") == STRUCTURE
    page.locator("#carte-structures path.marqueur-structure").click()
    lien = page.locator("#carte-structures .leaflet-popup-content a")
    lien.wait_for()
    assert lien.text_content() == STRUCTURE
    assert lien.get_attribute("href") == f"/structures/{noms_a_balises.pk}/"
    assert page.locator("#carte-structures .leaflet-popup-content").locator("img, a").count() == 1
    sans_injection(page, f"carte des structures, {largeur} px")

    # One structure's map: the marker's tooltip.
    page.goto(live_server.url + f"/structures/{noms_a_balises.pk}/")
    page.locator("#carte-structure[data-pret=oui]").wait_for()
    survoler(page, "carte-structure")
    assert infobulle(page, "carte-structure") == STRUCTURE
    sans_injection(page, f"fiche structure, {largeur} px")
