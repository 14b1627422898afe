"""Celery tasks of the zonages app. Without REDIS_URL they run eagerly in the calling process (see settings).

Faults (see zonages.imports.execution): an import run by a worker records a heartbeat; if the worker's process is
killed, Celery reports the task lost (WorkerLostError, in the worker's main process) and the import is marked
"échoué" at once; if the whole worker dies, the import is marked once its heartbeat has stopped: by the periodic
task marquer_imports_interrompus, when a worker starts, or when its page is read (zonages.depot.etat), so that no
import stays "en cours" without beat either. Eager runs (inside the request that started them) beat too. With late acknowledgement a task may be delivered again: it then finds its import no longer waiting
and does nothing, so an import never runs twice.
"""
import datetime
import logging
from contextlib import contextmanager, nullcontext
from pathlib import Path
from types import SimpleNamespace

from billiard.exceptions import WorkerLostError
from celery import shared_task
from celery.exceptions import TimeLimitExceeded
from celery.signals import task_failure
from django.db import close_old_connections
from simple_history.models import HistoricalRecords

from noyau import importation

from .imports import execution
from .imports.execution import MESSAGE_WORKER_PERDU, executer_import, prendre_en_charge, signes_de_vie
from .models import ImportZonage

journal = logging.getLogger(__name__)

NOM_TACHE_IMPORT = "zonages.executer_import_zonage"


@contextmanager
def _au_nom_de(utilisateur):
    """History rows written by the import name the user who started it. A worker has no request for
    django-simple-history's middleware to read the user from; an eager task inside a request keeps the request's."""
    if utilisateur is None or getattr(HistoricalRecords.context, "request", None) is not None:
        yield
        return
    HistoricalRecords.context.request = SimpleNamespace(user=utilisateur)
    try:
        yield
    finally:
        del HistoricalRecords.context.request


# ignore_result: the outcome is on the ImportZonage record. It also keeps .delay() from subscribing to the result
# backend first, so that an unreachable Redis fails fast with kombu's OperationalError (see depot.lancer).
@shared_task(bind=True, name=NOM_TACHE_IMPORT, ignore_result=True)
def executer_import_zonage(self, import_id: int, chemin: str) -> str:
    """Runs a recorded import (validation, then writing unless a dry run). If it raises, executer_import has
    already marked the record "échoué" with the error in its report; the exception marks the task failed."""
    try:
        enregistrement = ImportZonage.objects.select_related("utilisateur").get(pk=import_id)
    except ImportZonage.DoesNotExist:
        journal.error("Import de zonage %s introuvable : tâche abandonnée", import_id)
        return "introuvable"
    if not prendre_en_charge(enregistrement):
        journal.warning("Import de zonage %s déjà %s : tâche ignorée (message reçu une seconde fois ?)",
                        import_id, enregistrement.get_statut_display())
        return "ignore"
    # The heartbeat in a worker and in an eager run alike: the request's process may be killed too, and an import
    # read meanwhile must not look stale.
    battre = nullcontext() if self.request.called_directly else signes_de_vie(import_id)
    with _au_nom_de(enregistrement.utilisateur), battre:
        return executer_import(enregistrement, Path(chemin)).statut


@task_failure.connect
def _import_perdu(sender=None, exception=None, args=None, kwargs=None, **_):
    """A failed import task whose record is still unfinished: mark it "échoué" now. This is what happens when the
    process running it is killed (Celery's main process reports WorkerLostError); other errors have normally been
    recorded by executer_import already, and the update only applies to an unfinished import."""
    if getattr(sender, "name", None) != NOM_TACHE_IMPORT:
        return
    import_id = args[0] if args else (kwargs or {}).get("import_id")
    if import_id is None:
        return
    if isinstance(exception, (WorkerLostError, TimeLimitExceeded)):
        # Reported by the worker's main process, between tasks: its connection may have been dropped meanwhile.
        close_old_connections()
        message = MESSAGE_WORKER_PERDU
    else:  # in the process that ran the task (maybe inside a request, when eager): its connection as it is
        message = f"erreur technique : {exception}"
    try:
        execution.marquer_echoue(import_id, message)
    except Exception:
        journal.exception("Import de zonage %s : échec non enregistré", import_id)


@shared_task(name="zonages.tasks.marquer_imports_interrompus", ignore_result=True)
def marquer_imports_interrompus(delai_minutes: float | None = None) -> list[int]:
    """Periodic (CELERY_BEAT_SCHEDULE): marks "échoué" the imports whose worker is gone, so that they can be
    relaunched. Returns the ids marked."""
    delai = None if delai_minutes is None else datetime.timedelta(minutes=delai_minutes)
    marques = execution.marquer_imports_interrompus(delai)
    if marques:
        journal.warning("Imports de zonage interrompus marqués échoués : %s", marques)
    return marques


importation.au_demarrage_des_workers(marquer_imports_interrompus, "zonage")
