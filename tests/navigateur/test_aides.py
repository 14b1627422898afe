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
    page.get_by_role("button", name="Voir mes aides").click()
    page.get_by_role("heading", name="Aides auxquelles vous avez droit (1)").wait_for()
    resultat = page.locator("#aide-AM-AIDE-INSTALLATION")
    assert "10 000 € (versement unique)" in resultat.inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "Béziers est classée « Zone d'intervention prioritaire »" in resultat.inner_text()
    assert page.erreurs_console == []
