"""Structure imports started from the administration, by the same path as the zonage imports: the uploaded file is
kept (ImportStructures.fichier, in MEDIA_ROOT where the worker reads it), the import is recorded, then handed to
the worker once the transaction commits (or run there when tasks are eager). Its page reads its state: progress
from the cache (written by the running import), else from the record; an import whose process is gone is marked
"échoué" when read, so that none stays "en cours" without a periodic task.

A broker that cannot be reached never turns into a server error: the record is marked failed with a message that
the administration shows. A failed import can be relaunched from its kept file: a new record.
"""
import datetime
import logging
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from kombu.exceptions import OperationalError

from noyau.fichiers import sha256_fichier

from .imports import execution
from .models import ImportStructures
from .tasks import executer_import_structures

journal = logging.getLogger(__name__)

MESSAGE_BROKER_INDISPONIBLE = (
    "Le service de traitement des imports est indisponible (file de tâches injoignable) : l'import n'a pas pu "
    "démarrer et rien n'a été écrit. Réessayez dans quelques minutes ou prévenez l'équipe technique."
)
MESSAGE_ERREUR_LANCEMENT = "Erreur technique au lancement de l'import : rien n'a été écrit."


class RelanceImpossible(Exception):
    """Why an import cannot be relaunched, in French for the administration."""


def deposer(fichier: UploadedFile, essai: bool, date_registre: datetime.date | None = None,
            utilisateur=None) -> ImportStructures:
    """Keeps the upload, records the import (en attente) and queues it for when the transaction commits."""
    champ = ImportStructures._meta.get_field("fichier")
    nom = champ.storage.save(champ.generate_filename(None, fichier.name), fichier)
    try:
        enregistrement = execution.enregistrer_import(Path(champ.storage.path(nom)), essai, utilisateur,
                                                      "administration", fichier.name, date_registre)
    except Exception:
        champ.storage.delete(nom)
        raise
    enregistrement.fichier.name = nom
    enregistrement.save(update_fields=["fichier"])
    transaction.on_commit(lambda: lancer(enregistrement))
    return enregistrement


def relancer(ancien: ImportStructures, utilisateur=None) -> ImportStructures:
    """Records a new import of a failed one's kept file, with the same parameters, and queues it."""
    if ancien.statut != ImportStructures.Statut.ECHOUE:
        raise RelanceImpossible("Seul un import échoué peut être relancé.")
    if not ancien.fichier or not ancien.fichier.storage.exists(ancien.fichier.name):
        raise RelanceImpossible("Le fichier de cet import n'a pas été conservé (import lancé en ligne de commande, "
                                "ou fichier supprimé) : importez-le à nouveau.")
    if sha256_fichier(Path(ancien.fichier.path)) != ancien.sha256:
        raise RelanceImpossible("Le fichier conservé ne correspond plus au fichier déposé (empreinte SHA-256 "
                                "différente) : importez-le à nouveau.")
    nouveau = ImportStructures.objects.create(
        fichier_nom=ancien.fichier_nom, fichier=ancien.fichier.name, sha256=ancien.sha256, essai=ancien.essai,
        utilisateur=utilisateur or ancien.utilisateur, parametres=ancien.parametres,
        origine=f"relance de l'import n° {ancien.pk}")
    transaction.on_commit(lambda: lancer(nouveau))
    return nouveau


def lancer(enregistrement: ImportStructures) -> None:
    """Sends the import to the worker (or runs it here when tasks are eager). Never raises."""
    try:
        executer_import_structures.delay(enregistrement.pk, enregistrement.fichier.path)
    except OperationalError:
        journal.exception("Broker injoignable : import de structures %s non lancé", enregistrement.pk)
        execution.marquer_echoue(enregistrement.pk, MESSAGE_BROKER_INDISPONIBLE)
    except Exception:
        # Eager tasks: the import ran here and raised; it has normally recorded the failure itself.
        journal.exception("Import de structures %s échoué", enregistrement.pk)
        execution.marquer_echoue(enregistrement.pk, MESSAGE_ERREUR_LANCEMENT)


def etat(enregistrement: ImportStructures) -> dict:
    """What the progress bar shows: status, its French label, percentage, finished or not. An unfinished import
    whose process is gone is marked "échoué" first (and `enregistrement` refreshed)."""
    if not enregistrement.termine and execution.marquer_imports_interrompus(None, None, Q(pk=enregistrement.pk)):
        enregistrement.refresh_from_db()
    termine = enregistrement.termine
    progression = 100 if termine else execution.lire_progression(enregistrement.pk)
    if progression is None:
        progression = 0
    return {"statut": enregistrement.statut, "libelle": enregistrement.get_statut_display(),
            "progression": max(0, min(100, int(progression))), "termine": termine}
