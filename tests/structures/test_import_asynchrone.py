"""Structure imports from the administration (issue 18, item 7): the same asynchronous path as the zonage imports.
The file is kept and the import recorded in the request; it runs as a task once the transaction commits (here
eagerly, as without Redis; tests/resilience/test_pannes.py runs it in a real worker), followed on its own page
(suivi, état JSON), relaunched from its kept file when it failed. Fictitious structures on real commune codes.
"""
import csv
import datetime
from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from noyau import importation
from paps.celery import app as celery_app
from structures import depot
from structures.imports import execution
from structures.models import ImportStructures, Structure

pytestmark = pytest.mark.django_db

LIGNES = [
    {"identifiant": "TEST-ASYNC-1", "nom": "MSP de test asynchrone", "type": "msp", "commune": "34172",
     "date_ouverture": "2020-09-01"},
    {"identifiant": "TEST-ASYNC-2", "nom": "ESP de test asynchrone", "type": "esp", "commune": "48095",
     "date_projet": "2022-05-01"},
]


@pytest.fixture
def taches_immediates(settings, monkeypatch, tmp_path):
    """Tasks run in the test's process (as without REDIS_URL), also in CI where REDIS_URL is set; files kept in a
    throwaway MEDIA_ROOT."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


def fichier_csv(tmp_path, lignes=LIGNES, nom="structures.csv") -> Path:
    chemin = tmp_path / nom
    colonnes = list(dict.fromkeys(c for ligne in lignes for c in ligne))
    with chemin.open("w", encoding="utf-8", newline="") as sortie:
        ecrivain = csv.DictWriter(sortie, colonnes, delimiter=";")
        ecrivain.writeheader()
        ecrivain.writerows(lignes)
    return chemin


def texte(reponse) -> str:
    return unescape(reponse.content.decode())


def deposer(client, capture, donnees) -> str:
    """Posts the upload form; the task runs at the commit, then its page is read."""
    with capture(execute=True):
        reponse = client.post(reverse("admin:structures_importstructures_add"), donnees)
    assert reponse.status_code == 302, reponse.content.decode()[:2000]
    return texte(client.get(reponse["Location"]))


def test_le_fichier_est_garde_et_l_import_s_execute_apres_la_requete(
        admin_client, admin_user, taches_immediates, tmp_path, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as a_lancer, fichier_csv(tmp_path).open("rb") as fichier:
        reponse = admin_client.post(reverse("admin:structures_importstructures_add"), {"fichier": fichier})
    enregistrement = ImportStructures.objects.get()
    suivi = reverse("admin:structures_importstructures_suivi", args=[enregistrement.pk])
    assert reponse.status_code == 302 and reponse["Location"] == suivi
    # Recorded and kept in the request, not run in it: the task is queued for the commit.
    assert enregistrement.statut == ImportStructures.Statut.EN_ATTENTE and Structure.objects.count() == 0
    assert Path(enregistrement.fichier.path).read_bytes() == fichier_csv(tmp_path).read_bytes()
    assert (enregistrement.fichier_nom, enregistrement.utilisateur, enregistrement.origine) == (
        "structures.csv", admin_user, "administration")
    assert len(a_lancer) == 1
    page = texte(admin_client.get(suivi))
    assert "En attente d'un processus" in page and "admin_progression.js" in page
    assert admin_client.get(reverse("admin:structures_importstructures_etat", args=[enregistrement.pk])).json() == {
        "statut": "en_attente", "libelle": "en attente", "progression": 0, "termine": False}

    a_lancer[0]()  # the commit: the task runs (eagerly here)

    enregistrement.refresh_from_db()
    assert enregistrement.statut == ImportStructures.Statut.IMPORTE and enregistrement.signe_de_vie is not None
    assert set(Structure.objects.values_list("identifiant", flat=True)) == {"TEST-ASYNC-1", "TEST-ASYNC-2"}
    page = texte(admin_client.get(suivi))
    assert "Importé : 2 structure(s) créée(s), 0 modifiée(s), 0 inchangée(s)." in page
    assert "admin_progression.js" not in page and "Lignes lues : 2." in page
    assert admin_client.get(reverse("admin:structures_importstructures_etat", args=[enregistrement.pk])).json() == {
        "statut": "importe", "libelle": "importé", "progression": 100, "termine": True}
    fiche = texte(admin_client.get(reverse("admin:structures_importstructures_change", args=[enregistrement.pk])))
    assert "Page de suivi de l'import" in fiche


def test_essai_a_blanc_et_fichier_rejete_suivis_sur_leur_page(admin_client, taches_immediates, tmp_path,
                                                              django_capture_on_commit_callbacks):
    with fichier_csv(tmp_path).open("rb") as fichier:
        page = deposer(admin_client, django_capture_on_commit_callbacks, {"fichier": fichier, "essai": "on"})
    assert "Essai à blanc : fichier valide, rien n'a été écrit" in page and Structure.objects.count() == 0
    faux = fichier_csv(tmp_path, [LIGNES[0], {**LIGNES[1], "type": "x"}], nom="faux.csv")
    with faux.open("rb") as fichier:
        page = deposer(admin_client, django_capture_on_commit_callbacks, {"fichier": fichier})
    assert "Fichier rejeté (1 erreur(s))" in page and "ligne 3" in page and "type inconnu « x »" in page
    assert Structure.objects.count() == 0


def test_un_import_echoue_se_relance_depuis_son_fichier_garde(admin_client, taches_immediates, tmp_path,
                                                              django_capture_on_commit_callbacks, monkeypatch):
    def panne(*args, **kwargs):
        raise RuntimeError("panne simulée pendant l'écriture")

    with monkeypatch.context() as patch:
        patch.setattr(execution, "ecrire", panne)
        with fichier_csv(tmp_path).open("rb") as fichier:
            page = deposer(admin_client, django_capture_on_commit_callbacks, {"fichier": fichier})
    echoue = ImportStructures.objects.get()
    assert echoue.statut == ImportStructures.Statut.ECHOUE and Structure.objects.count() == 0
    assert "L'import a échoué (erreur technique)" in page and "erreur technique : panne simulée" in page
    assert "Relancer l'import" in page

    with django_capture_on_commit_callbacks(execute=True):
        reponse = admin_client.post(reverse("admin:structures_importstructures_relancer", args=[echoue.pk]))
    relance = ImportStructures.objects.exclude(pk=echoue.pk).get()
    assert reponse["Location"] == reverse("admin:structures_importstructures_suivi", args=[relance.pk])
    assert relance.statut == ImportStructures.Statut.IMPORTE and Structure.objects.count() == 2
    assert (relance.fichier.name, relance.sha256, relance.origine) == (
        echoue.fichier.name, echoue.sha256, f"relance de l'import n° {echoue.pk}")
    echoue.refresh_from_db()
    assert echoue.statut == ImportStructures.Statut.ECHOUE
    reponse = admin_client.post(reverse("admin:structures_importstructures_relancer", args=[relance.pk]), follow=True)
    assert "Relance impossible : Seul un import échoué peut être relancé." in texte(reponse)


def test_date_du_registre_donnee_gardee_pour_la_tache(admin_client, taches_immediates, tmp_path):
    with fichier_csv(tmp_path).open("rb") as fichier:
        admin_client.post(reverse("admin:structures_importstructures_add"),
                          {"fichier": fichier, "essai": "on", "date_registre": "2021-01-08"})
    assert ImportStructures.objects.get().parametres == {"date_registre": "2021-01-08"}


def import_(statut, signe_de_vie=None, cree_il_y_a=datetime.timedelta(0)) -> ImportStructures:
    enregistrement = ImportStructures.objects.create(fichier_nom="f.csv", sha256="0" * 64, statut=statut,
                                                     signe_de_vie=signe_de_vie, origine="administration")
    ImportStructures.objects.filter(pk=enregistrement.pk).update(cree_le=timezone.now() - cree_il_y_a)
    return enregistrement


def test_un_import_dont_le_processus_a_disparu_est_marque_echoue_a_la_lecture(admin_client):
    """Without any periodic task: reading the import's page (or its state, or the list) marks it."""
    il_y_a = lambda **duree: timezone.now() - datetime.timedelta(**duree)  # noqa: E731
    arrete = import_(ImportStructures.Statut.EN_COURS, il_y_a(minutes=6), datetime.timedelta(minutes=10))
    vivant = import_(ImportStructures.Statut.EN_COURS, il_y_a(seconds=20), datetime.timedelta(minutes=10))
    jamais_pris = import_(ImportStructures.Statut.EN_ATTENTE, None, datetime.timedelta(hours=2))
    en_file = import_(ImportStructures.Statut.EN_ATTENTE, None, datetime.timedelta(minutes=10))

    page = texte(admin_client.get(reverse("admin:structures_importstructures_suivi", args=[arrete.pk])))
    assert "L'import a échoué (erreur technique)" in page
    assert "ne donne plus signe de vie depuis plus de 5 minutes" in page and "rien n'a été écrit" in page
    arrete.refresh_from_db()
    assert arrete.statut == ImportStructures.Statut.ECHOUE and arrete.termine_le is not None

    etat = admin_client.get(reverse("admin:structures_importstructures_etat", args=[jamais_pris.pk])).json()
    assert etat["statut"] == "echoue" and etat["termine"]
    jamais_pris.refresh_from_db()
    assert "en attente plus d'une heure" in jamais_pris.rapport["erreurs"][0]["message"]

    for vivant_ou_en_file in (vivant, en_file):  # read too, and left as they are
        assert admin_client.get(reverse("admin:structures_importstructures_etat",
                                        args=[vivant_ou_en_file.pk])).json()["termine"] is False
    admin_client.get(reverse("admin:structures_importstructures_changelist"))
    vivant.refresh_from_db()
    en_file.refresh_from_db()
    assert (vivant.statut, en_file.statut) == (ImportStructures.Statut.EN_COURS, ImportStructures.Statut.EN_ATTENTE)


def test_un_import_interrompu_apres_son_ecriture_le_dit(admin_client):
    arrete = import_(ImportStructures.Statut.EN_COURS, timezone.now() - datetime.timedelta(minutes=6))
    Structure.objects.create(identifiant="TEST-ECRITE", nom="MSP de test écrite", type="msp", commune_id="34172",
                             import_source=arrete)
    assert execution.marquer_imports_interrompus() == [arrete.pk]
    arrete.refresh_from_db()
    assert arrete.rapport["erreurs"][0]["message"] == execution.MESSAGE_INTERROMPU_APRES_ECRITURE


def test_le_depot_ne_laisse_pas_de_fichier_si_l_enregistrement_echoue(taches_immediates, tmp_path, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def panne(*args, **kwargs):
        raise RuntimeError("base injoignable")

    monkeypatch.setattr(execution, "enregistrer_import", panne)
    with pytest.raises(RuntimeError):
        depot.deposer(SimpleUploadedFile("s.csv", b"identifiant;nom\n"), essai=True)
    assert not any(p.is_file() for p in (tmp_path / "media").rglob("*"))
    assert importation.DELAI_SANS_SIGNE_DE_VIE == datetime.timedelta(minutes=5)


# --- In Chromium: upload, waiting, progress, report ----------------------------------------------------------------

@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("largeur", [1280, 390])
def test_agent_importe_des_structures_et_suit_l_import(live_server, page, taches_immediates, tmp_path, monkeypatch,
                                                       largeur):
    from django.contrib.auth.models import User
    from django.core.cache import cache

    from territoires.models import Commune
    from territoires.referentiels.chargement import charger_territoires
    from tests.conftest import FIXTURE_REFERENTIELS, ouvrir_session, verifier_accessibilite

    if not Commune.objects.filter(code_insee="34172").exists():  # a transactional test may have flushed them
        charger_territoires(FIXTURE_REFERENTIELS)
    file_d_attente = []

    class TacheEnFile:  # a queue with no worker: the test runs the import itself, once the page waits for it
        @staticmethod
        def delay(*arguments):
            file_d_attente.append(arguments)

    monkeypatch.setattr(depot, "executer_import_structures", TacheEnFile)
    page.set_viewport_size({"width": largeur, "height": 1000})
    ouvrir_session(page, live_server, User.objects.create_superuser("agent.structures", "agent@exemple.test", None))
    page.goto(live_server.url + reverse("admin:structures_importstructures_add"))
    page.get_by_label("Fichier CSV").set_input_files(fichier_csv(tmp_path))
    page.get_by_role("button", name="Importer").click()
    page.wait_for_url("**/admin/structures/importstructures/*/suivi/")

    enregistrement = ImportStructures.objects.get()
    assert [a[0] for a in file_d_attente] == [enregistrement.pk]
    assert page.locator("#suivi-import-attente").is_visible()
    verifier_accessibilite(page, f"suivi d'un import de structures en attente, {largeur} px")
    execution.publier_progression(enregistrement.pk, 40)
    page.wait_for_function("() => document.getElementById('suivi-import-barre').value === 40")
    assert page.locator("#suivi-import-pourcentage").inner_text() == "40 %"

    from structures.tasks import executer_import_structures
    executer_import_structures.apply(args=file_d_attente[0])
    page.get_by_text("Importé : 2 structure(s) créée(s)").wait_for()
    assert page.evaluate("() => document.getElementById('suivi-import-barre').value") == 100
    assert "Lignes lues : 2." in page.locator("#content-main").inner_text()
    verifier_accessibilite(page, f"suivi d'un import de structures terminé, {largeur} px")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
    cache.clear()
