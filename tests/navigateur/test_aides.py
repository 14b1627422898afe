"""The simulator journey in headless Chromium: choose a commune and a profession, answer the questions asked,
read the results and their reasons."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_parcours_du_simulateur(live_server, page, communes_et_aides):
    """Béziers (a test ZIP version), a GP settling in: the commune by its name, then one question at a time."""
    page.goto(live_server.url + "/mes-aides/?date=2026-03-01")
    commune = page.locator("#id_commune")
    commune.fill("bezie")
    page.get_by_role("option").first.wait_for()
    commune.press("ArrowDown")
    commune.press("Enter")  # the autocomplete fills the field, it does not navigate away
    assert commune.input_value() == "Béziers (34032)"
    page.locator("label[for=profession-medecin-generaliste]").click()
    page.get_by_role("button", name="Continuer").click()
    titre = page.locator("#question-titre")
    expect(titre).to_contain_text("Où en êtes-vous de votre parcours ?")
    assert "commune=34032" in page.url  # the answers are in the URL: shareable
    for reponse in ("En cours d'installation", "Libéral", "Aucun", "Secteur 1", "Oui"):
        avant = titre.inner_text()
        page.locator("#question label", has_text=reponse).first.click()
        expect(titre).not_to_have_text(avant)
    # The installation aid, and the médecin traitant majoration of a first installation in ZIP, once the few
    # questions they turn on are answered.
    resultat = page.locator("#aide-AM-AIDE-INSTALLATION")
    for _ in range(12):  # the next questions, answered « non » (or « aucun », or a number) until it is settled
        if "resultat-aide--eligible" in resultat.get_attribute("class") or "répondu à tout" in titre.inner_text():
            break
        avant = titre.inner_text()
        options = page.locator("#question label.fr-label")
        if options.count():
            non = options.filter(has_text=re.compile("^(Non|Aucun)"))
            (non if non.count() else options).first.click()
        else:
            page.locator("#reponse-nombre").fill("8")
            page.get_by_role("button", name="Continuer").click()
        expect(titre).not_to_have_text(avant)
    assert resultat.get_attribute("class").endswith("resultat-aide--eligible")
    assert "10 000 € (versement unique)" in resultat.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    resultat.locator("summary", has_text="Pourquoi ?").click()
    assert "Béziers est en zone d'intervention prioritaire." in resultat.inner_text()
    # The closed 2016 contracts are listed apart.
    assert "Dispositifs fermés aux nouvelles demandes" in page.content()
    assert page.erreurs_console == []


@pytest.mark.parametrize("largeur", [1280, 390])
def test_aides_au_choix_contraintes_et_dispositifs_fermes(live_server, page, communes_et_aides, largeur):
    """A kiné where the two installation contracts exclude each other and the conventionnement is regulated (test
    zonage versions, not the real ones), and a closed scheme's page: readable and accessible, wide and narrow."""
    import datetime

    from tests.conftest import verifier_accessibilite
    from tests.factories import version
    from zonages.publication import publier
    publier(version("TSD", datetime.date(2024, 1, 1), type_="masseur-kinesitherapeute", communes=("34032",)))
    publier(version("SURD", datetime.date(2024, 1, 1), type_="infirmier", communes=("34032",)))
    page.set_viewport_size({"width": largeur, "height": 900})
    page.goto(live_server.url + "/mes-aides/?commune=34032&profession=masseur-kinesitherapeute&date=2026-03-01"
                                "&etape=installation&mode=liberal")
    groupe = page.get_by_role("region", name="Au choix : CACCMK ou CAIMK")
    groupe.wait_for()
    assert "CACCMK vaut le plus" in groupe.inner_text()
    verifier_accessibilite(page, f"simulateur, aides au choix ({largeur} px)")
    page.goto(live_server.url + "/mes-aides/?commune=34032&profession=infirmier&date=2026-03-01&mode=liberal")
    page.get_by_role("heading", name=re.compile("^Obligations du lieu")).wait_for()
    page.locator("summary", has_text="Dispositifs fermés aux nouvelles demandes").click()
    verifier_accessibilite(page, f"simulateur, contraintes et dispositifs fermés ({largeur} px)")
    page.goto(live_server.url + "/aides/PTMG/")
    page.get_by_text("Fermé aux nouvelles demandes depuis le 25 décembre 2020").first.wait_for()
    verifier_accessibilite(page, f"page d'un dispositif fermé ({largeur} px)")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
