"""The simulator journey in headless Chromium: choose a commune and a profession, answer the questions asked,
read the results and their reasons."""
import pytest

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_parcours_du_simulateur(live_server, page, communes_et_aides):
    page.goto(live_server.url + "/mes-aides/")
    formulaire = page.locator("form.formulaire-aides")
    commune = formulaire.get_by_role("combobox", name="Commune")
    commune.fill("bezie")
    formulaire.get_by_role("option").first.wait_for()
    commune.press("ArrowDown")
    commune.press("Enter")  # the autocomplete fills the field, it does not navigate away
    assert commune.input_value() == "Béziers (34032)"
    formulaire.get_by_label("Profession").select_option("medecin-generaliste")
    formulaire.get_by_label("Date", exact=True).fill("2026-03-01")
    page.get_by_role("button", name="Voir mes aides").click()
    page.get_by_role("heading", name="Béziers, médecin généraliste — le 1 mars 2026").wait_for()
    assert "commune=34032" in page.url  # the answers are in the URL: shareable
    # Only the questions that matter are offered; answering them settles the result.
    questions = page.get_by_role("group", name="Pour préciser votre résultat")
    questions.get_by_label("Étape du parcours").select_option("installation")
    questions.get_by_label("Mode d'exercice").select_option("liberal")
    questions.get_by_label("Première installation en libéral").select_option("oui")
    questions.get_by_label("Cabinet secondaire").select_option("non")
    questions.get_by_label("Secteur conventionnel").select_option("1")
    questions.get_by_label("Aide à l'installation reçue depuis moins de 10 ans").select_option("non")  # décret 2025-231
    page.get_by_role("button", name="Voir mes aides").click()
    # The installation aid, and the médecin traitant majoration of a first installation in ZIP.
    page.get_by_role("heading", name="Aides auxquelles vous avez droit (2)").wait_for()
    resultat = page.locator("#aide-AM-AIDE-INSTALLATION")
    assert "10 000 € (versement unique)" in resultat.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "Béziers est en zone d'intervention prioritaire." in resultat.inner_text()
    # The closed 2016 contracts are listed apart; what the portal does not hold (here, the QPV) is said.
    assert "Dispositifs fermés aux nouvelles demandes" in page.content()
    assert page.locator(".avertissement-donnees[data-couche=qpv]").is_visible()
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
    page.get_by_role("heading", name="Contraintes d'installation de ce lieu").wait_for()
    page.locator("summary", has_text="Dispositifs fermés aux nouvelles demandes").click()
    verifier_accessibilite(page, f"simulateur, contraintes et dispositifs fermés ({largeur} px)")
    page.goto(live_server.url + "/aides/PTMG/")
    page.get_by_text("Fermé aux nouvelles demandes depuis le 25 décembre 2020").first.wait_for()
    verifier_accessibilite(page, f"page d'un dispositif fermé ({largeur} px)")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
