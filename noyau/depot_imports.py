"""An import started from the administration: the upload kept with its record, the task queued once the transaction
commits, and the relaunch of a failed import from its kept file. Shared by the zonage and the structure imports;
each app says how to record its import and which task runs it."""
import logging
from collections.abc import Callable
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from kombu.exceptions import OperationalError

from .fichiers import sha256_fichier
from .importation import EnregistrementImport, Statut

journal = logging.getLogger(__name__)

MESSAGE_BROKER_INDISPONIBLE = (
    "Le service de traitement des imports est indisponible (file de tâches injoignable) : l'import n'a pas pu "
    "démarrer et rien n'a été écrit. Réessayez dans quelques minutes ou prévenez l'équipe technique."
)
MESSAGE_ERREUR_LANCEMENT = "Erreur technique au lancement de l'import : rien n'a été écrit."


class RelanceImpossible(Exception):
    """Why an import cannot be relaunched, in French for the administration."""


def deposer(modele: type[EnregistrementImport], fichier: UploadedFile,
            enregistrer: Callable[[Path], EnregistrementImport], lancer: Callable[[EnregistrementImport], None]):
    """Keeps the upload in the record's file field, records the import with `enregistrer(path)` (en attente) and
    calls `lancer(record)` once the transaction commits. An upload whose recording fails is not kept."""
    champ = modele._meta.get_field("fichier")
    nom = champ.storage.save(champ.generate_filename(None, fichier.name), fichier)
    try:
        enregistrement = enregistrer(Path(champ.storage.path(nom)))
    except Exception:
        champ.storage.delete(nom)
        raise
    enregistrement.fichier.name = nom
    enregistrement.save(update_fields=["fichier"])
    transaction.on_commit(lambda: lancer(enregistrement))
    return enregistrement


def verifier_relancable(ancien: EnregistrementImport) -> None:
    """Raises RelanceImpossible unless `ancien` failed and its kept file is still the one uploaded."""
    if ancien.statut != Statut.ECHOUE:
        raise RelanceImpossible("Seul un import échoué peut être relancé.")
    if not ancien.fichier or not ancien.fichier.storage.exists(ancien.fichier.name):
        raise RelanceImpossible("Le fichier de cet import n'a pas été conservé (import lancé en ligne de commande, "
                                "ou fichier supprimé) : importez-le à nouveau.")
    if sha256_fichier(Path(ancien.fichier.path)) != ancien.sha256:
        raise RelanceImpossible("Le fichier conservé ne correspond plus au fichier déposé (empreinte SHA-256 "
                                "différente) : importez-le à nouveau.")


def envoyer(tache, enregistrement: EnregistrementImport, marquer_echoue: Callable[[int, str], bool]) -> None:
    """Sends the import to a worker (or runs it here when tasks are eager). Never raises: a broker out of reach, or
    an eager run that raised, finishes the import "échoué" (an import already finished keeps its outcome)."""
    quoi = enregistrement._meta.verbose_name
    try:
        tache.delay(enregistrement.pk, enregistrement.fichier.path)
    except OperationalError:
        journal.exception("Broker injoignable : %s %s non lancé", quoi, enregistrement.pk)
        marquer_echoue(enregistrement.pk, MESSAGE_BROKER_INDISPONIBLE)
    except Exception:
        journal.exception("%s %s échoué", quoi, enregistrement.pk)
        marquer_echoue(enregistrement.pk, MESSAGE_ERREUR_LANCEMENT)
