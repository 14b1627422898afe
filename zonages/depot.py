"""Imports started from the administration: the uploaded file is stored through ImportZonage.fichier (MEDIA_ROOT,
where the Celery worker can read it), the import is recorded, then handed to the worker once the transaction
commits. Its state, for the progress bar, is read from the cache (written by the running import), falling back
to the record; an import whose process is gone (heartbeat stale, or never taken) is marked "échoué" when read, so
that none stays "en cours" where no periodic task runs.

A broker that cannot be reached never turns into a server error: the record is marked failed with a message
that the administration shows. A failed import can be relaunched from its stored file (relancer): a new record,
so that the failed one stays as it was.
"""
import logging
from pathlib import Path

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from kombu.exceptions import OperationalError

from noyau.fichiers import sha256_fichier

from .imports import execution
from .imports.execution import DemandeImport, cle_progression, enregistrer_import, marquer_echoue
from .models import ImportZonage
from .tasks import executer_import_zonage

journal = logging.getLogger(__name__)

MESSAGE_BROKER_INDISPONIBLE = (
    "Le service de traitement des imports est indisponible (file de tâches injoignable) : l'import n'a pas pu "
    "démarrer et rien n'a été écrit. Réessayez dans quelques minutes ou prévenez l'équipe technique."
)
MESSAGE_ERREUR_LANCEMENT = "Erreur technique au lancement de l'import : rien n'a été écrit."


class RelanceImpossible(Exception):
    """Why an import cannot be relaunched, in French for the administration."""


def deposer(fichier: UploadedFile, demande: DemandeImport, utilisateur=None) -> ImportZonage:
    """Stores the upload, records the import (en attente) and queues it for when the transaction commits."""
    champ = ImportZonage._meta.get_field("fichier")
    nom = champ.storage.save(champ.generate_filename(None, fichier.name), fichier)
    try:
        enregistrement = enregistrer_import(Path(champ.storage.path(nom)), demande, utilisateur,
                                            fichier_nom=fichier.name)
    except Exception:
        champ.storage.delete(nom)
        raise
    enregistrement.fichier.name = nom
    enregistrement.save(update_fields=["fichier"])
    transaction.on_commit(lambda: lancer(enregistrement))
    return enregistrement


def relancer(ancien: ImportZonage, utilisateur=None) -> ImportZonage:
    """Records a new import of a failed one's stored file, with the same parameters, and queues it for when the
    transaction commits. The failed record is left as it is; the new one says which import it relaunches."""
    if ancien.statut != ImportZonage.Statut.ECHOUE:
        raise RelanceImpossible("Seul un import échoué peut être relancé.")
    if not ancien.fichier or not ancien.fichier.storage.exists(ancien.fichier.name):
        raise RelanceImpossible("Le fichier de cet import n'a pas été conservé (import lancé en ligne de commande, "
                                "ou fichier supprimé) : importez-le à nouveau.")
    if sha256_fichier(Path(ancien.fichier.path)) != ancien.sha256:
        raise RelanceImpossible("Le fichier conservé ne correspond plus au fichier déposé (empreinte SHA-256 "
                                "différente) : importez-le à nouveau.")
    nouveau = ImportZonage.objects.create(
        type=ancien.type, format=ancien.format, fichier_nom=ancien.fichier_nom, fichier=ancien.fichier.name,
        sha256=ancien.sha256, utilisateur=utilisateur or ancien.utilisateur, essai=ancien.essai,
        parametres={**ancien.parametres, "origine": f"relance de l'import n° {ancien.pk}"},
    )
    transaction.on_commit(lambda: lancer(nouveau))
    return nouveau


def lancer(enregistrement: ImportZonage) -> None:
    """Sends the import to the worker (or runs it here when tasks are eager). Never raises."""
    try:
        executer_import_zonage.delay(enregistrement.pk, enregistrement.fichier.path)
    except OperationalError:
        journal.exception("Broker injoignable : import de zonage %s non lancé", enregistrement.pk)
        marquer_echoue(enregistrement.pk, MESSAGE_BROKER_INDISPONIBLE)
    except Exception:
        # Eager tasks: the import ran here and raised; executer_import has normally recorded the failure, and an
        # import already finished is left as it is.
        journal.exception("Import de zonage %s échoué", enregistrement.pk)
        marquer_echoue(enregistrement.pk, MESSAGE_ERREUR_LANCEMENT)


def _lire_progression(import_id: int) -> int | None:
    try:
        return cache.get(cle_progression(import_id))
    except Exception:
        return None


def etat(enregistrement: ImportZonage) -> dict:
    """What the progress bar shows: status, its French label, percentage, finished or not. An unfinished import
    whose process is gone is marked "échoué" first (and `enregistrement` refreshed)."""
    if not enregistrement.termine and enregistrement.pk in execution.marquer_imports_interrompus(
            execution.DELAI_SANS_SIGNE_DE_VIE, execution.DELAI_EN_ATTENTE):
        enregistrement.refresh_from_db()
    termine = enregistrement.termine
    if termine:
        progression = 100
    else:
        progression = _lire_progression(enregistrement.pk)
        if progression is None:
            progression = enregistrement.progression
    return {
        "statut": enregistrement.statut,
        "libelle": enregistrement.get_statut_display(),
        "progression": max(0, min(100, int(progression))),
        "termine": termine,
    }
