"""Structures d'exercice coordonné: models, strict CSV import (command; from the administration in
test_import_asynchrone.py), the filters shared by the page and the API, the API contract, the pages, query counts.

Every structure here is fictitious test data ("… de test …", identifiers TEST-…, addresses and contacts on
exemple.test), attached to real commune codes of the session database.
"""
import csv
import datetime
import io
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from noyau.professions import PROFESSIONS
from structures.api import StructureViewSet
from structures.filtres import StructureFilter
from structures.imports.execution import importer_structures
from structures.imports.lecture import COLONNES
from structures.models import ChangementStatut, EffectifProfession, ImportStructures, Structure
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

HIER = timezone.localdate() - datetime.timedelta(days=1)

# --- Test data ------------------------------------------------------------------------------------------------------

MSP = {
    "identifiant": "TEST-0001", "nom": "MSP de test du Nord", "type": "msp", "universitaire": "oui",
    "commune": "34172", "adresse": "1 rue de test, 34000 Montpellier", "longitude": "3.87", "latitude": "43.61",
    "forme_juridique": "sisa", "aci": "oui", "date_aci": "2021-06-01", "date_projet": "2019-01-15",
    "date_labellisation": "2020-03-01", "date_ouverture": "2020-09-01",
    "professionnels": "medecin-generaliste:4|infirmier:3|masseur-kinesitherapeute:2",
    "email": "contact@exemple.test", "telephone": "04 00 00 00 01", "site_web": "https://exemple.test/msp",
    "themes": "Prévention|Soins non programmés",
}
CENTRE = {
    "identifiant": "TEST-0002", "nom": "Centre de santé de test du Sud", "type": "centre-sante",
    "sous_type": "dentaire", "commune": "31555", "longitude": "1,44", "latitude": "43,60",
    "forme_juridique": "association", "aci": "non", "date_ouverture": "15/02/2018",
    "professionnels": "chirurgien-dentiste:5",
}
ESP = {
    "identifiant": "TEST-0003", "nom": "ESP de test des causses", "type": "esp", "commune": "48095",
    "autres_communes": "48080|48146", "date_projet": "2022-05-01", "professionnels": "medecin-generaliste:2|pharmacien:1",
    "themes": "Parcours des personnes âgées",
}


def ecrire_csv(tmp_path, lignes, separateur=";", bom=False, colonnes=None, nom="structures.csv"):
    colonnes = colonnes or COLONNES
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=separateur, lineterminator="\n")
    ecrivain.writerow(colonnes)
    for ligne in lignes:
        ecrivain.writerow([ligne.get(c, "") for c in colonnes])
    chemin = tmp_path / nom
    chemin.write_text(("\ufeff" if bom else "") + tampon.getvalue(), encoding="utf-8")
    return chemin


def creer(nom, type_="msp", commune="34172", statuts=(("ouverte", "2020-01-01"),), effectifs=None, point=None,
          aci=False, autres=(), identifiant=None, **champs):
    """A fictitious structure written straight to the database."""
    structure = Structure.objects.create(
        identifiant=identifiant or f"TEST-{Structure.objects.count() + 100}", nom=nom, type=type_,
        commune_id=commune, aci_signe=aci, longitude=point[0] if point else None,
        latitude=point[1] if point else None, **champs)
    structure.communes.set([commune, *autres])
    for statut, jour in statuts:
        ChangementStatut.objects.create(structure=structure, statut=statut, date=datetime.date.fromisoformat(jour))
    for profession, nombre in (effectifs or {}).items():
        EffectifProfession.objects.create(structure=structure, profession=profession, nombre=nombre)
    return structure


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def jeu(db):
    """Five fictitious structures covering the filters."""
    return {
        "msp": creer("MSP de test A", commune="34172", point=(3.87, 43.61), aci=True,
                     effectifs={"medecin-generaliste": 3, "infirmier": 2}),
        "centre": creer("Centre de santé de test B", type_="centre-sante", sous_type="dentaire", commune="31555",
                        point=(1.44, 43.60), effectifs={"chirurgien-dentiste": 4}),
        "esp": creer("ESP de test C", type_="esp", commune="48095", autres=["34032"],
                     statuts=[("projet", "2023-01-01")], effectifs={"medecin-generaliste": 2, "pharmacien": 1}),
        "pta": creer("PTA de test D", type_="pta", commune="30189", point=(4.36, 43.84), aci=True,
                     statuts=[("ouverte", "2015-01-01"), ("fermee", HIER.isoformat())]),
        "reseau": creer("Réseau de test E", type_="reseau-territorial", commune="81004", statuts=[]),
    }


def instantane():
    """Everything the import may write, to prove that a rejected file changed nothing."""
    return (sorted(Structure.objects.values_list("identifiant", "nom", "type", "commune_id", "longitude", "themes")),
            sorted(ChangementStatut.objects.values_list("structure__identifiant", "statut", "date")),
            sorted(EffectifProfession.objects.values_list("structure__identifiant", "profession", "nombre")),
            sorted(Structure.communes.through.objects.values_list("structure__identifiant", "commune_id")),
            Structure.history.count())


# --- Models ---------------------------------------------------------------------------------------------------------

def test_statut_derive_de_l_historique_date():
    s = creer("MSP de test statuts", statuts=[("projet", "2019-01-01"), ("labellisee", "2020-01-01"),
                                             ("ouverte", "2099-01-01")])
    annotee = Structure.objects.avec_statut().get(pk=s.pk)
    assert (annotee.statut_actuel, annotee.statut_depuis) == ("labellisee", datetime.date(2020, 1, 1))
    assert s.statut_le(datetime.date(2019, 6, 1)).statut == "projet"
    assert s.statut_le(datetime.date(2100, 1, 1)).statut == "ouverte"
    assert s.statut_le(datetime.date(2018, 1, 1)) is None
    assert Structure.objects.avec_statut(datetime.date(2100, 1, 1)).get(pk=s.pk).statut_actuel == "ouverte"


def test_meme_jour_l_etape_la_plus_avancee_l_emporte():
    s = creer("MSP de test même jour", statuts=[("ouverte", "2021-01-01"), ("labellisee", "2021-01-01")])
    assert Structure.objects.avec_statut().get(pk=s.pk).statut_actuel == "ouverte"
    assert s.statut_le().statut == "ouverte"


def test_sans_statut_libelle_explicite():
    s = creer("Réseau de test sans statut", type_="reseau-territorial", statuts=[])
    annotee = Structure.objects.avec_statut().get(pk=s.pk)
    assert annotee.statut_actuel is None and annotee.statut_actuel_libelle == "statut non renseigné"


@pytest.mark.parametrize("champs, message", [
    ({"type": "msp", "sous_type": "dentaire"}, "réservée aux centres de santé"),
    ({"type": "esp", "universitaire": True}, "Seule une MSP"),
    ({"type": "msp", "aci_signe": False, "aci_date": datetime.date(2020, 1, 1)}, "ACI signé"),
    ({"type": "msp", "longitude": 3.8}, "Longitude et latitude vont ensemble"),
])
def test_contraintes_du_modele_en_francais(champs, message):
    structure = Structure(identifiant="TEST-X", nom="Structure de test", commune_id="34172", **champs)
    with pytest.raises(ValidationError) as exc:
        structure.full_clean()
    assert message in str(exc.value)


def test_type_complet_et_professions():
    assert Structure(type="centre-sante", sous_type="infirmier").type_complet == "Centre de santé infirmier"
    assert Structure(type="msp", universitaire=True).type_complet.endswith("(MSP) universitaire")
    assert list(PROFESSIONS) == ["medecin-generaliste", "medecin-specialiste", "chirurgien-dentiste", "infirmier",
                                 "masseur-kinesitherapeute", "orthophoniste", "orthoptiste", "pharmacien",
                                 "sage-femme", "pedicure-podologue"]


# --- Import: good files ---------------------------------------------------------------------------------------------

def test_import_d_un_bon_fichier(tmp_path, admin_user):
    chemin = ecrire_csv(tmp_path, [MSP, CENTRE, ESP])
    resultat = importer_structures(chemin, utilisateur=admin_user, origine="test")
    assert resultat.statut == ImportStructures.Statut.IMPORTE, resultat.rapport
    assert (resultat.lignes_lues, resultat.creees, resultat.modifiees, resultat.inchangees) == (3, 3, 0, 0)
    assert resultat.utilisateur == admin_user and len(resultat.sha256) == 64 and resultat.termine_le

    msp = Structure.objects.get(identifiant="TEST-0001")
    assert (msp.nom, msp.type, msp.universitaire, msp.commune_id) == ("MSP de test du Nord", "msp", True, "34172")
    assert (msp.longitude, msp.latitude, msp.forme_juridique) == (3.87, 43.61, "sisa")
    assert (msp.aci_signe, msp.aci_date) == (True, datetime.date(2021, 6, 1))
    assert (msp.email, msp.telephone, msp.site_web) == ("contact@exemple.test", "04 00 00 00 01",
                                                        "https://exemple.test/msp")
    assert msp.themes == ["Prévention", "Soins non programmés"]
    assert msp.import_source == resultat
    assert sorted((c.statut, c.date.isoformat()) for c in msp.changements_statut.all()) == [
        ("labellisee", "2020-03-01"), ("ouverte", "2020-09-01"), ("projet", "2019-01-15")]
    assert {e.profession: e.nombre for e in msp.effectifs.all()} == {
        "medecin-generaliste": 4, "infirmier": 3, "masseur-kinesitherapeute": 2}
    assert Structure.objects.avec_statut().get(pk=msp.pk).statut_actuel == "ouverte"

    centre = Structure.objects.get(identifiant="TEST-0002")
    assert (centre.sous_type, centre.longitude, centre.latitude) == ("dentaire", 1.44, 43.60)  # decimal commas
    assert centre.changements_statut.get().date == datetime.date(2018, 2, 15)  # JJ/MM/AAAA
    esp = Structure.objects.get(identifiant="TEST-0003")
    assert sorted(esp.communes.values_list("code_insee", flat=True)) == ["48080", "48095", "48146"]
    assert esp.longitude is None
    # History: who wrote it.
    assert msp.history.first().history_user == admin_user


def test_second_import_identique_n_ecrit_rien(tmp_path):
    chemin = ecrire_csv(tmp_path, [MSP, CENTRE, ESP])
    importer_structures(chemin)
    historique = instantane()
    resultat = importer_structures(chemin)
    assert (resultat.creees, resultat.modifiees, resultat.inchangees) == (0, 0, 3)
    assert instantane() == historique  # not even a history entry


def test_mise_a_jour_par_identifiant_remplace_la_ligne_entiere(tmp_path):
    autre = creer("Structure de test hors fichier", identifiant="TEST-9999")
    importer_structures(ecrire_csv(tmp_path, [MSP, ESP]))
    modifiee = {**MSP, "nom": "MSP de test du Nord (renommée)", "date_projet": "", "date_fermeture": "2030-01-01",
                "professionnels": "medecin-generaliste:5|sage-femme:1", "themes": "Prévention",
                "universitaire": "non"}
    resultat = importer_structures(ecrire_csv(tmp_path, [modifiee, ESP], nom="v2.csv"))
    assert (resultat.creees, resultat.modifiees, resultat.inchangees) == (0, 1, 1)
    assert resultat.rapport["absentes"] == 1
    msp = Structure.objects.get(identifiant="TEST-0001")
    assert msp.nom == "MSP de test du Nord (renommée)" and not msp.universitaire and msp.themes == ["Prévention"]
    assert sorted(msp.changements_statut.values_list("statut", flat=True)) == ["fermee", "labellisee", "ouverte"]
    assert dict(msp.effectifs.values_list("profession", "nombre")) == {"medecin-generaliste": 5, "sage-femme": 1}
    assert msp.history.count() >= 2 and msp.history.first().nom.endswith("(renommée)")
    assert Structure.objects.filter(pk=autre.pk).exists()  # absent from the file: left as it is


def test_virgule_bom_cellules_sur_plusieurs_lignes(tmp_path):
    multi = {**ESP, "adresse": "Bâtiment de test\nrez-de-chaussée"}
    fautive = {**CENTRE, "identifiant": "TEST-0004", "type": "hopital"}
    chemin = ecrire_csv(tmp_path, [multi, fautive], separateur=",", bom=True)
    resultat = importer_structures(chemin)
    # The quoted address spans lines 2-3: the next row is line 4.
    assert [e["ligne"] for e in resultat.rapport["erreurs"]] == [4]
    ok = ecrire_csv(tmp_path, [multi], separateur=",", bom=True, nom="ok.csv")
    assert importer_structures(ok).statut == ImportStructures.Statut.IMPORTE
    assert Structure.objects.get(identifiant="TEST-0003").adresse == "Bâtiment de test\nrez-de-chaussée"


def test_ancien_code_et_zero_initial_avec_avertissement(tmp_path):
    ligne = {**ESP, "commune": "9001", "autres_communes": "09028"}  # 09028: Aulos, commune déléguée of 09296
    resultat = importer_structures(ecrire_csv(tmp_path, [ligne]))
    assert resultat.statut == ImportStructures.Statut.IMPORTE
    esp = Structure.objects.get(identifiant="TEST-0003")
    assert esp.commune_id == "09001"
    assert sorted(esp.communes.values_list("code_insee", flat=True)) == ["09001", "09296"]
    messages = [a["message"] for a in resultat.rapport["avertissements"]]
    assert any("zéro initial" in m for m in messages) and any("09028 n'est plus une commune" in m for m in messages)


def test_essai_a_blanc(tmp_path):
    resultat = importer_structures(ecrire_csv(tmp_path, [MSP, CENTRE]), essai=True)
    assert resultat.statut == ImportStructures.Statut.VALIDE and resultat.essai
    assert resultat.rapport["nb_creees"] == 2
    assert Structure.objects.count() == 0


# --- Import: bad files, rejected whole ------------------------------------------------------------------------------

FAUTES = [
    ({"commune": "34999"}, "code INSEE inconnu : 34999"),
    ({"commune": "ABCDE"}, "code INSEE invalide"),
    ({"autres_communes": "34172|99999"}, "code INSEE inconnu : 99999"),
    ({"commune": ""}, "commune (code INSEE de la commune principale) manquante"),
    ({"type": "hopital"}, "type inconnu « hopital »"),
    ({"type": ""}, "type manquant"),
    ({"forme_juridique": "sarl"}, "forme_juridique inconnu « sarl »"),
    ({"professionnels": "medecin:2"}, "profession inconnue « medecin »"),
    ({"professionnels": "infirmier:deux"}, "nombre invalide « deux »"),
    ({"professionnels": "infirmier:0"}, "nombre invalide « 0 »"),
    ({"professionnels": "infirmier"}, "au lieu de code:nombre"),
    ({"professionnels": "infirmier:1|infirmier:2"}, "profession infirmier indiquée deux fois"),
    ({"date_ouverture": "2020-13-01"}, "date_ouverture : date invalide « 2020-13-01 »"),
    ({"date_aci": "hier"}, "date_aci : date invalide"),
    ({"date_projet": "", "date_labellisation": "", "date_ouverture": ""}, "aucune date de statut"),
    ({"date_fermeture": "2018-01-01"}, "postérieure à la date de fermeture"),
    ({"date_projet": "2021-01-01"}, "antérieure à la date de projet"),
    ({"longitude": "abc"}, "longitude : « abc » n'est pas un nombre"),
    ({"latitude": "123"}, "coordonnées hors limites"),
    ({"latitude": ""}, "latitude manquante"),
    ({"universitaire": "peut-être"}, "n'est ni oui ni non"),
    ({"aci": "non"}, "date_aci renseignée alors que aci vaut non"),
    ({"sous_type": "dentaire"}, "réservé aux centres de santé"),
    ({"type": "esp", "universitaire": "oui"}, "seule une MSP peut l'être"),
    ({"type": "centre-sante", "universitaire": ""}, "sous_type obligatoire pour un centre de santé"),
    ({"email": "pas-un-courriel"}, "email invalide"),
    ({"site_web": "www.exemple.test"}, "site_web invalide"),
    ({"telephone": "04 00"}, "téléphone invalide"),
    ({"identifiant": ""}, "identifiant manquant"),
    ({"identifiant": "TEST 1"}, "identifiant invalide"),
    ({"nom": ""}, "nom manquant"),
    ({"nom": "x" * 301}, "nom : 301 caractères"),
]


@pytest.mark.parametrize("changement, message", FAUTES, ids=[m for _, m in FAUTES])
def test_fichier_fautif_rejete_en_entier_avec_la_ligne(tmp_path, changement, message):
    existante = creer("Structure de test existante", identifiant="TEST-0002")  # the file would update it
    avant = instantane()
    chemin = ecrire_csv(tmp_path, [CENTRE, {**MSP, **changement}, ESP])
    resultat = importer_structures(chemin)
    assert resultat.statut == ImportStructures.Statut.REJETE
    erreurs = resultat.rapport["erreurs"]
    assert any(e["ligne"] == 3 and message in e["message"] for e in erreurs), erreurs
    assert resultat.nb_erreurs == len(erreurs) >= 1 and resultat.creees == 0
    assert instantane() == avant
    assert Structure.objects.get(pk=existante.pk).nom == "Structure de test existante"


def test_toutes_les_erreurs_d_un_coup_triees_par_ligne(tmp_path):
    chemin = ecrire_csv(tmp_path, [{**MSP, "type": "x"}, CENTRE, {**ESP, "commune": "34999", "date_projet": "32/01/2020"},
                                   {**CENTRE, "nom": "Doublon de test"}])
    resultat = importer_structures(chemin)
    lignes = [e["ligne"] for e in resultat.rapport["erreurs"]]
    assert lignes == sorted(lignes) and set(lignes) == {2, 4, 5}
    doublon = next(e for e in resultat.rapport["erreurs"] if e["ligne"] == 5)
    assert doublon["message"] == "identifiant TEST-0002 en double (déjà ligne 3)"
    assert Structure.objects.count() == 0


def test_chaque_groupe_de_colonnes_signale_ses_erreurs_sur_la_meme_ligne(tmp_path):
    """A row is checked column group by column group, every group reporting: identity, communes, point, agreement,
    statuses, professionals, contact (the address too), themes."""
    fautive = {**MSP, "nom": "", "commune": "34999", "longitude": "abc", "date_aci": "", "aci": "peut-être",
               "date_ouverture": "2018-01-01", "professionnels": "plombier:2", "adresse": "x" * 501,
               "email": "pas-une-adresse", "themes": "y" * 201}
    resultat = importer_structures(ecrire_csv(tmp_path, [fautive]))
    assert resultat.statut == ImportStructures.Statut.REJETE and Structure.objects.count() == 0
    assert [e["ligne"] for e in resultat.rapport["erreurs"]] == [2] * 9
    assert [e["message"].split(" :")[0].split(" «")[0] for e in resultat.rapport["erreurs"]] == [
        "nom manquant", "code INSEE inconnu", "longitude", "aci", "date de statut", "profession inconnue", "adresse",
        "email invalide", "thème de plus de 200 caractères"]


def test_commune_principale_hors_region(tmp_path):
    hors = CommuneFactory(nom="Commune fictive hors région")
    resultat = importer_structures(ecrire_csv(tmp_path, [{**MSP, "commune": hors.code_insee}]))
    assert resultat.statut == ImportStructures.Statut.REJETE
    assert "n'est pas dans les régions servies par le portail" in resultat.rapport["erreurs"][0]["message"]
    # As another commune of an ESP, a commune outside the region is accepted.
    assert importer_structures(ecrire_csv(tmp_path, [{**ESP, "autres_communes": hors.code_insee}],
                                          nom="b.csv")).statut == ImportStructures.Statut.IMPORTE


@pytest.mark.parametrize("contenu, ligne, message", [
    (b"", None, "fichier vide"),
    (";".join(COLONNES).encode(), None, "aucune structure dans le fichier"),
    (b"identifiant;nom;type;commune;date_inauguration\nTEST-1;x;msp;34172;2020-01-01\n", 1,
     "colonne(s) inconnue(s) : date_inauguration"),
    (b"identifiant;nom;type;date_projet\nTEST-1;x;msp;2020-01-01\n", 1, "colonne(s) obligatoire(s) absente(s) : commune"),
    (b"identifiant;nom;type;commune\nTEST-1;x;msp;34172\n", 1, "aucune colonne de date de statut"),
    (b"identifiant;nom;nom;type;commune;date_projet\n", 1, "colonne(s) en double : nom"),
    (b"identifiant;nom;type;commune;date_projet\nTEST-1;x;msp;34172;2020-01-01\nTEST-2;y;msp\n", 3,
     "3 cellule(s) au lieu de 5"),
    ("identifiant;nom;type;commune;date_projet\nTEST-1;Maison de santé de test;msp;34172;2020-01-01\n"
     .encode("cp1252"), None, "n'est pas en UTF-8"),
])
def test_fichier_illisible_rejete(tmp_path, contenu, ligne, message):
    chemin = tmp_path / "structures.csv"
    chemin.write_bytes(contenu)
    resultat = importer_structures(chemin)
    assert resultat.statut == ImportStructures.Statut.REJETE
    erreur = resultat.rapport["erreurs"][0]
    assert erreur["ligne"] == ligne and message in erreur["message"], resultat.rapport["erreurs"]
    assert Structure.objects.count() == 0


def test_chaque_import_est_enregistre(tmp_path):
    importer_structures(ecrire_csv(tmp_path, [MSP]), essai=True)
    importer_structures(ecrire_csv(tmp_path, [{**MSP, "type": "x"}], nom="faux.csv"))
    importer_structures(ecrire_csv(tmp_path, [MSP], nom="bon.csv"))
    statuts = list(ImportStructures.objects.order_by("pk").values_list("fichier_nom", "statut", "nb_erreurs"))
    assert statuts == [("structures.csv", "valide", 0), ("faux.csv", "rejete", 1), ("bon.csv", "importe", 0)]


# --- Command --------------------------------------------------------------------------------------------------------

def test_commande_dry_run_puis_import(tmp_path, capsys):
    chemin = ecrire_csv(tmp_path, [MSP, ESP])
    call_command("importer_structures", str(chemin), "--dry-run")
    sortie = capsys.readouterr().out
    assert "Essai à blanc : fichier valide, rien n'a été écrit" in sortie and "À créer ou créées : 2" in sortie
    assert Structure.objects.count() == 0
    call_command("importer_structures", str(chemin))
    assert "Importé : 2 structure(s) créée(s)" in capsys.readouterr().out
    assert Structure.objects.count() == 2
    assert ImportStructures.objects.latest("cree_le").origine.startswith("commande importer_structures")


def test_commande_fichier_fautif(tmp_path, capsys, admin_user):
    chemin = ecrire_csv(tmp_path, [MSP, {**ESP, "commune": "34999"}])
    with pytest.raises(CommandError, match=r"Fichier rejeté \(1 erreur\(s\)\) : rien n'a été modifié"):
        call_command("importer_structures", str(chemin), utilisateur=admin_user.username)
    assert "Erreur, ligne 3 : code INSEE inconnu : 34999" in capsys.readouterr().out
    assert ImportStructures.objects.get().utilisateur == admin_user
    with pytest.raises(CommandError, match="fichier introuvable"):
        call_command("importer_structures", str(tmp_path / "absent.csv"))
    with pytest.raises(CommandError, match="utilisateur inconnu"):
        call_command("importer_structures", str(chemin), utilisateur="personne")


# --- Admin ----------------------------------------------------------------------------------------------------------

# The import from the administration (deposited, run by a task, followed on its page): test_import_asynchrone.py.


def test_administration_des_structures_et_historique(admin_client, jeu):
    assert admin_client.get(reverse("admin:structures_structure_changelist")).status_code == 200
    msp = jeu["msp"]
    assert admin_client.get(reverse("admin:structures_structure_change", args=[msp.pk])).status_code == 200
    assert admin_client.get(reverse("admin:structures_structure_history", args=[msp.pk])).status_code == 200
    assert admin_client.get(reverse("admin:structures_structure_add")).status_code == 200
    html = admin_client.get(reverse("admin:structures_structure_changelist")).content.decode()
    assert reverse("admin:structures_importstructures_add") in html


def test_saisie_dans_l_administration(admin_client, admin_user):
    donnees = {
        "identifiant": "TEST-ADM", "nom": "MSP de test saisie", "type": "msp", "commune": "34172",
        "communes": ["34032"], "themes": "Prévention\nPrévention\nSanté mentale", "aci_signe": "on",
        "aci_date": "2024-01-02", "site_web": "https://exemple.test",
        "changements_statut-TOTAL_FORMS": "1", "changements_statut-INITIAL_FORMS": "0",
        "changements_statut-0-statut": "ouverte", "changements_statut-0-date": "2024-01-01",
        "effectifs-TOTAL_FORMS": "1", "effectifs-INITIAL_FORMS": "0",
        "effectifs-0-profession": "sage-femme", "effectifs-0-nombre": "2",
    }
    reponse = admin_client.post(reverse("admin:structures_structure_add"), donnees)
    assert reponse.status_code == 302, reponse.context["adminform"].form.errors if reponse.context else reponse
    structure = Structure.objects.get(identifiant="TEST-ADM")
    assert structure.themes == ["Prévention", "Santé mentale"]
    assert sorted(structure.communes.values_list("code_insee", flat=True)) == ["34032", "34172"]  # main one added
    assert Structure.objects.avec_statut().get(pk=structure.pk).statut_actuel == "ouverte"
    assert structure.history.first().history_user == admin_user
    centre = {**donnees, "identifiant": "TEST-ADM2", "type": "centre-sante",
              "changements_statut-TOTAL_FORMS": "0", "effectifs-TOTAL_FORMS": "0"}
    reponse = admin_client.post(reverse("admin:structures_structure_add"), centre)
    assert reponse.status_code == 200
    assert "Précisez la catégorie du centre de santé." in reponse.content.decode()


# --- Filters: one definition for the page and the API ---------------------------------------------------------------

FILTRES = [
    {"type": "msp"}, {"type": "centre-sante"}, {"statut": "ouverte"}, {"statut": "fermee"}, {"statut": "projet"},
    {"departement": "34"}, {"departement": "48"}, {"profession": "medecin-generaliste"},
    {"profession": "chirurgien-dentiste"}, {"aci": "oui"}, {"aci": "non"}, {"commune": "34032"},
    {"q": "de test b"}, {"type": "esp", "departement": "34", "profession": "pharmacien"},
]


@pytest.mark.parametrize("parametres", FILTRES)
def test_memes_filtres_page_et_api(client, api, jeu, parametres):
    assert StructureViewSet.filterset_class is StructureFilter
    page = client.get("/structures/", parametres)
    assert page.status_code == 200
    noms_page = [s.nom for s in page.context["page_obj"]]
    noms_api = [s["nom"] for s in api.get("/api/v1/structures/", parametres).json()["results"]]
    assert noms_page == noms_api and noms_page


def test_resultats_des_filtres(api, jeu):
    def noms(**parametres):
        return {s["nom"] for s in api.get("/api/v1/structures/", parametres).json()["results"]}
    assert noms(statut="fermee") == {"PTA de test D"}  # closed yesterday: its status today is derived
    assert noms(statut="ouverte") == {"MSP de test A", "Centre de santé de test B"}
    assert noms(departement="34") == {"MSP de test A", "ESP de test C"}  # the ESP also covers 34032
    assert noms(profession="medecin-generaliste") == {"MSP de test A", "ESP de test C"}
    assert noms(aci="oui") == {"MSP de test A", "PTA de test D"}


# --- API ------------------------------------------------------------------------------------------------------------

CHAMPS_LISTE = {"id", "identifiant", "nom", "type", "type_libelle", "sous_type", "universitaire", "statut",
                "statut_depuis", "commune", "communes", "adresse", "longitude", "latitude", "forme_juridique",
                "aci_signe", "aci_date", "professionnels", "email", "telephone", "site_web", "themes", "registre", "url",
                "page"}


def test_api_liste(api, jeu):
    corps = api.get("/api/v1/structures/").json()
    assert corps["count"] == 5 and corps["previous"] is None
    assert [s["nom"] for s in corps["results"]][0] == "Centre de santé de test B"  # by name
    msp = next(s for s in corps["results"] if s["nom"] == "MSP de test A")
    assert set(msp) == CHAMPS_LISTE
    assert msp["statut"] == "ouverte" and msp["statut_depuis"] == "2020-01-01"
    assert msp["commune"] == {"code_insee": "34172", "nom": "Montpellier", "departement": "34"}
    assert msp["professionnels"] == [{"profession": "medecin-generaliste", "libelle": "Médecin généraliste",
                                      "nombre": 3}, {"profession": "infirmier", "libelle": "Infirmier", "nombre": 2}]
    assert msp["url"].endswith(f"/api/v1/structures/{jeu['msp'].pk}/")
    assert msp["page"].endswith(f"/structures/{jeu['msp'].pk}/")
    reseau = next(s for s in corps["results"] if s["type"] == "reseau-territorial")
    assert reseau["statut"] is None and reseau["longitude"] is None
    assert msp["registre"] is None  # a structure kept by the ARS, not from a register
    assert len(api.get("/api/v1/structures/", {"page_size": 2}).json()["results"]) == 2


def test_api_detail(api, jeu):
    esp = jeu["esp"]
    corps = api.get(f"/api/v1/structures/{esp.pk}/").json()
    assert set(corps) == CHAMPS_LISTE | {"statuts"}
    assert corps["communes"] == [{"code_insee": "34032", "nom": "Béziers"}, {"code_insee": "48095", "nom": "Mende"}]
    assert corps["statuts"] == [{"statut": "projet", "libelle": "en projet", "date": "2023-01-01"}]
    assert corps["type_libelle"] == "Équipe de soins primaires (ESP)"


@pytest.mark.parametrize("parametres, fautif", [
    ({"type": "hopital"}, "type"), ({"statut": "ferme"}, "statut"), ({"departement": "99"}, "departement"),
    ({"profession": "medecin"}, "profession"), ({"aci": "peut-etre"}, "aci"), ({"commune": "99999"}, "commune"),
    ({"page": "0"}, "page"), ({"page_size": "1000"}, "page_size"),
])
def test_api_400_nomme_le_parametre(api, jeu, parametres, fautif):
    reponse = api.get("/api/v1/structures/", parametres)
    assert reponse.status_code == 400
    assert fautif in reponse.json()


@pytest.mark.parametrize("chemin", ["/api/v1/structures/999999/", "/api/v1/structures/abc/"])
def test_api_404_json(api, jeu, chemin):
    reponse = api.get(chemin)
    assert reponse.status_code == 404
    assert reponse.json()["detail"].startswith("Aucune structure n'a le numéro")


def test_api_schema_documente_les_structures(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    liste = schema["paths"]["/api/v1/structures/"]["get"]
    assert liste["summary"] == "Lister les structures d'exercice coordonné"
    assert {"type", "statut", "departement", "profession", "aci", "commune", "q", "page", "page_size"} <= {
        p["name"] for p in liste["parameters"]}
    assert "400" in liste["responses"]
    assert "404" in schema["paths"]["/api/v1/structures/{id}/"]["get"]["responses"]


# --- Pages ----------------------------------------------------------------------------------------------------------

def scripts_en_ligne(html: str) -> list[str]:
    """<script> elements with code in the page (json_script data blocks are not code)."""
    return [s for s in re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) if 'type="application/json"' not in s]


def test_page_liste(client, jeu):
    reponse = client.get("/structures/")
    assert reponse.status_code == 200 and reverse("structures") == "/structures/"
    html = unescape(reponse.content.decode())
    assert "<h1>Structures d'exercice coordonné</h1>" in html and "5 structures" in html
    assert f'href="/structures/{jeu["msp"].pk}/"' in html and "ACI signé" in html
    assert 'id="carte-structures"' in html and "leaflet/leaflet.js" in html and "js/carte_structures.js" in html
    assert '<a class="fr-nav__link" href="/structures/" aria-current="page">Structures</a>' in html
    points = reponse.context["points"]
    assert {p["nom"] for p in points} == {"MSP de test A", "Centre de santé de test B", "PTA de test D"}
    assert 'id="points-structures" type="application/json"' in html
    assert scripts_en_ligne(html) == []
    for nom in ["type", "statut", "departement", "profession", "aci"]:
        assert f'<select class="fr-select" id="id_{nom}" name="{nom}"' in html


def test_page_liste_filtree_et_carte_filtree(client, jeu):
    reponse = client.get("/structures/", {"type": "centre-sante"})
    assert [s.nom for s in reponse.context["page_obj"]] == ["Centre de santé de test B"]
    assert [p["nom"] for p in reponse.context["points"]] == ["Centre de santé de test B"]
    html = reponse.content.decode()
    assert '<option value="centre-sante" selected>' in html and "Tout afficher" in html


def test_page_liste_filtre_invalide_400_en_francais(client, jeu):
    reponse = client.get("/structures/", {"type": "hopital", "departement": "99"})
    assert reponse.status_code == 400
    html = unescape(reponse.content.decode())
    assert "Filtre invalide" in html and "fr-error-text" in html and "Sélectionnez un choix valide" in html
    assert 'id="carte-structures"' not in html


def test_page_liste_paginee_en_gardant_les_filtres(client):
    for i in range(25):
        creer(f"MSP de test {i:02d}", identifiant=f"TEST-P{i:02d}")
    reponse = client.get("/structures/", {"type": "msp", "page": "2"})
    assert reponse.status_code == 200
    assert len(reponse.context["page_obj"]) == 5
    html = unescape(reponse.content.decode())
    assert "fr-pagination" in html and "type=msp" in html
    assert client.get("/structures/", {"page": "abc"}).status_code == 200  # a bad page number shows the first


def test_page_liste_vide(client):
    html = unescape(client.get("/structures/").content.decode())
    assert "Aucune structure n'est encore enregistrée dans le portail." in html


def test_page_structure(client, jeu):
    msp = jeu["msp"]
    msp.adresse, msp.themes, msp.email, msp.site_web = "1 rue de test", ["Prévention"], "a@exemple.test", "https://exemple.test"
    msp.save()
    reponse = client.get(f"/structures/{msp.pk}/")
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "<h1>MSP de test A</h1>" in html and "ouverte depuis le 01/01/2020" in html
    assert 'href="/communes/34172/"' in html and "Montpellier" in html
    assert '<tr data-profession="medecin-generaliste"><td>Médecin généraliste</td><td>3</td></tr>' in html
    assert "Prévention" in html and "mailto:a@exemple.test" in html and "1 rue de test" in html
    assert 'id="carte-structure"' in html and 'id="point-structure" type="application/json"' in html
    assert scripts_en_ligne(html) == []
    esp = client.get(f"/structures/{jeu['esp'].pk}/")
    html = unescape(esp.content.decode())
    assert "Emplacement non renseigné." in html and "commune principale" in html and "leaflet.js" not in html


def test_page_structure_inconnue_404(client):
    reponse = client.get("/structures/999999/")
    assert reponse.status_code == 404
    assert "Aucune structure n'a le numéro 999999." in unescape(reponse.content.decode())


# --- Query counts ---------------------------------------------------------------------------------------------------

@pytest.fixture
def beaucoup(jeu):
    for i in range(30):
        creer(f"MSP de test n° {i}", identifiant=f"TEST-N{i:02d}", point=(3.0 + i / 100, 43.5),
              effectifs={"infirmier": 1, "sage-femme": 2}, autres=["34032"])


def test_api_nombre_de_requetes_borne(api, beaucoup, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # count, page, communes, professionals
        assert api.get("/api/v1/structures/", {"page_size": 100}).json()["count"] == 35
    with django_assert_max_num_queries(5):  # the same, and the département's lookup (validation of the filter)
        api.get("/api/v1/structures/", {"departement": "34", "profession": "infirmier", "statut": "ouverte"})
    identifiant = Structure.objects.get(nom="MSP de test n° 3").pk
    with django_assert_max_num_queries(4):  # structure, communes, professionals, statuses
        assert api.get(f"/api/v1/structures/{identifiant}/").status_code == 200


def test_pages_nombre_de_requetes_borne(client, beaucoup, django_assert_max_num_queries):
    # count, page, communes, professionals, map points, the registers they come from, the départements' select
    # (its size and its options), and the map's initial view: the served extent (territoires.etendue, cold: the
    # cache generations and the départements' outlines)
    with django_assert_max_num_queries(10):
        assert client.get("/structures/", {"type": "msp"}).status_code == 200
    identifiant = Structure.objects.get(nom="MSP de test n° 3").pk
    with django_assert_max_num_queries(4):  # structure with its main commune, communes, professionals, statuses
        assert client.get(f"/structures/{identifiant}/").status_code == 200
