"""Running one structures import: recorded, validated whole, then written unless a dry run or any error (see
noyau.importation). From the command line and the reference load it runs here (importer_structures); from the
administration it is deposited and run by a task (structures.depot, structures.tasks), which publishes its progress
through the cache and refreshes its heartbeat, so that an import whose process is gone is marked "échoué"."""
import datetime
import getpass
import logging
from pathlib import Path

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from noyau import importation

from ..models import ImportStructures, Structure
from .ecriture import ecrire
from .validation import RapportStructures, valider

journal = logging.getLogger(__name__)

MESSAGE_WORKER_PERDU = (
    "Le processus qui exécutait l'import (worker Celery) s'est arrêté brutalement (arrêt forcé, mémoire "
    "insuffisante…) : l'import n'est pas allé au bout et rien n'a été écrit. " + importation.MESSAGE_RELANCE
)
MESSAGE_INTERROMPU_APRES_ECRITURE = (
    "Le processus qui exécutait l'import s'est arrêté juste après l'écriture de ses structures, sans pouvoir "
    "terminer son rapport : vérifiez les structures avant toute relance."
)


def enregistrer_import(chemin: Path, essai: bool = False, utilisateur=None, origine: str = "",
                       fichier_nom: str | None = None, date_registre: datetime.date | None = None) -> ImportStructures:
    """Records an import to come ("en attente"). `date_registre`: the extraction date of a FINESS file that does
    not give it itself."""
    return importation.ouvrir(
        ImportStructures, Path(chemin), fichier_nom, utilisateur=utilisateur, essai=essai,
        origine=origine or f"commande ({getpass.getuser()})",
        parametres={"date_registre": date_registre.isoformat()} if date_registre else {})


def executer_import(enregistrement: ImportStructures, chemin: Path) -> ImportStructures:
    """Validates the whole file then (unless a dry run or any error) writes it in one transaction; updates and
    returns the record, with the full report as `rapport_complet` (for the command)."""
    date = enregistrement.parametres.get("date_registre")
    date_registre = datetime.date.fromisoformat(date) if date else None

    def valider_le_fichier() -> RapportStructures:
        publier_progression(enregistrement.pk, 5)
        rapport = valider(Path(chemin), date_registre)
        publier_progression(enregistrement.pk, 50)
        return rapport

    try:
        return importation.executer(enregistrement, RapportStructures, valider_le_fichier,
                                    lambda rapport: ecrire(rapport, enregistrement), essai=enregistrement.essai,
                                    au_debut={"signe_de_vie": timezone.now()})
    finally:
        publier_progression(enregistrement.pk, 100)


def importer_structures(chemin: Path, essai: bool = False, utilisateur=None, origine: str = "",
                        fichier_nom: str | None = None, date_registre=None) -> ImportStructures:
    """Records and runs an import in this process (command line, reference load)."""
    enregistrement = enregistrer_import(chemin, essai, utilisateur, origine, fichier_nom, date_registre)
    return executer_import(enregistrement, Path(chemin))


def prendre_en_charge(enregistrement: ImportStructures) -> bool:
    """Moves a waiting import to "en cours" with a first heartbeat, only if it is still waiting."""
    return importation.prendre_en_charge(enregistrement, signe_de_vie=timezone.now())


def cle_progression(import_id: int) -> str:
    return f"import-structures:{import_id}:progression"


def publier_progression(import_id: int, pourcentage: int):
    try:
        cache.set(cle_progression(import_id), pourcentage, 3600)
    except Exception:  # progress is a courtesy: a cache outage must not fail the import
        journal.warning("Cache injoignable : progression de l'import de structures %s non publiée", import_id)


def lire_progression(import_id: int) -> int | None:
    try:
        return cache.get(cle_progression(import_id))
    except Exception:
        return None


def marquer_echoue(import_id: int, message: str, *conditions: Q) -> bool:
    """Marks an unfinished import "échoué" with `message`, only if it is still unfinished (and matches
    `conditions`); one whose structures were written says so. Returns whether it was marked."""
    if Structure.objects.filter(import_source_id=import_id).exists():
        message = MESSAGE_INTERROMPU_APRES_ECRITURE
    marque = importation.marquer_echoue(ImportStructures, import_id, RapportStructures.echec(message), *conditions)
    if marque:
        journal.warning("Import de structures %s marqué échoué : %s", import_id, message)
        publier_progression(import_id, 100)
    return marque


def marquer_imports_interrompus(delai: datetime.timedelta | None = None,
                                delai_attente: datetime.timedelta | None = None, *conditions: Q) -> list[int]:
    """Marks "échoué" the imports whose process is gone (see noyau.importation.interrompus). Returns their ids."""
    return [pk for pk, condition, message in importation.interrompus(ImportStructures, delai, delai_attente,
                                                                      *conditions)
            if marquer_echoue(pk, message, condition)]
