"""Imports started from the administration: the uploaded file is stored through ImportZonage.fichier (MEDIA_ROOT,
where the Celery worker can read it), the import is recorded, then handed to the worker once the transaction
commits. Its state, for the progress bar, is read from the cache (written by the running import), falling back
to the record; an import whose process is gone (heartbeat stale, or never taken) is marked "échoué" when read, so
that none stays "en cours" where no periodic task runs.

A broker that cannot be reached never turns into a server error: the record is marked failed with a message
that the administration shows. A failed import can be relaunched from its stored file (relancer): a new record,
so that the failed one stays as it was.
"""

from django.core.cache import cache
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from noyau import depot_imports
from noyau.depot_imports import (  # noqa: F401 (read from here by the admin and the tests)
    MESSAGE_BROKER_INDISPONIBLE,
    MESSAGE_ERREUR_LANCEMENT,
    RelanceImpossible,
)

from .imports import execution
from .imports.execution import DemandeImport, cle_progression, enregistrer_import, marquer_echoue
from .models import ImportZonage
from .tasks import executer_import_zonage


def deposer(fichier: UploadedFile, demande: DemandeImport, utilisateur=None) -> ImportZonage:
    """Stores the upload, records the import (en attente) and queues it for when the transaction commits."""
    return depot_imports.deposer(
        ImportZonage, fichier,
        lambda chemin: enregistrer_import(chemin, demande, utilisateur, fichier_nom=fichier.name), lancer)


def relancer(ancien: ImportZonage, utilisateur=None) -> ImportZonage:
    """Records a new import of a failed one's stored file, with the same parameters, and queues it for when the
    transaction commits. The failed record is left as it is; the new one says which import it relaunches."""
    depot_imports.verifier_relancable(ancien)
    nouveau = ImportZonage.objects.create(
        type=ancien.type, format=ancien.format, fichier_nom=ancien.fichier_nom, fichier=ancien.fichier.name,
        sha256=ancien.sha256, utilisateur=utilisateur or ancien.utilisateur, essai=ancien.essai,
        parametres={**ancien.parametres, "origine": f"relance de l'import n° {ancien.pk}"},
    )
    transaction.on_commit(lambda: lancer(nouveau))
    return nouveau


def lancer(enregistrement: ImportZonage) -> None:
    """Sends the import to the worker (or runs it here when tasks are eager). Never raises."""
    depot_imports.envoyer(executer_import_zonage, enregistrement, marquer_echoue)


def _lire_progression(import_id: int) -> int | None:
    try:
        return cache.get(cle_progression(import_id))
    except Exception:
        return None


def etat(enregistrement: ImportZonage) -> dict:
    """What the progress bar shows: status, its French label, percentage, finished or not. An unfinished import
    whose process is gone is marked "échoué" first (and `enregistrement` refreshed)."""
    if not enregistrement.termine and execution.marquer_imports_interrompus(None, None, Q(pk=enregistrement.pk)):
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
