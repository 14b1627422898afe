"""Running one zonage import: record it, validate the whole file, then write everything or nothing.

Progress is published through the cache (readable from other processes while the write transaction is open)
and saved on the ImportZonage record at each stage.

Faults: the whole version is written in one transaction, so a process that dies midway leaves nothing behind (the
database rolls the transaction back). Its record, though, would stay "en cours": an import run by a worker records
a heartbeat (`signe_de_vie`) every few seconds from a side thread, and `marquer_imports_interrompus` (a periodic
task) marks "échoué" the imports whose heartbeat stopped, with a message saying so; the agent can then relaunch
them (zonages.depot.relancer).
"""
import datetime
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from noyau.fichiers import FichierInvalide, Message, sha256_fichier

from ..models import QPV, Classement, ImportZonage, Zonage
from ..niveaux import TYPES
from ..publication import publier
from .lecture import detecter_format, lire_lignes
from .qpv import ecrire_qpv, valider_qpv
from .validation import Rapport, Territoire, valider_classement

journal = logging.getLogger(__name__)

INACHEVES = (ImportZonage.Statut.EN_ATTENTE, ImportZonage.Statut.EN_COURS)
# A running import refreshes its heartbeat every INTERVALLE_SIGNE_DE_VIE seconds; without one for
# DELAI_SANS_SIGNE_DE_VIE, its process is considered gone. An import still waiting after DELAI_EN_ATTENTE was never
# taken by a worker (message lost, workers down): one hour is also Redis's redelivery delay for unacknowledged tasks.
INTERVALLE_SIGNE_DE_VIE = 30
DELAI_SANS_SIGNE_DE_VIE = datetime.timedelta(minutes=5)
DELAI_EN_ATTENTE = datetime.timedelta(hours=1)

MESSAGE_RELANCE = "Vous pouvez relancer l'import depuis sa page de suivi."
MESSAGE_WORKER_PERDU = (
    "Le processus qui exécutait l'import (worker Celery) s'est arrêté brutalement (arrêt forcé, mémoire "
    "insuffisante…) : l'import n'est pas allé au bout et rien n'a été écrit. " + MESSAGE_RELANCE
)

MESSAGE_INTERROMPU_APRES_ECRITURE = (
    "Le processus qui exécutait l'import s'est arrêté juste après l'écriture de ses données, sans pouvoir terminer "
    "son rapport : vérifiez la version créée (ou les QPV) avant toute relance."
)


def message_sans_signe_de_vie(delai: datetime.timedelta) -> str:
    return (f"L'import s'est interrompu : le processus qui l'exécutait (worker Celery) ne donne plus signe de vie "
            f"depuis {_plus_de(delai)} (arrêt brutal, redémarrage du serveur…). L'écriture n'est pas allée au bout "
            f"et rien n'a été écrit. " + MESSAGE_RELANCE)


def message_jamais_demarre(delai: datetime.timedelta) -> str:
    return (f"L'import n'a pas pu démarrer : il est resté en attente {_plus_de(delai)} sans qu'aucun processus de "
            f"traitement (worker Celery) ne le prenne en charge. Rien n'a été écrit. " + MESSAGE_RELANCE)


def _plus_de(delai: datetime.timedelta) -> str:
    """"plus de 5 minutes", "plus d'une heure"…"""
    secondes = round(delai.total_seconds())
    for unite, duree in (("heure", 3600), ("minute", 60), ("seconde", 1)):
        if secondes >= duree and secondes % duree == 0 or unite == "seconde":
            nombre = max(1, secondes // duree)
            return "plus d'une " + unite if nombre == 1 else f"plus de {nombre} {unite}s"
    raise AssertionError("inaccessible")


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


def _progresser(enregistrement: ImportZonage, pourcentage: int):
    publier_progression(enregistrement.pk, pourcentage)


def enregistrer_import(chemin: Path, demande: DemandeImport, utilisateur=None, fichier_nom: str | None = None,
                       origine: str = "") -> ImportZonage:
    """Creates the record of an import to come (status: en attente). `origine` says where it was started from
    (command line with the system login, reference load…) when no portal user started it."""
    if demande.type not in TYPES and demande.type != "qpv":
        raise ValueError(f"type de zonage inconnu : {demande.type}")
    return ImportZonage.objects.create(
        type=demande.type, format=demande.format or detecter_format(chemin), fichier_nom=fichier_nom or chemin.name,
        sha256=sha256_fichier(chemin), utilisateur=utilisateur, essai=demande.essai,
        parametres={**demande.en_dict(), **({"origine": origine} if origine else {})},
    )


def prendre_en_charge(enregistrement: ImportZonage) -> bool:
    """Moves a waiting import to "en cours", only if it is still waiting: a task delivered twice (late
    acknowledgement after a worker loss) or an import already marked failed is not run again."""
    maintenant = timezone.now()
    pris = ImportZonage.objects.filter(pk=enregistrement.pk, statut=ImportZonage.Statut.EN_ATTENTE).update(
        statut=ImportZonage.Statut.EN_COURS, signe_de_vie=maintenant)
    if pris:
        enregistrement.statut, enregistrement.signe_de_vie = ImportZonage.Statut.EN_COURS, maintenant
    return bool(pris)


@contextmanager
def signes_de_vie(import_id: int, intervalle: float | None = None):
    """Refreshes the import's heartbeat from a side thread (its own database connection, outside the import's
    write transaction) while the block runs. A process killed midway stops it, which is how its end is noticed."""
    intervalle = INTERVALLE_SIGNE_DE_VIE if intervalle is None else intervalle
    arret = threading.Event()

    def battre():
        try:
            while not arret.wait(intervalle):
                try:
                    ImportZonage.objects.filter(pk=import_id, statut=ImportZonage.Statut.EN_COURS).update(
                        signe_de_vie=timezone.now())
                except Exception:  # the database may be briefly unreachable: try again at the next beat
                    journal.warning("Signe de vie de l'import %s non enregistré", import_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    fil = threading.Thread(target=battre, name=f"signe-de-vie-import-{import_id}", daemon=True)
    fil.start()
    try:
        yield
    finally:
        arret.set()
        fil.join(timeout=10)


def executer_import(enregistrement: ImportZonage, chemin: Path) -> ImportZonage:
    """Validates then (unless a dry run) writes the version; updates and returns the record. Never half-writes."""
    demande = DemandeImport.depuis_dict(enregistrement.parametres)
    enregistrement.statut = ImportZonage.Statut.EN_COURS
    enregistrement.signe_de_vie = timezone.now()
    enregistrement.save(update_fields=["statut", "signe_de_vie"])
    _progresser(enregistrement, 5)
    try:
        if demande.type == "qpv":
            rapport, qpv = valider_qpv(chemin, Territoire.de_la_region())
            _progresser(enregistrement, 50)
            if rapport.valide and not demande.essai:
                ecrire_qpv(qpv, demande.valid_from, demande.valid_to, enregistrement)
        else:
            rapport = _valider(chemin, enregistrement.format, demande)
            _progresser(enregistrement, 50)
            if rapport.valide and not demande.essai:
                _ecrire(enregistrement, demande, rapport)
    except Exception as exc:
        journal.exception("Import de zonage %s échoué", enregistrement.pk)
        rapport = Rapport(erreurs=[Message(None, f"erreur technique : {exc}")])
        _terminer(enregistrement, rapport, ImportZonage.Statut.ECHOUE)
        raise
    if not rapport.valide:
        statut = ImportZonage.Statut.REJETE
    else:
        statut = ImportZonage.Statut.VALIDE if demande.essai else ImportZonage.Statut.IMPORTE
    return _terminer(enregistrement, rapport, statut)


def _valider(chemin: Path, format_: str, demande: DemandeImport) -> Rapport:
    try:
        lignes = lire_lignes(chemin, format_, demande.colonne_code, demande.colonne_niveau)
    except FichierInvalide as exc:
        return Rapport(erreurs=[Message(p.ligne, p.message) for p in exc.problemes])
    return valider_classement(lignes, TYPES[demande.type], Territoire.de_la_region())


def _ecrire(enregistrement: ImportZonage, demande: DemandeImport, rapport: Rapport):
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
            _progresser(enregistrement, 90)
            if demande.publier:
                publier(zonage)
    except ValidationError as exc:  # publication refused: the whole import is rolled back
        rapport.erreurs.extend(Message(None, m) for m in exc.messages)
        return
    rapport.zonage_id = zonage.pk


def _terminer(enregistrement: ImportZonage, rapport: Rapport, statut: str) -> ImportZonage:
    enregistrement.statut = statut
    enregistrement.termine_le = timezone.now()
    enregistrement.progression = 100
    enregistrement.lignes_lues = rapport.lignes_lues
    enregistrement.lignes_retenues = len(rapport.retenus) if statut != ImportZonage.Statut.REJETE else 0
    enregistrement.lignes_ignorees = sum(rapport.ignores.values())
    enregistrement.nb_avertissements = len(rapport.avertissements)
    enregistrement.nb_erreurs = len(rapport.erreurs)
    enregistrement.rapport = rapport.en_dict()
    enregistrement.save()
    _progresser(enregistrement, 100)
    enregistrement.rapport_complet = rapport  # for callers that print it whole (the command)
    return enregistrement


def deja_ecrit(import_id: int) -> bool:
    """Whether the import's data reached the database (its transaction committed)."""
    return (Zonage.objects.filter(import_source_id=import_id).exists()
            or QPV.objects.filter(import_source_id=import_id).exists())


def marquer_echoue(import_id: int, message: str, *conditions: Q) -> bool:
    """Marks an unfinished import "échoué" with `message` as its report's error, only if it is still unfinished
    (and matches `conditions`): an import that ended meanwhile keeps its outcome. Returns whether it was marked."""
    if deja_ecrit(import_id):
        message = MESSAGE_INTERROMPU_APRES_ECRITURE
    marques = ImportZonage.objects.filter(Q(pk=import_id, statut__in=INACHEVES), *conditions).update(
        statut=ImportZonage.Statut.ECHOUE, termine_le=timezone.now(), progression=100, nb_erreurs=1,
        rapport=Rapport(erreurs=[Message(None, message)]).en_dict())
    if marques:
        journal.warning("Import de zonage %s marqué échoué : %s", import_id, message)
        publier_progression(import_id, 100)
    return bool(marques)


def marquer_imports_interrompus(delai: datetime.timedelta = DELAI_SANS_SIGNE_DE_VIE,
                                delai_attente: datetime.timedelta = DELAI_EN_ATTENTE) -> list[int]:
    """Marks "échoué" the imports whose process is gone: "en cours" without a heartbeat for `delai`, or still
    "en attente" after `delai_attente`. Each update re-checks its condition, so a live import is never marked.
    Returns the ids marked."""
    maintenant = timezone.now()
    arrete = Q(statut=ImportZonage.Statut.EN_COURS) & (
        Q(signe_de_vie__lt=maintenant - delai) | Q(signe_de_vie__isnull=True, cree_le__lt=maintenant - delai))
    jamais_demarre = Q(statut=ImportZonage.Statut.EN_ATTENTE, cree_le__lt=maintenant - delai_attente)
    marques = []
    for pk, statut in ImportZonage.objects.filter(arrete | jamais_demarre).values_list("pk", "statut"):
        if statut == ImportZonage.Statut.EN_COURS:
            marque = marquer_echoue(pk, message_sans_signe_de_vie(delai), arrete)
        else:
            marque = marquer_echoue(pk, message_jamais_demarre(delai_attente), jamais_demarre)
        if marque:
            marques.append(pk)
    return marques


def importer_zonage(chemin: Path, demande: DemandeImport, utilisateur=None, origine: str = "") -> ImportZonage:
    """Record and run an import in this process (command line, reference load, eager tasks)."""
    return executer_import(enregistrer_import(Path(chemin), demande, utilisateur, origine=origine), Path(chemin))
