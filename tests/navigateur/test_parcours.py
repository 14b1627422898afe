"""The main journeys in headless Chromium, each checked for console errors, Content-Security-Policy violations
(page.erreurs_console) and accessibility (axe-core, WCAG 2.x A/AA) on every page it goes through:

- a newcomer searches a commune, opens its page, goes on to the simulator with the commune filled in, answers and
  reads the aids they are entitled to, with the reasons and the amount;
- the zonage map draws and a click on a commune opens its popup;
- an ARS editor logs in, uploads a zonage file, watches the import's progress, reviews the difference with the
  version in force and publishes.

Zonage versions, structures and uploaded files are test data written here, on real Occitanie commune codes.
"""
import datetime

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from paps.celery import app as celery_app
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS, groupe_cree_par_migration, se_connecter, verifier_accessibilite
from tests.navigateur.test_carte import PIXEL, grandes_communes, niveaux_en_vigueur
from zonages import depot
from zonages.imports.execution import cle_progression
from zonages.manifeste import charger_zonages_du_manifeste
from zonages.models import Classement, ImportZonage, Zonage
from zonages.niveaux import TYPES
from zonages.tasks import executer_import_zonage

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def sans_espaces_insecables(texte: str) -> str:
    return texte.replace("\u202f", " ").replace("\xa0", " ")


# --- A newcomer: search → commune → simulator → results ---------------------------------------------------------

def test_nouveau_venu_de_la_recherche_au_resultat_du_simulateur(live_server, page, communes_et_aides):
    page.goto(live_server.url + "/")
    verifier_accessibilite(page, "accueil")
    champ = page.get_by_role("combobox", name="Rechercher une commune").first
    champ.fill("bézie")
    page.get_by_role("option", name="Béziers").first.wait_for()
    verifier_accessibilite(page, "accueil, suggestions ouvertes")
    page.get_by_role("option", name="Béziers").first.click()
    page.wait_for_url(live_server.url + "/communes/34032/")
    assert page.get_by_role("heading", level=1).inner_text() == "Béziers"
    assert "Zone d'intervention prioritaire" in page.locator("table").first.inner_text()
    verifier_accessibilite(page, "fiche commune")

    # The aids possible here, by profession; on to the simulator for a médecin généraliste.
    page.locator("button[aria-controls=aides-medecin-generaliste]").click()
    verifier_accessibilite(page, "fiche commune, accordéon ouvert")
    page.locator("#aides-medecin-generaliste").get_by_role("link", name="Préciser avec ma situation").click()
    page.wait_for_url("**/mes-aides/?commune=34032&profession=medecin-generaliste*")
    # The commune and profession are known: the first question comes at once, the result beside it.
    titre = page.locator("#question-titre")
    titre.wait_for()
    assert "Où en êtes-vous de votre parcours ?" in titre.inner_text()
    assert "Béziers, médecin généraliste" in page.locator(".simulateur__resume").inner_text()
    verifier_accessibilite(page, "simulateur, questions")

    # Only the questions that matter are asked, one at a time; the answers settle the result.
    for reponse in ("En cours d'installation", "Libéral"):
        avant = titre.inner_text()
        page.locator("#question label", has_text=reponse).first.click()
        page.wait_for_function("(avant) => document.getElementById('question-titre').innerText !== avant", arg=avant)
    page.goto(page.url + "&exercice_coordonne=aucun&secteur=1&premiere_installation=oui&pdsa=non&cabinet_secondaire=non"
                         "&aide_installation_10_ans=non")
    titre_droits = page.locator("#droits")
    titre_droits.wait_for()
    assert titre_droits.inner_text() != "Vous y avez droit (0)"
    resultat = page.locator("#aide-AM-AIDE-INSTALLATION")
    texte = sans_espaces_insecables(resultat.inner_text())
    assert "10 000 €" in texte  # the amount
    resultat.locator("summary", has_text="Pourquoi ?").click()
    assert "Béziers est en zone d'intervention prioritaire." in resultat.inner_text()  # and why
    verifier_accessibilite(page, "simulateur, résultats")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)


# --- The zonage map: it draws, a click opens the commune's popup -------------------------------------------------

@pytest.fixture
def carte_reelle(donnees_reelles):
    charger_territoires(donnees_reelles)
    charger_zonages_du_manifeste(donnees_reelles)


def test_carte_des_zonages_et_sa_bulle(live_server, page, carte_reelle):
    page.goto(live_server.url + "/zonages/")
    page.locator("#carte-zonages[data-pret=oui]").wait_for()
    assert page.locator("#carte-zonages .leaflet-overlay-pane canvas").count() == 1
    assert page.locator("#legende-carte li").count() > 0
    verifier_accessibilite(page, "carte des zonages")

    commune = grandes_communes(1)[0]
    niveau = TYPES["medecin"].niveau(niveaux_en_vigueur("medecin")[commune["code"]]).libelle
    page.locator("#carte-zonages").scroll_into_view_if_needed()
    point = page.evaluate(PIXEL, [commune["lat"], commune["lon"]])
    page.mouse.click(point["x"], point["y"])
    bulle = page.locator(".leaflet-popup-content .popup-zonages")
    bulle.locator("li[data-type=medecin]").wait_for()
    assert commune["nom"] in bulle.inner_text()
    assert f"Médecins généralistes : {niveau}" in bulle.inner_text()
    # Leaflet fades the popup in: measured mid-fade, its text's contrast would be that of a half-transparent popup.
    page.wait_for_function("() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'")
    verifier_accessibilite(page, "carte des zonages, bulle ouverte")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)


# --- An ARS editor: upload, progress, difference, publication ----------------------------------------------------

EDITEUR = "ARS — éditeur zonages"
MOT_DE_PASSE = "mot-de-passe-de-test-123"
CSV_DE_TEST = "code_insee;niveau\n34032;ZIP\n31555;ZAC\n34172;ZAC\n"  # test data: Béziers changes, Montpellier enters


@pytest.fixture
def editeur_et_version_en_vigueur(settings, monkeypatch, tmp_path):
    """An editor, a published test version, and a task queue with no worker: the test runs the queued import
    itself, so that the progress page is seen waiting, then progressing, then finished."""
    charger_territoires(FIXTURE_REFERENTIELS)
    settings.CELERY_TASK_ALWAYS_EAGER = True  # as in tests/test_admin_zonages.py, also in CI where REDIS_URL is set
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)
    file_d_attente = []

    class TacheEnFile:
        @staticmethod
        def delay(*arguments):
            file_d_attente.append(arguments)

    monkeypatch.setattr(depot, "executer_import_zonage", TacheEnFile)
    compte = User.objects.create_user("editeur.test", password=MOT_DE_PASSE, is_staff=True)
    compte.groups.add(groupe_cree_par_migration(EDITEUR, ("zonages", "0004_groupes_ars")))
    en_vigueur = Zonage.objects.create(type="medecin", reference="Version publiée de test",
                                       statut=Zonage.Statut.PUBLIE, valid_from=datetime.date(2022, 5, 7))
    Classement.objects.bulk_create([Classement(zonage=en_vigueur, commune_id=c, niveau=n)
                                    for c, n in {"34032": "ZAC", "31555": "ZAC", "09001": "ZIP"}.items()])
    return file_d_attente


def valeur_de_la_barre(page) -> int:
    return page.evaluate("() => document.getElementById('suivi-import-barre').value")


def test_editeur_ars_importe_suit_compare_et_publie(live_server, page, editeur_et_version_en_vigueur, tmp_path):
    file_d_attente = editeur_et_version_en_vigueur
    se_connecter(page, live_server.url, "editeur.test", MOT_DE_PASSE)
    verifier_accessibilite(page, "administration, accueil")
    page.goto(live_server.url + "/admin/zonages/importzonage/")
    verifier_accessibilite(page, "liste des imports")
    page.get_by_role("link", name="Importer un fichier").click()
    page.wait_for_url("**/admin/zonages/importzonage/add/")
    verifier_accessibilite(page, "formulaire d'import")

    fichier = tmp_path / "donnees_de_test_zonage_medecin.csv"
    fichier.write_text(CSV_DE_TEST, encoding="utf-8")
    page.get_by_label("Type de zonage").select_option("medecin")
    page.get_by_label("Fichier").set_input_files(fichier)
    page.get_by_label("En vigueur du").fill("2026-01-01")
    page.get_by_label("Référence de l'arrêté").fill("Arrêté de test (fichier de test)")
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/admin/zonages/importzonage/*/suivi/")

    # Waiting for a worker: the page says so, and polls the import's state.
    enregistrement = ImportZonage.objects.get()
    assert len(file_d_attente) == 1 and file_d_attente[0][0] == enregistrement.pk
    assert page.locator("#suivi-import-attente").is_visible()
    verifier_accessibilite(page, "suivi de l'import, en attente")
    # The import progresses: the bar follows.
    cache.set(cle_progression(enregistrement.pk), 40)
    page.wait_for_function("() => document.getElementById('suivi-import-barre').value === 40")
    assert page.locator("#suivi-import-pourcentage").inner_text() == "40 %"
    # The worker runs it: the page reloads with the report and the link to the draft.
    executer_import_zonage.apply(args=file_d_attente[0])
    lien = page.get_by_role("link", name="voir la version, sa différence avec la version en vigueur, et la publier")
    lien.wait_for()
    assert valeur_de_la_barre(page) == 100
    assert "Communes retenues" in page.locator("#content-main").inner_text()
    verifier_accessibilite(page, "suivi de l'import, terminé")

    # The draft: its difference with the version in force, then publication at an effective date.
    lien.click()
    difference = page.locator("#difference")
    difference.wait_for()
    texte = difference.inner_text()
    assert "Version publiée de test" in texte
    for attendu in ["Béziers", "Montpellier", "Aigues-Juntes", "Hérault (34)", "Ariège (09)"]:
        assert attendu in texte
    assert "3 communes changent de niveau" in sans_espaces_insecables(texte)
    verifier_accessibilite(page, "version en brouillon, différence")
    page.locator("#publication").get_by_label("Date d'effet").fill("2026-02-01")
    page.locator("#publication").get_by_role("button", name="Publier").click()
    page.get_by_text("Version publiée, en vigueur à partir du 01/02/2026").wait_for()
    assert "prend fin le 31/01/2026" in page.locator(".messagelist").inner_text()
    assert page.locator("#publication").get_by_role("button", name="Publier").count() == 0
    verifier_accessibilite(page, "version publiée")
    publiee = Zonage.objects.get(import_source=enregistrement)
    assert publiee.statut == Zonage.Statut.PUBLIE and publiee.valid_from == datetime.date(2026, 2, 1)
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
