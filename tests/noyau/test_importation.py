"""The import framework shared by the zonage and structure imports (noyau.importation): record, statuses, the finish
step with its counts and report, failures that write nothing. Runs with the structures' record model and a report
of its own; what the test import "writes" is user accounts, so that a rollback can be seen."""
import hashlib
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.migrations.loader import MigrationLoader

from noyau import importation
from noyau.fichiers import FichierInvalide, Message, Probleme
from noyau.importation import INACHEVES, TERMINES, Statut
from structures.models import ImportStructures
from zonages.models import ImportZonage

pytestmark = pytest.mark.django_db


@dataclass
class RapportComptes(importation.Rapport):
    """A report that keeps account names, as a real one keeps communes or structures."""

    comptes_lus: list[str] = field(default_factory=list)

    def contenu(self, limite: int) -> dict:
        return {"comptes": self.comptes_lus[:limite]}

    def comptes(self, statut: str) -> dict:
        return {"creees": len(self.comptes_lus) if self.valide else 0}


def valider(lignes: list[str]) -> RapportComptes:
    """One account name a line; an empty line is an error, a repeated one a warning."""
    rapport = RapportComptes(lignes_lues=len(lignes))
    for numero, nom in enumerate(lignes, start=1):
        if not nom:
            rapport.erreur(numero, "nom de compte manquant")
        elif nom in rapport.comptes_lus:
            rapport.avertir(numero, f"{nom} : doublon")
        else:
            rapport.comptes_lus.append(nom)
    return rapport


def ecrire(rapport: RapportComptes):
    with transaction.atomic():
        for nom in rapport.comptes_lus:
            User.objects.create(username=nom)


@pytest.fixture
def fichier(tmp_path):
    chemin = tmp_path / "comptes.txt"
    chemin.write_text("import-a\nimport-b\n")
    return chemin


def lancer(chemin, lignes, essai=False, ecriture=ecrire) -> ImportStructures:
    enregistrement = importation.ouvrir(ImportStructures, chemin, origine="test")
    return importation.executer(enregistrement, RapportComptes, lambda: valider(lignes), ecriture, essai=essai)


def test_ouvrir_enregistre_le_fichier_et_son_empreinte_en_attente(fichier, tmp_path):
    enregistrement = importation.ouvrir(ImportStructures, fichier, fichier_nom="déposé.txt", origine="test")
    enregistrement.refresh_from_db()
    assert enregistrement.statut == Statut.EN_ATTENTE and not enregistrement.termine
    assert enregistrement.fichier_nom == "déposé.txt"
    assert enregistrement.sha256 == hashlib.sha256(fichier.read_bytes()).hexdigest()
    # A file that cannot be read is still recorded; its reading will say why.
    absent = importation.ouvrir(ImportStructures, tmp_path / "absent.csv")
    assert absent.fichier_nom == "absent.csv" and absent.sha256 == ""


def test_un_import_valide_est_ecrit_et_compte(fichier):
    resultat = lancer(fichier, ["import-a", "import-b", "import-a"])
    resultat.refresh_from_db()
    assert resultat.statut == Statut.IMPORTE and resultat.termine and resultat.termine_le is not None
    assert (resultat.lignes_lues, resultat.creees, resultat.nb_erreurs, resultat.nb_avertissements) == (3, 2, 0, 1)
    assert resultat.rapport == {"lignes_lues": 3, "comptes": ["import-a", "import-b"], "erreurs": [],
                                "nb_erreurs": 0, "avertissements": [{"ligne": 3, "message": "import-a : doublon"}],
                                "nb_avertissements": 1}
    assert set(User.objects.filter(username__startswith="import-").values_list("username", flat=True)) == {
        "import-a", "import-b"}


def test_un_fichier_avec_une_erreur_est_rejete_entier_et_rien_n_est_ecrit(fichier):
    resultat = lancer(fichier, ["import-a", "", "import-b", ""])
    resultat.refresh_from_db()
    assert resultat.statut == Statut.REJETE and resultat.termine_le is not None
    assert resultat.nb_erreurs == 2 and resultat.creees == 0  # the report's counts are not those of a write
    assert resultat.rapport["erreurs"] == [{"ligne": 2, "message": "nom de compte manquant"},
                                           {"ligne": 4, "message": "nom de compte manquant"}]
    assert not User.objects.filter(username__startswith="import-").exists()


def test_essai_a_blanc_valide_sans_rien_ecrire(fichier):
    resultat = lancer(fichier, ["import-a"], essai=True)
    assert resultat.statut == Statut.VALIDE and resultat.creees == 1
    assert not User.objects.filter(username="import-a").exists()


def test_une_erreur_technique_pendant_l_ecriture_annule_tout_et_est_enregistree(fichier):
    def ecrire_puis_tomber(rapport):
        with transaction.atomic():
            User.objects.create(username="import-a")
            raise OSError("disque plein")

    with pytest.raises(OSError):
        lancer(fichier, ["import-a"], ecriture=ecrire_puis_tomber)
    enregistrement = ImportStructures.objects.get()
    assert enregistrement.statut == Statut.ECHOUE and enregistrement.termine_le is not None
    assert enregistrement.nb_erreurs == 1 and enregistrement.creees == 0 and enregistrement.lignes_lues == 0
    assert enregistrement.rapport["erreurs"] == [{"ligne": None, "message": "erreur technique : disque plein"}]
    assert enregistrement.rapport["comptes"] == []  # the report of the import's own kind, empty
    assert not User.objects.filter(username="import-a").exists()


def test_une_ecriture_refusee_rend_l_import_rejete(fichier):
    """`ecrire` may find a problem only writing shows (a publication refused): it rolls back and reports it."""
    def ecrire_puis_refuser(rapport):
        try:
            with transaction.atomic():
                ecrire(rapport)
                raise ValueError("refusé")
        except ValueError:
            rapport.erreur(None, "publication refusée")

    resultat = lancer(fichier, ["import-a"], ecriture=ecrire_puis_refuser)
    assert resultat.statut == Statut.REJETE and resultat.creees == 0
    assert resultat.rapport["erreurs"] == [{"ligne": None, "message": "publication refusée"}]
    assert not User.objects.filter(username="import-a").exists()


def test_statuts_pris_en_charge_une_seule_fois_et_echec_d_un_import_inacheve(fichier):
    assert set(INACHEVES) | TERMINES == set(Statut) and not set(INACHEVES) & TERMINES
    enregistrement = importation.ouvrir(ImportStructures, fichier)
    assert importation.prendre_en_charge(enregistrement, origine="pris")
    assert enregistrement.statut == Statut.EN_COURS and enregistrement.origine == "pris"
    assert not importation.prendre_en_charge(enregistrement)  # delivered twice: not run again

    assert importation.marquer_echoue(ImportStructures, enregistrement.pk, RapportComptes.echec("processus perdu"))
    enregistrement.refresh_from_db()
    assert enregistrement.statut == Statut.ECHOUE and enregistrement.termine_le is not None
    assert enregistrement.nb_erreurs == 1
    assert enregistrement.rapport["erreurs"] == [{"ligne": None, "message": "processus perdu"}]

    termine = lancer(fichier, ["import-a"])
    assert not importation.marquer_echoue(ImportStructures, termine.pk, RapportComptes.echec("trop tard"))
    termine.refresh_from_db()
    assert termine.statut == Statut.IMPORTE  # an import that ended keeps its outcome


def test_rapport_messages_d_un_fichier_invalide_tries_et_tronques():
    rapport = RapportComptes.du_fichier_invalide(FichierInvalide([
        Probleme("f.csv", 7, "ligne 7 illisible"), Probleme("f.csv", None, "fichier vide"),
        Probleme("f.csv", 2, "colonne absente")]))
    rapport.avertir(3, "premier")
    rapport.avertir(3, "second")
    rapport.avertir(1, "au début")
    rapport.trier()
    assert rapport.erreurs == [Message(None, "fichier vide"), Message(2, "colonne absente"),
                               Message(7, "ligne 7 illisible")]
    assert [m.message for m in rapport.avertissements] == ["au début", "premier", "second"]  # stable by line
    assert rapport.lignes_messages() == [
        "Avertissement, ligne 1 : au début", "Avertissement, ligne 3 : premier", "Avertissement, ligne 3 : second",
        "Erreur : fichier vide", "Erreur, ligne 2 : colonne absente", "Erreur, ligne 7 : ligne 7 illisible"]
    tronque = rapport.en_dict(limite=1)
    assert tronque["erreurs"] == [{"ligne": None, "message": "fichier vide"}] and tronque["nb_erreurs"] == 3
    assert len(tronque["avertissements"]) == 1 and tronque["nb_avertissements"] == 3


@pytest.mark.parametrize("app, modele, avant", [("zonages", ImportZonage, "0007_territoires_deplaces"),
                                                ("structures", ImportStructures, "0003_territoires_deplaces")])
def test_les_statuts_enregistres_avant_le_vocabulaire_commun_restent_lisibles(app, modele, avant):
    """Each record model stored its own statuses until the shared vocabulary: every value it could store then is a
    value of the shared one, with the same label."""
    etat = MigrationLoader(None, ignore_no_migrations=True).project_state((app, avant))
    anciens = dict(etat.apps.get_model(app, modele.__name__)._meta.get_field("statut").choices)
    assert anciens and all(Statut(valeur).label == libelle for valeur, libelle in anciens.items())
    assert modele.Statut is Statut
