"""Celery tasks of the zonages app. Without REDIS_URL they run eagerly in the calling process (see settings)."""
import logging
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

from celery import shared_task
from simple_history.models import HistoricalRecords

from .imports.execution import executer_import
from .models import ImportZonage

journal = logging.getLogger(__name__)


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
@shared_task(name="zonages.executer_import_zonage", ignore_result=True)
def executer_import_zonage(import_id: int, chemin: str) -> str:
    """Runs a recorded import (validation, then writing unless a dry run). If it raises, executer_import has
    already marked the record "échoué" with the error in its report; the exception marks the task failed."""
    try:
        enregistrement = ImportZonage.objects.select_related("utilisateur").get(pk=import_id)
    except ImportZonage.DoesNotExist:
        journal.error("Import de zonage %s introuvable : tâche abandonnée", import_id)
        return "introuvable"
    with _au_nom_de(enregistrement.utilisateur):
        return executer_import(enregistrement, Path(chemin)).statut
