"""Celery tasks of the structures app. Without REDIS_URL they run eagerly in the calling process (see settings).

Faults, as for the zonage imports: a running import refreshes its heartbeat; if its process is killed, Celery
reports the task lost (WorkerLostError) and the import is marked "échoué" at once; if the whole worker dies, its
import is marked once its heartbeat is stale: by the periodic task, when a worker starts, or when its page is read
(structures.depot.etat), so that no import stays "en cours" without beat either. A task delivered twice finds its
import no longer waiting and does nothing.
"""
import logging
from contextlib import nullcontext
from pathlib import Path

from billiard.exceptions import WorkerLostError
from celery import shared_task
from celery.exceptions import TimeLimitExceeded
from celery.signals import task_failure
from django.db import close_old_connections

from noyau import importation

from .imports import execution
from .models import ImportStructures

journal = logging.getLogger(__name__)

NOM_TACHE_IMPORT = "structures.executer_import_structures"


# ignore_result: the outcome is on the record; it also lets .delay() fail fast when Redis is unreachable.
@shared_task(bind=True, name=NOM_TACHE_IMPORT, ignore_result=True)
def executer_import_structures(self, import_id: int, chemin: str) -> str:
    """Runs a recorded import. If it raises, executer has already marked the record "échoué"."""
    try:
        enregistrement = ImportStructures.objects.select_related("utilisateur").get(pk=import_id)
    except ImportStructures.DoesNotExist:
        journal.error("Import de structures %s introuvable : tâche abandonnée", import_id)
        return "introuvable"
    if not execution.prendre_en_charge(enregistrement):
        journal.warning("Import de structures %s déjà %s : tâche ignorée (message reçu une seconde fois ?)",
                        import_id, enregistrement.get_statut_display())
        return "ignore"
    # The heartbeat in a worker and in an eager run alike (a request's process may be killed too).
    battre = nullcontext() if self.request.called_directly else importation.signes_de_vie(ImportStructures, import_id)
    with battre:
        return execution.executer_import(enregistrement, Path(chemin)).statut


@task_failure.connect
def _import_perdu(sender=None, exception=None, args=None, kwargs=None, **_):
    """A failed import task whose record is still unfinished: marked "échoué" now (see zonages.tasks)."""
    if getattr(sender, "name", None) != NOM_TACHE_IMPORT:
        return
    import_id = args[0] if args else (kwargs or {}).get("import_id")
    if import_id is None:
        return
    if isinstance(exception, (WorkerLostError, TimeLimitExceeded)):
        close_old_connections()  # reported by the worker's main process, whose connection may have been dropped
        message = execution.MESSAGE_WORKER_PERDU
    else:
        message = f"erreur technique : {exception}"
    try:
        execution.marquer_echoue(import_id, message)
    except Exception:
        journal.exception("Import de structures %s : échec non enregistré", import_id)


@shared_task(name="structures.tasks.marquer_imports_interrompus", ignore_result=True)
def marquer_imports_interrompus() -> list[int]:
    """Periodic (CELERY_BEAT_SCHEDULE), and when a worker starts: marks "échoué" the imports whose process is
    gone. Returns the ids marked."""
    marques = execution.marquer_imports_interrompus()
    if marques:
        journal.warning("Imports de structures interrompus marqués échoués : %s", marques)
    return marques


importation.au_demarrage_des_workers(marquer_imports_interrompus, "structures")
