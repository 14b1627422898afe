"""The ARS staff flow in the administration: upload a file, read the report, compare with the version in force,
publish with an effective date; groups and permissions; audit history; CSV exports; broker failures.

The CSV files are test data written by the tests themselves (real Occitanie INSEE codes, invented levels).
Celery runs eagerly here, also in CI where REDIS_URL is set and no worker runs.
"""
import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from kombu.exceptions import OperationalError

from paps.celery import app as celery_app
from territoires.models import Commune
from zonages import tasks
from zonages.depot import MESSAGE_BROKER_INDISPONIBLE
from zonages.exports import BOM
from zonages.imports.execution import DemandeImport, cle_progression, enregistrer_import
from zonages.models import Classement, ImportZonage, Zonage

pytestmark = pytest.mark.django_db

EDITEUR, LECTURE = "ARS — éditeur zonages", "ARS — lecture"
MOT_DE_PASSE = "mot-de-passe-de-test-123"
EN_VIGUEUR = {"34032": "ZAC", "31555": "ZAC", "09001": "ZIP"}  # published version built by the tests
CSV_DE_TEST = "code_insee;niveau\n34032;ZIP\n31555;ZAC\n34172;ZAC\n"  # Béziers changes, Montpellier enters
CSV_DE_TEST_FAUTIF = "code_insee;niveau\n34032;ZIP\n3403X;ZAC\n31555;ZZZ\n34999;ZAC\n"


@pytest.fixture(autouse=True)
def celery_immediat(settings, monkeypatch, tmp_path):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # Celery reads its own configuration
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


def utilisateur(nom, groupe=None, **options):
    compte = User.objects.create_user(nom, password=MOT_DE_PASSE, is_staff=True, **options)
    if groupe:
        compte.groups.add(Group.objects.get(name=groupe))
    return compte


@pytest.fixture
def editeur(client):
    compte = utilisateur("editeur.test", EDITEUR)
    client.force_login(compte)
    return compte


@pytest.fixture
def lecteur(client):
    compte = utilisateur("lecteur.test", LECTURE)
    client.force_login(compte)
    return compte


@pytest.fixture
def en_vigueur():
    zonage = Zonage.objects.create(type="medecin", reference="Version publiée de test", statut=Zonage.Statut.PUBLIE,
                                   valid_from=datetime.date(2022, 5, 7))
    Classement.objects.bulk_create([Classement(zonage=zonage, commune_id=c, niveau=n) for c, n in EN_VIGUEUR.items()])
    return zonage


def brouillon_de_test(debut=datetime.date(2026, 1, 1)):
    return Zonage.objects.create(type="medecin", reference="Brouillon de test", valid_from=debut)


def televerser(client, contenu, nom="donnees_de_test_zonage_medecin.csv", capture=None, **champs):
    donnees = {"type": "medecin", "valid_from": "2026-01-01", "reference": "Arrêté de test (fichier de test)",
               "note_source": "Fichier de test", "format": "", **champs,
               "fichier": SimpleUploadedFile(nom, contenu.encode("utf-8"), content_type="text/csv")}
    with capture(execute=True):
        return client.post(reverse("admin:zonages_importzonage_add"), donnees)


def texte(reponse) -> str:
    return unescape(reponse.content.decode())


def population(*codes):
    return sum(Commune.objects.filter(code_insee__in=codes).values_list("population", flat=True))


def test_groupes_et_permissions_crees_par_la_migration():
    editeur = Group.objects.get(name=EDITEUR)
    lecture = Group.objects.get(name=LECTURE)
    publier = Permission.objects.get(content_type__app_label="zonages", codename="publier_zonage")
    assert publier.name == "Peut publier une version de zonage" and publier.content_type.model == "zonage"
    codes_editeur = set(editeur.permissions.values_list("codename", flat=True))
    for modele in ["zonage", "classement", "importzonage", "qpv"]:
        assert {f"add_{modele}", f"change_{modele}", f"view_{modele}"} <= codes_editeur
    assert "publier_zonage" in codes_editeur
    assert not any(code.startswith("delete_") for code in codes_editeur)
    codes_lecture = set(lecture.permissions.values_list("codename", flat=True))
    assert {"view_commune", "view_departement", "view_region", "view_epci", "view_zonage", "view_classement",
            "view_importzonage", "view_qpv"} <= codes_lecture
    assert all(code.startswith("view_") for code in codes_lecture)


def test_parcours_import_difference_publication(client, editeur, en_vigueur, django_capture_on_commit_callbacks):
    # The form.
    formulaire = client.get(reverse("admin:zonages_importzonage_add"))
    assert formulaire.status_code == 200
    assert 'enctype="multipart/form-data"' in texte(formulaire) and "Essai à blanc" in texte(formulaire)

    # Upload → recorded, run by the (eager) task, redirected to the progress page.
    reponse = televerser(client, CSV_DE_TEST, capture=django_capture_on_commit_callbacks)
    enregistrement = ImportZonage.objects.get()
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("admin:zonages_importzonage_suivi", args=[enregistrement.pk])
    assert enregistrement.statut == ImportZonage.Statut.IMPORTE and enregistrement.utilisateur == editeur
    assert enregistrement.fichier.name.startswith("imports/") and enregistrement.fichier.path.endswith(".csv")
    assert enregistrement.fichier_nom == "donnees_de_test_zonage_medecin.csv"
    brouillon = Zonage.objects.get(pk=enregistrement.rapport["zonage_id"])
    assert brouillon.statut == Zonage.Statut.BROUILLON and brouillon.import_source == enregistrement
    assert dict(brouillon.classements.values_list("commune_id", "niveau")) == {
        "34032": "ZIP", "31555": "ZAC", "34172": "ZAC"}

    # Progress page: the report and the link to the draft; the JSON state.
    suivi = client.get(reponse["Location"])
    html = texte(suivi)
    assert suivi.status_code == 200 and "<progress" in html and 'value="100"' in html
    assert "Communes retenues" in html and "Couverture" in html
    assert reverse("admin:zonages_zonage_change", args=[brouillon.pk]) in html
    assert "admin_progression.js" not in html  # finished: no polling
    etat = client.get(reverse("admin:zonages_importzonage_etat", args=[enregistrement.pk])).json()
    assert etat == {"statut": "importe", "libelle": "importé", "progression": 100, "termine": True}
    detail = client.get(reverse("admin:zonages_importzonage_change", args=[enregistrement.pk]))
    assert detail.status_code == 200 and "Répartition par niveau" in texte(detail)

    # The draft: summary, difference with the version in force on its first day, publish button.
    fiche = client.get(reverse("admin:zonages_zonage_change", args=[brouillon.pk]))
    html = texte(fiche)
    assert fiche.status_code == 200
    diff = fiche.context["difference"]
    assert diff.avant == en_vigueur
    assert {(c.code_insee, c.niveau_avant, c.niveau_apres) for c in diff.changements} == {
        ("34032", "ZAC", "ZIP"), ("34172", None, "ZAC"), ("09001", "ZIP", None)}
    assert diff.population == population("34032", "34172", "09001")
    assert "Béziers" in html and "Montpellier" in html and "Aigues-Juntes" in html
    assert "Hérault (34)" in html and "Ariège (09)" in html
    assert f"{diff.population:,}".replace(",", "\u202f") in html or f"{diff.population:,}".replace(",", "\xa0") in html
    assert 'value="Publier"' in html
    assert reverse("admin:zonages_zonage_difference", args=[brouillon.pk]) in html

    # Publication with an effective date: the version in force ends the day before.
    reponse = client.post(reverse("admin:zonages_zonage_publier", args=[brouillon.pk]), {"date_effet": "2026-02-01"})
    assert reponse.status_code == 302
    brouillon.refresh_from_db()
    en_vigueur.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.PUBLIE and brouillon.valid_from == datetime.date(2026, 2, 1)
    assert en_vigueur.valid_to == datetime.date(2026, 1, 31)
    html = texte(client.get(reponse["Location"]))
    assert "Version publiée, en vigueur à partir du 01/02/2026" in html and "prend fin le 31/01/2026" in html
    assert 'value="Publier"' not in html

    # Audit history: who, when, before → after.
    dernier = brouillon.history.first()
    assert dernier.history_user == editeur and dernier.statut == Zonage.Statut.PUBLIE
    assert en_vigueur.history.first().history_user == editeur
    assert Classement.history.filter(zonage_id=brouillon.pk, history_user=editeur).count() == 3  # the import
    historique = client.get(reverse("admin:zonages_zonage_history", args=[brouillon.pk]))
    assert historique.status_code == 200 and "editeur.test" in texte(historique)


def test_publication_refusee_message_clair(client, editeur, en_vigueur):
    brouillon = brouillon_de_test(datetime.date(2021, 1, 1))
    Classement.objects.create(zonage=brouillon, commune_id="34032", niveau="ZIP")
    reponse = client.post(reverse("admin:zonages_zonage_publier", args=[brouillon.pk]), {"date_effet": "2021-01-01"},
                          follow=True)
    assert reponse.status_code == 200
    assert "Publication refusée : Une version publiée commence déjà le 07/05/2022" in texte(reponse)
    brouillon.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.BROUILLON
    reponse = client.post(reverse("admin:zonages_zonage_publier", args=[brouillon.pk]), {"date_effet": "pas une date"},
                          follow=True)
    assert reponse.status_code == 200 and "date d'effet manquante ou invalide" in texte(reponse)


def test_fichier_fautif_rejete_avec_numeros_de_ligne(client, editeur, django_capture_on_commit_callbacks):
    reponse = televerser(client, CSV_DE_TEST_FAUTIF, nom="donnees_de_test_fautives.csv",
                         capture=django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    enregistrement = ImportZonage.objects.get()
    assert enregistrement.statut == ImportZonage.Statut.REJETE and enregistrement.nb_erreurs == 3
    assert not Zonage.objects.exists() and not Classement.objects.exists()
    html = texte(client.get(reponse["Location"]))
    assert "Fichier rejeté" in html
    assert re.search(r"ligne 3</td><td>code INSEE invalide : « 3403X »", html)
    assert re.search(r"ligne 4</td><td>31555 : niveau inconnu « ZZZ »", html)
    assert re.search(r"ligne 5</td><td>code INSEE inconnu dans les régions servies : 34999", html)


def test_essai_a_blanc_n_ecrit_rien(client, editeur, django_capture_on_commit_callbacks):
    televerser(client, CSV_DE_TEST, capture=django_capture_on_commit_callbacks, essai="on")
    enregistrement = ImportZonage.objects.get()
    assert enregistrement.statut == ImportZonage.Statut.VALIDE and enregistrement.essai
    assert not Zonage.objects.exists()
    html = texte(client.get(reverse("admin:zonages_importzonage_suivi", args=[enregistrement.pk])))
    assert "Essai à blanc : le fichier est valide" in html


def test_formulaire_invalide_message_sans_import(client, editeur, django_capture_on_commit_callbacks):
    reponse = televerser(client, CSV_DE_TEST, capture=django_capture_on_commit_callbacks,
                         valid_from="2026-01-01", valid_to="2025-01-01", format="geojson")
    assert reponse.status_code == 200
    html = texte(reponse)
    assert "La date de fin est antérieure à la date d'effet." in html
    assert "Le format GeoJSON est réservé aux QPV." in html
    reponse = televerser(client, CSV_DE_TEST, nom="donnees_de_test.xlsx", capture=django_capture_on_commit_callbacks)
    assert reponse.status_code == 200 and "Extension « .xlsx » inattendue" in texte(reponse)
    assert not ImportZonage.objects.exists()


def test_broker_injoignable_import_marque_echoue(client, editeur, monkeypatch, django_capture_on_commit_callbacks):
    def broker_en_panne(*args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(tasks.executer_import_zonage, "delay", broker_en_panne)
    reponse = televerser(client, CSV_DE_TEST, capture=django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    enregistrement = ImportZonage.objects.get()
    assert enregistrement.statut == ImportZonage.Statut.ECHOUE and enregistrement.termine_le
    assert enregistrement.rapport["erreurs"][0]["message"] == MESSAGE_BROKER_INDISPONIBLE
    assert not Zonage.objects.exists()
    html = texte(client.get(reponse["Location"]))
    assert "L'import a échoué" in html and "service de traitement des imports est indisponible" in html
    assert client.get(reverse("admin:zonages_importzonage_etat", args=[enregistrement.pk])).json()["statut"] == "echoue"


def test_import_en_attente_page_de_progression(client, editeur, tmp_path):
    chemin = tmp_path / "donnees_de_test.csv"
    chemin.write_text(CSV_DE_TEST)
    enregistrement = ImportZonage.objects.create(type="medecin", format="csv", fichier_nom=chemin.name, sha256="0" * 64,
                                                 statut=ImportZonage.Statut.EN_COURS, parametres={})
    cache.set(cle_progression(enregistrement.pk), 50)
    html = texte(client.get(reverse("admin:zonages_importzonage_suivi", args=[enregistrement.pk])))
    assert '<progress id="suivi-import-barre" max="100" value="50">' in html
    assert "js/admin_progression.js" in html and 'data-url-etat="' in html
    etat = client.get(reverse("admin:zonages_importzonage_etat", args=[enregistrement.pk])).json()
    assert etat == {"statut": "en_cours", "libelle": "en cours", "progression": 50, "termine": False}
    cache.clear()  # no progress in the cache: the record's value
    assert client.get(reverse("admin:zonages_importzonage_etat", args=[enregistrement.pk])).json()["progression"] == 0


def test_etat_reserve_au_personnel(client):
    enregistrement = ImportZonage.objects.create(type="medecin", format="csv", fichier_nom="x.csv", sha256="0" * 64)
    reponse = client.get(reverse("admin:zonages_importzonage_etat", args=[enregistrement.pk]))
    assert reponse.status_code == 302 and "/admin/login/" in reponse["Location"]
    client.force_login(utilisateur("sans.groupe"))  # staff without permissions
    assert client.get(reverse("admin:zonages_importzonage_etat", args=[enregistrement.pk])).status_code == 403


def test_groupe_lecture_voit_sans_modifier_ni_publier(client, lecteur, en_vigueur, django_capture_on_commit_callbacks):
    brouillon = brouillon_de_test()
    classement = Classement.objects.create(zonage=brouillon, commune_id="34032", niveau="ZIP")
    fiche = client.get(reverse("admin:zonages_zonage_change", args=[brouillon.pk]))
    assert fiche.status_code == 200
    html = texte(fiche)
    assert 'value="Publier"' not in html and "réservée au groupe" in html
    assert "Béziers" in html  # the difference is visible
    assert client.get(reverse("admin:zonages_zonage_changelist")).status_code == 200
    assert client.get(reverse("admin:zonages_zonage_export", args=[brouillon.pk])).status_code == 200
    # Refused: publish, change, import.
    reponse = client.post(reverse("admin:zonages_zonage_publier", args=[brouillon.pk]), {"date_effet": "2026-01-01"})
    assert reponse.status_code == 403
    brouillon.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.BROUILLON
    reponse = client.post(reverse("admin:zonages_zonage_change", args=[brouillon.pk]),
                          {"reference": "Modifiée", "valid_from": "2026-01-01"})
    assert reponse.status_code == 403
    reponse = client.post(reverse("admin:zonages_classement_change", args=[classement.pk]), {"niveau": "ZAC"})
    assert reponse.status_code == 403
    assert client.get(reverse("admin:zonages_importzonage_add")).status_code == 403
    assert televerser(client, CSV_DE_TEST, capture=django_capture_on_commit_callbacks).status_code == 403
    assert not ImportZonage.objects.exists()
    classement.refresh_from_db()
    assert classement.niveau == "ZIP"
    # History is readable, reverting from it is not.
    assert client.get(reverse("admin:zonages_zonage_history", args=[brouillon.pk])).status_code == 200


def test_modifier_le_niveau_d_une_commune_historise(client, editeur, en_vigueur):
    classement = Classement.objects.get(zonage=en_vigueur, commune_id="34032")
    url = reverse("admin:zonages_classement_change", args=[classement.pk])
    formulaire = texte(client.get(url))
    assert '<option value="ZIP">ZIP — Zone d\'intervention prioritaire</option>' in formulaire
    assert 'value="TSD"' not in formulaire  # only the levels of the version's kind
    reponse = client.post(url, {"niveau": "TSD"})
    assert reponse.status_code == 200
    assert "« TSD » n'est pas un niveau du zonage Médecins généralistes" in texte(reponse)
    reponse = client.post(url, {"niveau": "ZIP"})
    assert reponse.status_code == 302
    classement.refresh_from_db()
    assert classement.niveau == "ZIP"
    dernier = classement.history.first()
    assert dernier.history_user == editeur and dernier.niveau == "ZIP" and dernier.prev_record is None
    # (the rows of the test version were created without history; the change is recorded with its user)
    fiche = texte(client.get(reverse("admin:zonages_zonage_change", args=[en_vigueur.pk])))
    assert "Modifications de niveau après l'import" in fiche
    historique = texte(client.get(reverse("admin:zonages_classement_history", args=[classement.pk])))
    assert "editeur.test" in historique
    # Reverting from the history is refused.
    version = classement.history.first().history_id
    assert client.post(reverse("admin:zonages_classement_simple_history", args=[classement.pk, version]),
                       {"niveau": "ZAC"}).status_code == 403


def test_journal_avant_apres_dans_la_fiche(client, editeur, django_capture_on_commit_callbacks):
    televerser(client, CSV_DE_TEST, capture=django_capture_on_commit_callbacks)
    brouillon = Zonage.objects.get()
    classement = Classement.objects.get(zonage=brouillon, commune_id="31555")
    client.post(reverse("admin:zonages_classement_change", args=[classement.pk]), {"niveau": "ZIP"})
    fiche = client.get(reverse("admin:zonages_zonage_change", args=[brouillon.pk]))
    [modification] = fiche.context["modifications"]
    assert (modification.code_insee, modification.avant, modification.apres, modification.utilisateur) == (
        "31555", "ZAC", "ZIP", "editeur.test")


def test_exports_csv(client, lecteur, en_vigueur):
    brouillon = brouillon_de_test()
    Classement.objects.bulk_create([Classement(zonage=brouillon, commune_id="34032", niveau="ZIP"),
                                    Classement(zonage=brouillon, commune_id="31555", niveau="ZAC")])
    reponse = client.get(reverse("admin:zonages_zonage_export", args=[en_vigueur.pk]))
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="zonage_medecin_2022-05-07_v{en_vigueur.pk}.csv"' in reponse["Content-Disposition"]
    contenu = reponse.content.decode("utf-8")
    assert contenu.startswith(BOM)
    assert contenu[1:].splitlines() == ["code_insee;commune;département;niveau;libellé",
                                        "09001;Aigues-Juntes;09;ZIP;Zone d'intervention prioritaire",
                                        "31555;Toulouse;31;ZAC;Zone d'action complémentaire",
                                        "34032;Béziers;34;ZAC;Zone d'action complémentaire"]
    url = reverse("admin:zonages_zonage_difference", args=[brouillon.pk])
    lignes = client.get(url).content.decode("utf-8")[1:].splitlines()  # default: the version in force
    assert [ligne.split(";")[0] for ligne in lignes[1:]] == ["09001", "34032"]
    assert lignes[2].endswith(";ZAC;Zone d'action complémentaire;ZIP;Zone d'intervention prioritaire;"
                              "changement de niveau")
    lignes = client.get(url, {"avec": "aucune"}).content.decode("utf-8")[1:].splitlines()
    assert [ligne.split(";")[0] for ligne in lignes[1:]] == ["31555", "34032"]
    lignes = client.get(url, {"avec": en_vigueur.pk}).content.decode("utf-8")[1:].splitlines()
    assert len(lignes) == 3
    # A bad parameter: a message on the version's page, never a 500.
    reponse = client.get(url, {"avec": "abc"}, follow=True)
    assert reponse.status_code == 200 and "Version de comparaison « abc » inconnue" in texte(reponse)
    fiche = client.get(reverse("admin:zonages_zonage_change", args=[brouillon.pk]), {"avec": "999999"})
    assert fiche.status_code == 200 and "inconnue pour ce type de zonage" in texte(fiche)
    assert client.get(reverse("admin:zonages_zonage_export", args=[999999])).status_code == 404


def test_superutilisateur_peut_publier(client, en_vigueur):
    client.force_login(utilisateur("admin.test", is_superuser=True))
    brouillon = brouillon_de_test()
    Classement.objects.create(zonage=brouillon, commune_id="34032", niveau="ZIP")
    assert 'value="Publier"' in texte(client.get(reverse("admin:zonages_zonage_change", args=[brouillon.pk])))
    client.post(reverse("admin:zonages_zonage_publier", args=[brouillon.pk]), {"date_effet": "2026-01-01"})
    brouillon.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.PUBLIE
    for nom in ["zonage", "classement", "importzonage", "qpv"]:
        assert client.get(reverse(f"admin:zonages_{nom}_changelist")).status_code == 200
    # "Ajouter" on versions leads to the import form.
    assert client.get(reverse("admin:zonages_zonage_add"))["Location"] == reverse("admin:zonages_importzonage_add")


def test_tache_import_introuvable_ou_en_erreur(tmp_path):
    assert tasks.executer_import_zonage(999999, str(tmp_path / "absent.csv")) == "introuvable"
    enregistrement = ImportZonage.objects.create(
        type="medecin", format="csv", fichier_nom="dossier", sha256="0" * 64,
        parametres={"type": "medecin", "valid_from": "2026-01-01", "reference": "Test"})
    with pytest.raises(IsADirectoryError):  # a technical error: the record ends "échoué", the task fails
        tasks.executer_import_zonage(enregistrement.pk, str(tmp_path))
    enregistrement.refresh_from_db()
    assert enregistrement.statut == ImportZonage.Statut.ECHOUE
    assert enregistrement.rapport["erreurs"][0]["message"].startswith("erreur technique")


def test_erreur_technique_de_la_tache_jamais_de_500(client, editeur, monkeypatch, tmp_path,
                                                     django_capture_on_commit_callbacks):
    def panne(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(tasks, "executer_import", panne)  # raises before the record is touched
    reponse = televerser(client, CSV_DE_TEST, capture=django_capture_on_commit_callbacks)
    assert reponse.status_code == 302
    enregistrement = ImportZonage.objects.get()
    assert enregistrement.statut == ImportZonage.Statut.ECHOUE
    assert enregistrement.fichier.path.startswith(str(tmp_path))  # MEDIA_ROOT of the test
    assert "Erreur technique au lancement" in texte(client.get(reponse["Location"]))


def test_tache_hors_requete_historise_au_nom_de_l_utilisateur(tmp_path):
    """In a worker there is no request: the version created by the import is still recorded under its user."""
    agent = utilisateur("agent.worker", EDITEUR)
    chemin = tmp_path / "donnees_de_test_zonage_medecin.csv"
    chemin.write_text(CSV_DE_TEST, encoding="utf-8")
    enregistrement = enregistrer_import(chemin, DemandeImport(type="medecin", valid_from=datetime.date(2026, 1, 1),
                                                              reference="Test"), agent)
    assert tasks.executer_import_zonage(enregistrement.pk, str(chemin)) == ImportZonage.Statut.IMPORTE
    zonage = Zonage.objects.get()
    assert zonage.history.get().history_user == agent
    assert set(Classement.history.values_list("history_user__username", flat=True)) == {"agent.worker"}
