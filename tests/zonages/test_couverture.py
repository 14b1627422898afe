"""A file that does not class every commune of the region is refused unless the agent says what becomes of the
others (issue 15): a partial update changes only the listed communes; an incomplete version leaves them without a
level for a recorded reason. The reference load makes the same explicit choice (manifest `coverage`). A file of
another kind says which kind it seems to be. Test files are written by the tests (real INSEE codes)."""
import datetime
import shutil
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from noyau.fichiers import FichierInvalide
from tests.factories import version
from zonages.admin_formulaires import FormulaireImport
from zonages.consultation import zonage_de
from zonages.imports.execution import DemandeImport, importer_zonage
from zonages.manifeste import charger_zonages_du_manifeste
from zonages.models import Classement, ImportZonage, Zonage
from zonages.publication import publier

pytestmark = pytest.mark.django_db
D = datetime.date


def demande(**options) -> DemandeImport:
    return DemandeImport(type="medecin", valid_from=D(2026, 1, 1), reference="Arrêté de test", **options)


def une_commune(tmp_path, niveau="ZIP"):
    chemin = tmp_path / "une_commune.csv"
    chemin.write_text(f"code_insee;niveau\n34032;{niveau}\n", encoding="utf-8")
    return chemin


def test_un_fichier_qui_ne_couvre_pas_la_region_est_refuse(tmp_path):
    resultat = importer_zonage(une_commune(tmp_path), demande())
    assert resultat.statut == ImportZonage.Statut.REJETE
    [erreur] = resultat.rapport["erreurs"]
    assert erreur["ligne"] is None and erreur["message"].startswith(
        "Le fichier ne couvre pas la région : 4445 commune(s) sans niveau (09001, 09002")
    assert "« mise à jour partielle »" in erreur["message"] and "« version incomplète »" in erreur["message"]
    assert not Zonage.objects.exists()


def test_mise_a_jour_partielle_ne_change_que_les_communes_du_fichier(tmp_path):
    """The issue's case: a one-commune file, once published, used to blank every other commune."""
    base = version("ZAC", D(2022, 5, 7), communes=("34032", "31555", "09001"))
    publier(base)
    resultat = importer_zonage(une_commune(tmp_path), demande(couverture="partielle"))
    assert resultat.statut == ImportZonage.Statut.IMPORTE, resultat.rapport["erreurs"]
    assert resultat.rapport["base_id"] == base.pk and resultat.lignes_retenues == 1
    assert "dont 1 changent de niveau ; les 2 autres communes gardent leur niveau" in (
        resultat.rapport["avertissements"][0]["message"])
    nouvelle = Zonage.objects.get(pk=resultat.rapport["zonage_id"])
    assert dict(nouvelle.classements.values_list("commune_id", "niveau")) == {
        "34032": "ZIP", "31555": "ZAC", "09001": "ZAC"}
    publier(nouvelle)
    assert zonage_de("31555", "medecin", D(2026, 2, 1)).niveau == "ZAC"  # kept, not blanked
    assert zonage_de("34032", "medecin", D(2026, 2, 1)).niveau == "ZIP"


def test_mise_a_jour_partielle_sans_version_en_vigueur_refusee(tmp_path):
    resultat = importer_zonage(une_commune(tmp_path), demande(couverture="partielle"))
    assert resultat.statut == ImportZonage.Statut.REJETE
    assert "Mise à jour partielle impossible" in resultat.rapport["erreurs"][0]["message"]


def test_version_incomplete_demande_un_motif_et_l_enregistre(tmp_path):
    resultat = importer_zonage(une_commune(tmp_path), demande(couverture="incomplete"))
    assert resultat.statut == ImportZonage.Statut.REJETE and "motif obligatoire" in resultat.rapport["erreurs"][0]["message"]
    resultat = importer_zonage(une_commune(tmp_path), demande(couverture="incomplete",
                                                              motif_couverture="Liste provisoire (test)"))
    assert resultat.statut == ImportZonage.Statut.IMPORTE
    assert resultat.parametres["motif_couverture"] == "Liste provisoire (test)"
    assert resultat.rapport["avertissements"][0]["message"].startswith(
        "Version incomplète acceptée explicitement : 4445 commune(s) de la région sans niveau")
    assert Classement.objects.count() == 1


def test_formulaire_d_import_sans_type_par_defaut_et_motif_obligatoire():
    fichier = SimpleUploadedFile("test.csv", b"code_insee;niveau\n34032;ZIP\n")
    donnees = {"valid_from": "2026-01-01", "reference": "Test", "couverture": "incomplete"}
    formulaire = FormulaireImport(donnees, {"fichier": fichier})
    assert not formulaire.is_valid()
    assert formulaire.errors["type"] == ["Ce champ est obligatoire."]
    assert formulaire.errors["motif_couverture"] == [
        "Dites pourquoi les communes absentes du fichier resteront sans niveau."]
    assert FormulaireImport().fields["type"].choices[0] == ("", "— Choisissez le type du fichier —")


def test_le_chargement_de_reference_fait_le_meme_choix_explicite(tmp_path, donnees_reelles):
    """The real médecins file leaves out 12218: without `coverage` in its entry, the load stops and says so."""
    shutil.copy(donnees_reelles / "zonage_medecins_occitanie.csv", tmp_path / "medecins.csv")
    entree = ("zonages:\n  - kind: medecin\n    file: medecins.csv\n    level_column: zonage_medecins\n"
              "    valid_from: 2022-05-07\n    reference: \"Arrêté de test\"\n")
    (tmp_path / "manifest.yaml").write_text(entree, encoding="utf-8")
    with pytest.raises(FichierInvalide, match="ne couvre pas la région : 1 commune"):
        charger_zonages_du_manifeste(tmp_path)
    assert not Zonage.objects.exists()
    (tmp_path / "manifest.yaml").write_text(entree + "    coverage: incomplete\n    coverage_reason: \"12218 absente "
                                            "(test)\"\n", encoding="utf-8")
    [resultat] = charger_zonages_du_manifeste(tmp_path)
    assert resultat.etat == "chargé"
    enregistrement = ImportZonage.objects.get(pk=resultat.import_id)
    assert enregistrement.parametres["couverture"] == "incomplete"
    assert "Motif : 12218 absente (test)" in enregistrement.rapport["avertissements"][0]["message"]
    (tmp_path / "manifest.yaml").write_text(entree + "    coverage: presque\n", encoding="utf-8")
    Zonage.objects.all().delete()
    with pytest.raises(FichierInvalide, match="coverage « presque » inconnue"):
        charger_zonages_du_manifeste(tmp_path)


def test_un_fichier_infirmiers_importe_comme_medecins_suggere_son_type(client, admin_user, donnees_reelles,
                                                                       settings, tmp_path):
    resultat = importer_zonage(donnees_reelles / "zonage_infirmiers_occitanie.csv", demande(), admin_user)
    assert resultat.statut == ImportZonage.Statut.REJETE
    assert resultat.rapport["type_suggere"]["code"] == "infirmier"
    erreurs = [e["message"] for e in resultat.rapport["erreurs"]]
    assert erreurs[0].startswith("Ce fichier semble être un zonage « Infirmiers » (en-tête « zonage_infirmiers »")
    # One error per unknown level, naming its lines: not 4,446 identical ones.
    assert len(erreurs) == 6
    assert any("niveau inconnu « 4_Tres_dotee » pour le zonage Médecins généralistes" in e and "sur 1994 lignes" in e
               for e in erreurs)
    client.force_login(admin_user)
    suivi = unescape(client.get(reverse("admin:zonages_importzonage_suivi", args=[resultat.pk])).content.decode())
    lien = f"{reverse('admin:zonages_importzonage_add')}?depuis={resultat.pk}&amp;type=infirmier"
    assert "ce fichier semble être un zonage" in suivi and lien.replace("&amp;", "&") in suivi
    formulaire = client.get(reverse("admin:zonages_importzonage_add"), {"depuis": resultat.pk, "type": "infirmier"})
    initial = formulaire.context["formulaire"].initial
    assert (initial["type"], initial["reference"], initial["valid_from"]) == ("infirmier", "Arrêté de test",
                                                                           "2026-01-01")


def test_le_bon_type_ne_suggere_rien(donnees_reelles):
    resultat = importer_zonage(donnees_reelles / "zonage_infirmiers_occitanie.csv",
                               DemandeImport(type="infirmier", valid_from=D(2026, 1, 1), reference="Test",
                                             essai=True))
    assert resultat.statut == ImportZonage.Statut.VALIDE and resultat.rapport["type_suggere"] is None
