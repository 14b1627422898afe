"""Running one zonage import: record it, validate the whole file, then write everything or nothing.

Recording, statuses and the finish step are noyau.importation's. Progress is published through the cache (readable
from other processes while the write transaction is open) and stored on the ImportZonage record when it ends.

Faults: the whole version is written in one transaction, so a process that dies midway leaves nothing behind (the
database rolls the transaction back). Its record, though, would stay "en cours": an import run by a worker records
a heartbeat (`signe_de_vie`) every few seconds from a side thread, and `marquer_imports_interrompus` (a periodic
task) marks "échoué" the imports whose heartbeat stopped, with a message saying so; the agent can then relaunch
them (zonages.depot.relancer).
"""
import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from noyau import importation
from noyau.fichiers import FichierInvalide

from ..models import QPV, Classement, ImportZonage, Zonage
from ..niveaux import TYPES
from ..publication import publier
from .lecture import detecter_format, lire_lignes
from .qpv import ecrire_qpv, valider_qpv
from .validation import RapportZonage, Territoire, valider_classement

journal = logging.getLogger(__name__)

INACHEVES = importation.INACHEVES  # for callers that wait for an import to end
MESSAGE_WORKER_PERDU = (
    "Le processus qui exécutait l'import (worker Celery) s'est arrêté brutalement (arrêt forcé, mémoire "
    "insuffisante…) : l'import n'est pas allé au bout et rien n'a été écrit. " + importation.MESSAGE_RELANCE
)

MESSAGE_INTERROMPU_APRES_ECRITURE = (
    "Le processus qui exécutait l'import s'est arrêté juste après l'écriture de ses données, sans pouvoir terminer "
    "son rapport : vérifiez la version créée (ou les QPV) avant toute relance."
)


@dataclass
class DemandeImport:
    """What the user asked for; stored on the ImportZonage record so that a task can run it later."""

    type: str
    valid_from: datetime.date
    reference: str
    valid_to: datetime.date | None = None
    note_source: str = ""
    format: str | None = None
    colonne_code: str | None = None
    colonne_niveau: str | None = None
    essai: bool = False
    publier: bool = False

    def en_dict(self) -> dict:
        d = dict(self.__dict__)
        d["valid_from"] = self.valid_from.isoformat()
        d["valid_to"] = self.valid_to.isoformat() if self.valid_to else None
        return d

    @classmethod
    def depuis_dict(cls, d: dict) -> "DemandeImport":
        d = {cle: valeur for cle, valeur in d.items() if cle in cls.__dataclass_fields__}
        d["valid_from"] = datetime.date.fromisoformat(d["valid_from"])
        d["valid_to"] = datetime.date.fromisoformat(d["valid_to"]) if d.get("valid_to") else None
        return cls(**d)


def cle_progression(import_id: int) -> str:
    return f"import-zonage:{import_id}:progression"


def publier_progression(import_id: int, pourcentage: int):
    try:
        cache.set(cle_progression(import_id), pourcentage, 3600)
    except Exception:  # progress is a courtesy: a cache outage must not fail the import
        journal.warning("Cache injoignable : progression de l'import %s non publiée", import_id)


def enregistrer_import(chemin: Path, demande: DemandeImport, utilisateur=None, fichier_nom: str | None = None,
                       origine: str = "") -> ImportZonage:
    """Creates the record of an import to come (status: en attente). `origine` says where it was started from
    (command line with the system login, reference load…) when no portal user started it."""
    if demande.type not in TYPES and demande.type != "qpv":
        raise ValueError(f"type de zonage inconnu : {demande.type}")
    return importation.ouvrir(
        ImportZonage, chemin, fichier_nom, type=demande.type, format=demande.format or detecter_format(chemin),
        utilisateur=utilisateur, essai=demande.essai,
        parametres={**demande.en_dict(), **({"origine": origine} if origine else {})},
    )


def prendre_en_charge(enregistrement: ImportZonage) -> bool:
    """Moves a waiting import to "en cours" with a first heartbeat, only if it is still waiting (see
    noyau.importation.prendre_en_charge)."""
    return importation.prendre_en_charge(enregistrement, signe_de_vie=timezone.now())


def signes_de_vie(import_id: int):
    """The import's heartbeat while a block runs (noyau.importation.signes_de_vie)."""
    return importation.signes_de_vie(ImportZonage, import_id)


def executer_import(enregistrement: ImportZonage, chemin: Path) -> ImportZonage:
    """Validates then (unless a dry run) writes the version; updates and returns the record. Never half-writes."""
    demande = DemandeImport.depuis_dict(enregistrement.parametres)
    qpv: list[dict] = []  # the QPV of a valid file, for ecrire()

    def valider() -> RapportZonage:
        publier_progression(enregistrement.pk, 5)
        if demande.type == "qpv":
            rapport, retenus = valider_qpv(chemin, Territoire.des_regions_servies())
            qpv.extend(retenus)
        else:
            rapport = _valider(chemin, enregistrement.format, demande)
        publier_progression(enregistrement.pk, 50)
        return rapport

    def ecrire(rapport: RapportZonage):
        if demande.type == "qpv":
            ecrire_qpv(qpv, demande.valid_from, demande.valid_to, enregistrement)
        else:
            _ecrire(enregistrement, demande, rapport)

    try:
        return importation.executer(enregistrement, RapportZonage, valider, ecrire, essai=demande.essai,
                                    au_debut={"signe_de_vie": timezone.now()}, a_la_fin={"progression": 100})
    finally:
        publier_progression(enregistrement.pk, 100)


def _valider(chemin: Path, format_: str, demande: DemandeImport) -> RapportZonage:
    try:
        lignes = lire_lignes(chemin, format_, demande.colonne_code, demande.colonne_niveau)
    except FichierInvalide as exc:
        return RapportZonage.du_fichier_invalide(exc)
    return valider_classement(lignes, TYPES[demande.type], Territoire.des_regions_servies())


def _ecrire(enregistrement: ImportZonage, demande: DemandeImport, rapport: RapportZonage):
    try:
        with transaction.atomic():
            zonage = Zonage.objects.create(
                type=demande.type, reference=demande.reference, valid_from=demande.valid_from,
                valid_to=demande.valid_to, note_source=demande.note_source, import_source=enregistrement,
            )
            classements = [Classement(zonage=zonage, commune_id=code, niveau=niveau)
                           for code, niveau in sorted(rapport.retenus.items())]
            bulk_create_with_history(classements, Classement, batch_size=1000,
                                     default_user=enregistrement.utilisateur)
            publier_progression(enregistrement.pk, 90)
            if demande.publier:
                publier(zonage)
    except ValidationError as exc:  # publication refused: the whole import is rolled back
        for message in exc.messages:
            rapport.erreur(None, message)
        return
    rapport.zonage_id = zonage.pk


def deja_ecrit(import_id: int) -> bool:
    """Whether the import's data reached the database (its transaction committed)."""
    return (Zonage.objects.filter(import_source_id=import_id).exists()
            or QPV.objects.filter(import_source_id=import_id).exists())


def marquer_echoue(import_id: int, message: str, *conditions: Q) -> bool:
    """Marks an unfinished import "échoué" with `message` as its report's error, only if it is still unfinished
    (and matches `conditions`): an import that ended meanwhile keeps its outcome. Returns whether it was marked."""
    if deja_ecrit(import_id):
        message = MESSAGE_INTERROMPU_APRES_ECRITURE
    marque = importation.marquer_echoue(ImportZonage, import_id, RapportZonage.echec(message), *conditions,
                                        progression=100)
    if marque:
        journal.warning("Import de zonage %s marqué échoué : %s", import_id, message)
        publier_progression(import_id, 100)
    return marque


def marquer_imports_interrompus(delai: datetime.timedelta | None = None,
                                delai_attente: datetime.timedelta | None = None, *conditions: Q) -> list[int]:
    """Marks "échoué" the imports whose process is gone (see noyau.importation.interrompus); a live import is never
    marked. Returns their ids."""
    return [pk for pk, condition, message in importation.interrompus(ImportZonage, delai, delai_attente, *conditions)
            if marquer_echoue(pk, message, condition)]


def importer_zonage(chemin: Path, demande: DemandeImport, utilisateur=None, origine: str = "") -> ImportZonage:
    """Record and run an import in this process (command line, reference load, eager tasks)."""
    return executer_import(enregistrer_import(Path(chemin), demande, utilisateur, origine=origine), Path(chemin))
