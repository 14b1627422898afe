"""The structures' list in headless Chromium, tiles blocked: the map shows one marker per located structure, and a
filter narrows both the list and the map. The structures are fictitious test data on real commune codes."""
import datetime

import pytest

from structures.models import ChangementStatut, Structure
from territoires.models import Commune
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def structures_de_test():
    # An earlier transactional test may have flushed the session's communes: load them again if so.
    if Commune.objects.filter(code_insee__in=["34172", "31555", "30189", "48095"]).count() < 4:
        charger_territoires(FIXTURE_REFERENTIELS)
    for identifiant, nom, type_, commune, point, sous_type in [
        ("TEST-N1", "MSP de test nord", "msp", "34172", (3.87, 43.61), ""),
        ("TEST-N2", "Centre de santé de test sud", "centre-sante", "31555", (1.44, 43.60), "polyvalent"),
        ("TEST-N3", "ESP de test est", "esp", "30189", (4.36, 43.84), ""),
        ("TEST-N4", "PTA de test sans point", "pta", "48095", None, ""),
    ]:
        structure = Structure.objects.create(identifiant=identifiant, nom=nom, type=type_, commune_id=commune,
                                             sous_type=sous_type, longitude=point[0] if point else None,
                                             latitude=point[1] if point else None)
        structure.communes.set([commune])
        ChangementStatut.objects.create(structure=structure, statut="ouverte", date=datetime.date(2020, 1, 1))


def test_carte_avec_marqueurs_et_filtre_qui_reduit_la_liste(live_server, page, structures_de_test):
    page.goto(live_server.url + "/structures/")
    carte = page.locator("#carte-structures[data-pret=oui]")
    carte.wait_for()
    assert carte.get_attribute("data-marqueurs") == "3"
    assert page.locator("#carte-structures path.marqueur-structure").count() == 3
    assert page.locator(".liste-structures > li").count() == 4
    assert page.locator("#legende-structures li").count() == 3  # one entry per type on the map
    boite = page.locator("#carte-structures").bounding_box()
    assert boite["width"] > 300 and boite["height"] > 200

    page.get_by_label("Type").select_option("centre-sante")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/structures/?*type=centre-sante*")
    page.locator("#carte-structures[data-pret=oui]").wait_for()
    assert page.locator(".liste-structures > li").all_inner_texts()[0].startswith("Centre de santé de test sud")
    assert page.locator(".liste-structures > li").count() == 1
    assert page.locator("#carte-structures path.marqueur-structure").count() == 1

    # A marker's popup links to the structure's page.
    page.locator("#carte-structures path.marqueur-structure").first.click()
    page.locator(".leaflet-popup a", has_text="Centre de santé de test sud").click()
    page.wait_for_url("**/structures/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Centre de santé de test sud"
    page.locator("#carte-structure[data-pret=oui]").wait_for()
    assert page.erreurs_console == []
