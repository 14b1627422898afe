"""Structure imports started from the administration, by the same path as the zonage imports: the uploaded file is
kept (ImportStructures.fichier, in MEDIA_ROOT where the worker reads it), the import is recorded, then handed to
the worker once the transaction commits (or run there when tasks are eager). Its page reads its state: progress
from the cache (written by the running import), else from the record; an import whose process is gone is marked
"échoué" when read, so that none stays "en cours" without a periodic task.

A broker that cannot be reached never turns into a server error: the record is marked failed with a message that
the administration shows. A failed import can be relaunched from its kept file: a new record.
"""
import datetime

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
from .models import ImportStructures
from .tasks import executer_import_structures


def deposer(fichier: UploadedFile, essai: bool, date_registre: datetime.date | None = None,
            utilisateur=None) -> ImportStructures:
    """Keeps the upload, records the import (en attente) and queues it for when the transaction commits."""
    return depot_imports.deposer(
        ImportStructures, fichier,
        lambda chemin: execution.enregistrer_import(chemin, essai, utilisateur, "administration", fichier.name,
                                                    date_registre),
        lancer)


def relancer(ancien: ImportStructures, utilisateur=None) -> ImportStructures:
    """Records a new import of a failed one's kept file, with the same parameters, and queues it."""
    depot_imports.verifier_relancable(ancien)
    nouveau = ImportStructures.objects.create(
        fichier_nom=ancien.fichier_nom, fichier=ancien.fichier.name, sha256=ancien.sha256, essai=ancien.essai,
        utilisateur=utilisateur or ancien.utilisateur, parametres=ancien.parametres,
        origine=f"relance de l'import n° {ancien.pk}")
    transaction.on_commit(lambda: lancer(nouveau))
    return nouveau


def lancer(enregistrement: ImportStructures) -> None:
    """Sends the import to the worker (or runs it here when tasks are eager). Never raises."""
    depot_imports.envoyer(executer_import_structures, enregistrement, execution.marquer_echoue)


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
