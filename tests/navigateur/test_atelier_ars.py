"""The ARS agent's journey of issue 15 in headless Chromium, at 1280 and 390 px, with axe and no console error on
every page: import a médecins file → read its impact on the aids → confirm → publish → undo.

The version in force is the real médecins file (donnees/zonage_medecins_occitanie.csv); the imported draft is that
file with two communes changed by the test (Aigues-Vives 09002 and L'Aiguillon 09003, ZIP → ZAC): the 2026
installation aid goes from 10 000 € to 5 000 € there. Nothing is stored by the impact; the undo restores the version
in force as it was."""
import datetime

import pytest
from django.contrib.auth.models import User

from aides.catalogue import charger_regles
from paps.celery import app as celery_app
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS, DONNEES_REELLES, groupe_cree_par_migration, ouvrir_session
from tests.conftest import verifier_accessibilite
from zonages.consultation import zonage_de
from zonages.imports.execution import DemandeImport, importer_zonage
from zonages.models import Publication, Zonage

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True), pytest.mark.donnees_reelles]
MOTIF = "12218 (Conques-en-Rouergue, créée en 2026) absente du fichier"


def espaces(texte: str) -> str:
    return texte.replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def atelier(settings, monkeypatch, tmp_path):
    """An ARS editor, the aids' rules, the real médecins zonage in force, and the changed file to import."""
    charger_territoires(FIXTURE_REFERENTIELS)
    charger_regles()
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the import runs in the live server's thread, also in CI
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)
    source = DONNEES_REELLES / "zonage_medecins_occitanie.csv"
    resultat = importer_zonage(source, DemandeImport(
        type="medecin", valid_from=datetime.date(2022, 5, 7), reference="Zonage médecins réel (fichier du portail)",
        colonne_niveau="zonage_medecins", couverture="incomplete", motif_couverture=MOTIF, publier=True))
    en_vigueur = Zonage.objects.get(pk=resultat.rapport["zonage_id"])
    texte = source.read_text(encoding="utf-8")
    for ligne in ("09002,Aigues-Vives,09,1_ZIP", "09003,L'Aiguillon,09,1_ZIP"):
        texte = texte.replace(ligne, ligne.replace("1_ZIP", "2_ZAC"))
    fichier = tmp_path / "zonage_medecins_deux_communes_changees.csv"
    fichier.write_text(texte, encoding="utf-8")
    agent = User.objects.create_user("agent.atelier", password="x" * 16, is_staff=True)
    agent.groups.add(groupe_cree_par_migration("ARS — éditeur zonages", ("zonages", "0004_groupes_ars")))
    return agent, en_vigueur, fichier


def verifier(page, contexte: str, largeur: int):
    """axe, and nothing wider than the screen (admin tables scroll in their own box on a phone)."""
    verifier_accessibilite(page, f"{contexte} ({largeur} px)")
    trop_larges = page.evaluate("""(largeur) => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > largeur + 1 && !e.closest('.tableau-defilant'))
        .slice(0, 5).map(e => `${e.tagName}.${e.className} « ${(e.innerText || '').slice(0, 40)} »`)""", largeur)
    assert page.evaluate("document.documentElement.scrollWidth") <= largeur, (contexte, trop_larges)


@pytest.mark.parametrize("largeur", [1280, 390])
def test_importer_mesurer_l_impact_confirmer_publier_annuler(live_server, page, atelier, largeur):
    agent, en_vigueur, fichier = atelier
    page.set_viewport_size({"width": largeur, "height": 900})
    ouvrir_session(page, live_server, agent)

    # Import: the file leaves 12218 out, an explicit choice with its reason.
    page.goto(live_server.url + "/admin/zonages/importzonage/add/")
    verifier(page, "formulaire d'import", largeur)
    page.get_by_label("Type de zonage").select_option("medecin")
    page.locator("#id_fichier").set_input_files(fichier)  # (the coverage choices mention "fichier" too)
    page.get_by_label("En vigueur du").fill("2026-03-01")
    page.get_by_label("Référence de l'arrêté").fill("Arrêté de test (deux communes ZIP → ZAC)")
    page.get_by_role("radio", name="Version incomplète").check()
    page.get_by_label("Motif (version incomplète)").fill(MOTIF)
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/admin/zonages/importzonage/*/suivi/")
    lien = page.get_by_role("link", name="voir la version, sa différence avec la version en vigueur, et la publier")
    lien.wait_for()
    verifier(page, "suivi de l'import", largeur)

    # The draft: the difference, then its impact on the aids.
    lien.click()
    page.locator("#difference").wait_for()
    assert "2 communes changent de niveau" in espaces(page.locator("#difference").inner_text())
    verifier(page, "version en brouillon", largeur)
    page.get_by_role("link", name="Voir l'impact de cette version sur les aides").click()
    impact = page.locator("#impact-aides")
    impact.wait_for()
    texte = espaces(impact.inner_text())
    assert "Aide à l'installation de l'Assurance Maladie" in texte
    assert "10 000 € (versement unique)" in texte and "5 000 € (versement unique)" in texte
    assert "Aigues-Vives (09002)" in texte and "non connu" in texte
    assert "Part de la population régionale par niveau" in page.locator("#parts-population").inner_text()
    verifier(page, "impact sur les aides", largeur)

    # Confirmation: the recap with the impact, the button last; nothing is published yet.
    page.go_back()
    page.locator("#publication").get_by_label("Date d'effet").fill("2026-03-01")
    page.locator("#publication").get_by_role("button", name="Vérifier et publier…").click()
    recap = page.locator("#recapitulatif")
    recap.wait_for()
    assert "prendra fin le 28/02/2026" in recap.inner_text()
    assert "Aide à l'installation de l'Assurance Maladie" in page.locator("#impact-aides").inner_text()
    verifier(page, "confirmation de la publication", largeur)
    brouillon = Zonage.objects.get(reference="Arrêté de test (deux communes ZIP → ZAC)")
    assert brouillon.statut == Zonage.Statut.BROUILLON
    page.get_by_role("button", name="Confirmer la publication").click()
    page.get_by_text("Version publiée, en vigueur à partir du 01/03/2026").wait_for()
    verifier(page, "version publiée", largeur)
    assert zonage_de("09002", "medecin", datetime.date(2026, 3, 1)).niveau == "ZAC"

    # Undo: what it restores, a reason, then both versions as they were.
    page.get_by_role("link", name="Annuler cette publication…").click()
    page.get_by_text("Ce que l'annulation va rétablir").wait_for()
    verifier(page, "annulation de la publication", largeur)
    page.get_by_label("Motif de l'annulation").fill("Test : retour à la version en vigueur")
    page.get_by_role("button", name="Annuler la publication").click()
    page.get_by_text("Publication annulée").wait_for()
    verifier(page, "publication annulée", largeur)
    brouillon.refresh_from_db()
    en_vigueur.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.BROUILLON and en_vigueur.valid_to is None
    assert zonage_de("09002", "medecin", datetime.date(2026, 3, 1)).niveau == "ZIP"
    assert Publication.objects.get(zonage=brouillon).annulee_par == agent
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
