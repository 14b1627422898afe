"""Zonage imports: every real file in donnees/, and bad files of every kind (rejected whole, with lines)."""
import datetime

import pytest
from django.core.management import CommandError, call_command

from zonages.imports.execution import DemandeImport, importer_zonage
from zonages.models import QPV, Classement, ImportZonage, Zonage

pytestmark = pytest.mark.django_db
DEBUT = datetime.date(2024, 1, 1)


def demande(type_="medecin", **options):
    return DemandeImport(type=type_, valid_from=DEBUT, reference="Fichier de test", **options)


def ecrire(tmp_path, nom, texte, encodage="utf-8"):
    chemin = tmp_path / nom
    chemin.write_text(texte, encoding=encodage)
    return chemin


def etat():
    return Zonage.objects.count(), Classement.objects.count()


@pytest.mark.donnees_reelles
# 12218 (Conques-en-Rouergue, created in 2026) has no level in the older files (only its part 12076 is in them);
# 34144 neither for dentistes (its two former communes have different levels).
@pytest.mark.parametrize("fichier, type_, options, retenus, niveaux", [
    ("zonage_medecins_occitanie.csv", "medecin", {}, 4445, {"ZAC": 2556, "ZIP": 1419, "ZAR": 470}),
    ("france/zonage_infirmiers_cartosante_france.csv.gz", "infirmier", {}, 4446,
     {"TD": 1994, "SURD": 1500, "INT": 941, "SD": 7, "TSD": 4}),
    ("zonage_infirmiers_occitanie.csv", "infirmier", {}, 4446, None),
    ("zone_montagne_occitanie.csv", "montagne", {"colonne_niveau": "zone_montagne"}, 4445, {"NC": 2868, "C": 1577}),
    ("zrr_occitanie.csv", "zrr", {}, 4445, {"C": 3309, "NC": 1135, "PC": 1}),
    ("france/zone_montagne_france.csv.gz", "montagne", {"colonne_niveau": "zone_montagne"}, 4445, None),
    ("france/zrr_2021_france.csv", "zrr", {}, 4445, None),
    ("zonages_par_commune_occitanie.csv", "medecin", {"colonne_niveau": "zonage_medecins"}, 4445, None),
    ("zonages_par_commune_occitanie.csv", "infirmier", {"colonne_niveau": "zonage_infirmiers"}, 4446, None),
    ("france/zonage_masseurs-kinesitherapeutes_cartosante_france.csv.gz", "masseur-kinesitherapeute", {}, 4445,
     {"INT": 2896, "NP": 739, "TSD": 631, "SD": 179}),
    ("france/zonage_chirurgiens-dentistes_cartosante_france.csv.gz", "chirurgien-dentiste", {}, 4444,
     {"TSD": 2880, "INT": 1207, "SD": 182, "TD": 155, "NP": 20}),
    ("france/zonage_orthophonistes_cartosante_france.csv.gz", "orthophoniste", {}, 4445,
     {"INT": 3281, "SOUS_DENSE": 559, "TD": 335, "SURD": 270}),
    ("france/zonage_sages-femmes_cartosante_france.csv.gz", "sage-femme", {}, 4445,
     {"INT": 2604, "TSD": 693, "TD": 407, "SURD": 390, "SD": 351}),
    ("frr_occitanie.csv", "frr", {"colonne_niveau": "classement_frr_2025_07_10"}, 4446,
     {"SOCLE": 2787, "NC": 930, "PLUS": 555, "BENEF": 173, "BENEF_PC": 1}),
])
def test_import_des_fichiers_reels(donnees_reelles, fichier, type_, options, retenus, niveaux):
    resultat = importer_zonage(donnees_reelles / fichier, demande(type_, **options))
    assert resultat.statut == ImportZonage.Statut.IMPORTE, resultat.rapport["erreurs"]
    assert resultat.lignes_retenues == retenus
    assert len(resultat.sha256) == 64 and resultat.fichier_nom == fichier.split("/")[-1]
    zonage = Zonage.objects.get(pk=resultat.rapport["zonage_id"])
    assert zonage.statut == Zonage.Statut.BROUILLON and zonage.import_source == resultat
    assert zonage.classements.count() == retenus
    if niveaux:
        assert resultat.rapport["niveaux"] == niveaux


@pytest.mark.donnees_reelles
def test_fichier_par_code_postal_refuse(donnees_reelles):
    """Postal codes are not INSEE codes: a file keyed on them is rejected, not half-matched."""
    avant = etat()
    resultat = importer_zonage(donnees_reelles / "zonage_medecins_occitanie_brut_cp.csv",
                               demande(colonne_code="code_postal"))
    assert resultat.statut == ImportZonage.Statut.REJETE
    assert resultat.nb_erreurs > 100
    assert resultat.rapport["erreurs"][0]["message"].startswith("code INSEE inconnu dans les régions servies")
    assert etat() == avant


@pytest.mark.donnees_reelles
def test_fichier_national_ignore_et_compte_les_autres_regions(donnees_reelles):
    resultat = importer_zonage(donnees_reelles / "france/zonage_infirmiers_cartosante_france.csv.gz",
                               demande("infirmier", essai=True))
    assert resultat.statut == ImportZonage.Statut.VALIDE
    assert resultat.lignes_lues == 34919
    assert resultat.lignes_ignorees == 34919 - 4446
    assert resultat.rapport["ignores"] == {"communes hors des régions servies": 34919 - 4446}
    assert Zonage.objects.count() == 0  # a dry run writes nothing


@pytest.mark.donnees_reelles
def test_anciennes_communes_resolues_avec_avertissement_et_couverture(donnees_reelles):
    resultat = importer_zonage(donnees_reelles / "zrr_occitanie.csv", demande("zrr"))
    avertissements = [a["message"] for a in resultat.rapport["avertissements"]]
    assert any(m.startswith("09287 n'est plus une commune (commune déléguée)") and "09088" in m for m in avertissements)
    # 30094 (NC) is now part of 30329 (C): the commune nouvelle is partially classified.
    assert Classement.objects.get(zonage__type="zrr", commune_id="30329").niveau == "PC"
    medecins = importer_zonage(donnees_reelles / "zonage_medecins_occitanie.csv", demande(essai=True))
    assert medecins.rapport["non_couvertes"] == ["12218"]  # Conques-en-Rouergue, created in 2026


def test_format_cartosante_avec_bom_et_lignes_de_titre(tmp_path):
    chemin = ecrire(tmp_path, "cartosante_test.csv",
                    "\ufeffCartoSanté; ; \nRéférentiel géographique : France par commune; ; \n"
                    "Code;Libellé;Zonage médecins\n34032;Béziers;1_ZIP\n31555;Toulouse;2_ZAC\n75056;Paris;4_ZAR\n")
    resultat = importer_zonage(chemin, demande())
    assert resultat.format == "cartosante"
    assert resultat.statut == ImportZonage.Statut.IMPORTE
    assert dict(Classement.objects.values_list("commune_id", "niveau")) == {"34032": "ZIP", "31555": "ZAC"}
    assert resultat.lignes_ignorees == 1  # Paris


def test_csv_point_virgule_et_libelles_francais(tmp_path):
    chemin = ecrire(tmp_path, "test.csv", "code_insee;niveau\n34032;Zone d'intervention prioritaire\n31555;ZAC\n")
    assert importer_zonage(chemin, demande()).statut == ImportZonage.Statut.IMPORTE


def test_fichier_windows_1252_accepte(tmp_path):
    chemin = ecrire(tmp_path, "test.csv", "code_insee;niveau\n34032;Très sous-dotée\n", encodage="cp1252")
    assert importer_zonage(chemin, demande("infirmier")).statut == ImportZonage.Statut.IMPORTE


def test_fichier_fautif_rejete_en_entier_avec_les_lignes(tmp_path):
    avant = etat()
    chemin = ecrire(tmp_path, "fautif.csv", "\n".join([
        "code_insee,zonage",
        "34032,1_ZIP",      # line 2: fine
        "31555,9_XYZ",      # line 3: unknown level
        "34999,1_ZIP",      # line 4: unknown commune of the region
        "34O32,1_ZIP",      # line 5: invalid code (letter O)
        "34032,2_ZAC",      # line 6: duplicate with another level
        "09001",            # line 7: missing column
    ]) + "\n")
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.REJETE
    assert etat() == avant
    assert resultat.rapport["erreurs"] == [{"ligne": 7, "message": "1 colonne(s) au lieu de 2"}]
    # Structure first; once fixed, every content error is reported with its line.
    chemin.write_text(chemin.read_text().replace("09001\n", ""))
    resultat = importer_zonage(chemin, demande())
    erreurs = {e["ligne"]: e["message"] for e in resultat.rapport["erreurs"]}
    assert set(erreurs) == {3, 4, 5, 6}
    assert "niveau inconnu « 9_XYZ »" in erreurs[3] and "attendus : ZIP, ZAC, ZAR, HZ" in erreurs[3]
    assert "code INSEE inconnu dans les régions servies : 34999" in erreurs[4]
    assert "code INSEE invalide" in erreurs[5]
    assert "niveau ZAC différent de celui de la ligne 2 (ZIP)" in erreurs[6]
    assert resultat.nb_erreurs == 4 and resultat.lignes_retenues == 0
    assert etat() == avant


def test_anciennes_communes_en_desaccord_laissent_la_commune_sans_niveau(tmp_path):
    """09287 and 09088: a former commune and its current commune, with different levels. The file does not say which
    applies to the whole commune: no level (unknown, never a guess), the file is not rejected for it."""
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n09287,1_ZIP\n09088,2_ZAC\n34032,1_ZIP\n")
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.IMPORTE
    assert dict(Classement.objects.values_list("commune_id", "niveau")) == {"34032": "ZIP"}
    assert "09088" in resultat.rapport["non_couvertes"]
    [avertissement] = resultat.rapport["avertissements"]
    assert avertissement["ligne"] == 2
    assert avertissement["message"] == (
        "la commune 09088 réunit des communes de niveaux différents (ligne 2 (09287 : ZIP), ligne 3 (09088 : ZAC)) : "
        "laissée sans niveau, le fichier ne dit pas lequel s'applique à la commune actuelle")


def test_anciennes_communes_en_desaccord_partiellement_classee_pour_la_zrr(tmp_path):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zrr_statut\n09287,C\n09088,NC\n")
    resultat = importer_zonage(chemin, demande("zrr"))
    assert Classement.objects.get(commune_id="09088").niveau == "PC"
    assert "classée PC (partiellement)" in resultat.rapport["avertissements"][0]["message"]


def test_commune_absente_dont_une_partie_seulement_figure_reste_sans_niveau(tmp_path):
    """12218 (Conques-en-Rouergue, 2026) is not in the 2024 files, which give only 12076: the level of a part is not
    that of the whole commune."""
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n12076,1_ZIP\n34032,2_ZAC\n")
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.IMPORTE
    assert not Classement.objects.filter(commune_id="12218").exists()
    assert "12218" in resultat.rapport["non_couvertes"]
    [avertissement] = resultat.rapport["avertissements"]
    assert avertissement["ligne"] == 2 and avertissement["message"].startswith("la commune 12218 n'est pas dans le fichier")
    assert "(12076 : ZIP) ; sans 12114, 12173" in avertissement["message"] and "laissée sans niveau" in avertissement["message"]


def test_commune_absente_dont_toutes_les_anciennes_communes_figurent_et_concordent(tmp_path):
    """46172's only former commune (CommuneRattachee) is 46217: given alone, its level is carried, with a warning."""
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n46217,1_ZIP\n")
    resultat = importer_zonage(chemin, demande())
    assert Classement.objects.get(commune_id="46172").niveau == "ZIP"
    assert resultat.rapport["avertissements"][0]["message"] == (
        "46217 n'est plus une commune (commune déléguée) : niveau ZIP reporté sur la commune actuelle 46172")


def test_code_sans_zero_initial_complete_avec_avertissement(tmp_path):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n9001,1_ZIP\n")
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.IMPORTE
    assert Classement.objects.get().commune_id == "09001"
    assert "« 9001 » lu comme 09001" in resultat.rapport["avertissements"][0]["message"]


def test_colonnes_introuvables(tmp_path):
    chemin = ecrire(tmp_path, "test.csv", "a,b\n1,2\n")
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.REJETE
    assert "colonne de code INSEE introuvable" in resultat.rapport["erreurs"][0]["message"]


def test_chaque_import_est_enregistre(tmp_path, admin_user):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n34032,1_ZIP\n")
    importer_zonage(chemin, demande(), utilisateur=admin_user)
    importer_zonage(chemin, demande(essai=True))
    imports = list(ImportZonage.objects.order_by("cree_le"))
    assert [i.statut for i in imports] == [ImportZonage.Statut.IMPORTE, ImportZonage.Statut.VALIDE]
    assert imports[0].utilisateur == admin_user and imports[0].termine_le is not None
    assert imports[0].sha256 == imports[1].sha256
    assert (imports[0].lignes_lues, imports[0].lignes_retenues, imports[0].nb_erreurs) == (1, 1, 0)
    # The level history records who wrote it.
    assert Classement.history.filter(history_user=admin_user).count() == 1


def test_commande_dry_run_affiche_le_rapport_complet(tmp_path, capsys):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n34032,1_ZIP\n")
    call_command("importer_zonage", str(chemin), type="medecin", valide_du=DEBUT, reference="Test", dry_run=True)
    sortie = capsys.readouterr().out
    assert "Lignes lues : 1 ; communes retenues : 1" in sortie
    assert "Communes des régions servies sans niveau dans le fichier (4445)" in sortie
    assert "rien n'a été écrit" in sortie
    assert Zonage.objects.count() == 0


def test_commande_erreurs_claires(tmp_path):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n34032,1_XXX\n")
    with pytest.raises(CommandError, match="Fichier rejeté"):
        call_command("importer_zonage", str(chemin), type="medecin", valide_du=DEBUT, reference="Test")
    with pytest.raises(CommandError, match="date invalide"):
        call_command("importer_zonage", str(chemin), "--type", "medecin", "--valide-du", "2024-02-30", "--reference", "T")
    with pytest.raises(CommandError, match="fichier introuvable"):
        call_command("importer_zonage", str(tmp_path / "absent.csv"), type="medecin", valide_du=DEBUT, reference="T")


def test_commande_affiche_les_erreurs_avec_leur_ligne_ou_sans_ligne(tmp_path, capsys):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n34032,1_XXX\n")
    with pytest.raises(CommandError, match="Fichier rejeté"):
        call_command("importer_zonage", str(chemin), type="medecin", valide_du=DEBUT, reference="Test")
    assert "Erreur, ligne 2 : 34032 : niveau inconnu « 1_XXX »" in capsys.readouterr().out
    vide = ecrire(tmp_path, "vide.csv", "")
    with pytest.raises(CommandError, match="Fichier rejeté"):
        call_command("importer_zonage", str(vide), type="medecin", valide_du=DEBUT, reference="Test", format="csv")
    sortie = capsys.readouterr().out
    assert "Erreur : fichier vide" in sortie and "ligne None" not in sortie


def test_commande_enregistre_qui_a_importe(tmp_path, admin_user):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n34032,1_ZIP\n")
    call_command("importer_zonage", str(chemin), type="medecin", valide_du=DEBUT, reference="Test",
                 utilisateur=admin_user.username)
    enregistrement = ImportZonage.objects.get()
    assert enregistrement.utilisateur == admin_user
    assert enregistrement.parametres["origine"].startswith("commande importer_zonage (")
    with pytest.raises(CommandError, match="utilisateur inconnu : personne"):
        call_command("importer_zonage", str(chemin), type="medecin", valide_du=DEBUT, reference="T", utilisateur="personne")


def test_commande_publier(tmp_path):
    chemin = ecrire(tmp_path, "test.csv", "code_insee,zonage\n34032,1_ZIP\n")
    call_command("importer_zonage", str(chemin), type="medecin", valide_du=DEBUT, reference="Test", publier=True)
    assert Zonage.objects.get().statut == Zonage.Statut.PUBLIE


@pytest.mark.donnees_reelles
def test_charger_referentiels_charge_les_zonages_du_manifeste_une_seule_fois(donnees_reelles, capsys):
    call_command("charger_referentiels", source=str(donnees_reelles))
    premiere = capsys.readouterr().out
    assert "Zonage medecin (zonage_medecins_occitanie.csv) : chargé" in premiere
    publies = Zonage.objects.filter(statut=Zonage.Statut.PUBLIE)
    assert sorted(publies.values_list("type", flat=True)) == [
        "chirurgien-dentiste", "frr", "infirmier", "masseur-kinesitherapeute", "medecin", "montagne", "orthophoniste",
        "sage-femme", "zrr"]
    zrr = publies.get(type="zrr")
    assert (zrr.valid_from, zrr.valid_to) == (datetime.date(2017, 7, 1), datetime.date(2024, 6, 30))
    assert "France Ruralités Revitalisation" in zrr.note_source
    # FRR's classes kept apart (the tax schemes treat them differently).
    frr = dict(Classement.objects.filter(zonage__type="frr").values_list("commune_id", "niveau"))
    assert (frr["48095"], frr["31555"], len(frr)) == ("SOCLE", "NC", 4446)
    # The dentistes' 34144 (former communes of different levels) and 12218 (absent) have no level, said in the note.
    dentistes = publies.get(type="chirurgien-dentiste")
    assert not dentistes.classements.filter(commune_id__in=["34144", "12218"]).exists()
    assert "34144" in dentistes.note_source and "12218" in dentistes.note_source
    # The QPV of 2024, from the manifest's qpv section.
    assert "QPV (qpv2024_occitanie.geojson) : chargé — 108 quartiers, 43 avertissement(s)" in premiere
    assert QPV.objects.filter(communes="31555").count() == 12
    qpv = ImportZonage.objects.get(type="qpv")
    assert qpv.parametres["note_source"].startswith("Contours publiés par l'ANCT")
    call_command("charger_referentiels", source=str(donnees_reelles))
    seconde = capsys.readouterr().out
    assert "Zonage zrr (zrr_occitanie.csv) : inchangé" in seconde and "Aucun changement" in seconde
    assert "QPV (qpv2024_occitanie.geojson) : inchangé" in seconde
    assert Zonage.objects.count() == 9 and ImportZonage.objects.filter(type="qpv").count() == 1
