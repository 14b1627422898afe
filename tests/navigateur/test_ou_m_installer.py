"""« Où m'installer ? » in headless Chromium, at 1280 and 390 px, on the real territories (with their outlines), the
zonages the project ships and the rules: the profile, the map coloured by what it gets, the table, the comparison
of two communes ticked in it, then the alerts for one of them (subscription, confirmation by the link of the
message, unsubscription). No console error, no axe violation at each step."""
import re

import pytest
from django.core import mail

from aides.catalogue import charger_regles
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES, verifier_accessibilite
from zonages.manifeste import charger_zonages_du_manifeste

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def region():
    charger_territoires(DONNEES_REELLES)
    charger_zonages_du_manifeste(DONNEES_REELLES)
    charger_regles()


def lien_du_message(chemin: str) -> str:
    return re.search(rf"https?://[^/\s]+({chemin}[\w-]+/)", mail.outbox[-1].body).group(1)


@pytest.mark.parametrize("largeur", [1280, 390])
def test_profil_carte_tableau_comparaison_et_alerte(live_server, page, region, largeur, settings):
    page.set_viewport_size({"width": largeur, "height": 1000})
    page.goto(live_server.url + "/ou-m-installer/")
    verifier_accessibilite(page, f"formulaire vide {largeur}")
    page.locator("#id_profession").select_option("medecin-generaliste")
    page.locator("#id_departement").select_option("82")
    page.get_by_role("button", name="Voir les communes").click()

    carte = page.locator("#carte-installation[data-pret=oui]")
    carte.wait_for()
    lignes = page.locator("#tableau-installation tbody tr")
    nombre = int(re.search(r"(\d+) communes", page.locator("#titre-resultats").inner_text()).group(1))
    assert carte.get_attribute("data-communes") == str(nombre)  # every commune of the département drawn
    assert lignes.count() == min(nombre, 50)
    page.wait_for_load_state("networkidle")
    verifier_accessibilite(page, f"résultats {largeur}")

    premieres = [lignes.nth(i) for i in (0, 1)]
    codes = [ligne.get_attribute("data-code") for ligne in premieres]
    noms = [ligne.locator("td a").first.inner_text() for ligne in premieres]
    for code in codes:
        # The box is the label's ::before (its text is for screen readers only), over the input: a click there.
        page.locator(f"#comparer-{code}").check(force=True)
    page.get_by_role("button", name="Comparer les communes cochées").click()
    page.locator("#comparaison").wait_for()
    entetes = " ".join(page.locator("#comparaison thead th").all_inner_texts())
    assert all(nom in entetes for nom in noms)
    verifier_accessibilite(page, f"comparaison {largeur}")

    page.locator(f"#comparaison a[href^='/alertes/?commune={codes[0]}']").click()
    page.locator("#id_courriel").fill("interne@exemple.test")
    assert page.locator("#id_commune").input_value() == codes[0]
    verifier_accessibilite(page, f"abonnement {largeur}")
    page.get_by_role("button", name="M'abonner").click()
    page.get_by_role("heading", level=1, name="Confirmez votre abonnement").wait_for()
    verifier_accessibilite(page, f"demande envoyée {largeur}")

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["interne@exemple.test"]
    page.goto(live_server.url + lien_du_message("/alertes/confirmer/"))
    verifier_accessibilite(page, f"confirmation {largeur}")
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    page.get_by_role("heading", level=1, name="Abonnement confirmé").wait_for()
    verifier_accessibilite(page, f"abonnement confirmé {largeur}")

    page.goto(live_server.url + lien_du_message("/alertes/desabonner/"))
    page.get_by_role("button", name="Me désabonner").click()
    page.get_by_text("Vous êtes désabonné").wait_for()
    verifier_accessibilite(page, f"désabonnement {largeur}")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
