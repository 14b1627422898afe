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

from noyau import importation
from noyau.fichiers import FichierInvalide

from ..differences import version_remplacee
from ..models import QPV, Classement, ImportZonage, Zonage
from ..niveaux import TYPES
from ..publication import publier
from .lecture import detecter_format, detecter_type, lire_classement
from .qpv import ecrire_qpv, valider_qpv
from .validation import COMPLETE, PARTIELLE, RapportZonage, Territoire, valider_classement, verifier_couverture

journal = logging.getLogger(__name__)

INACHEVES = importation.INACHEVES  # for callers that wait for an import to end
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
    # The region's communes the file leaves out: refused, kept from the version in force, or left without a level
    # for the reason given (validation.COUVERTURES).
    couverture: str = COMPLETE
    motif_couverture: str = ""

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
    qpv: list[dict] = []  # the QPV of a valid file, for ecrire()

    def valider() -> RapportZonage:
        publier_progression(enregistrement.pk, 5)
        if demande.type == "qpv":
            rapport, retenus = valider_qpv(chemin, Territoire.de_la_region())
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
    return valider_fichier(chemin, format_, demande, Territoire.de_la_region())


def valider_fichier(chemin: Path, format_: str, demande: DemandeImport, territoire: Territoire) -> RapportZonage:
    """The whole validation of a classification file, without writing: rows, the kind it seems to be when the chosen
    one cannot read its levels, and the region's coverage (the agent's choice for the communes it leaves out)."""
    try:
        lecture = lire_classement(chemin, format_, demande.colonne_code, demande.colonne_niveau)
    except FichierInvalide as exc:
        return RapportZonage.du_fichier_invalide(exc)
    type_zonage = TYPES[demande.type]
    rapport = valider_classement(lecture.lignes, type_zonage, territoire)
    if rapport.niveaux_inconnus:
        # Coverage means nothing while the levels cannot be read: the kind is what to check first.
        _suggerer_type(rapport, lecture, type_zonage, territoire)
        return rapport
    base = version_remplacee(demande.type, demande.valid_from) if demande.couverture == PARTIELLE else None
    if base is not None:
        rapport.base_id = base.pk
    verifier_couverture(rapport, demande.couverture, demande.motif_couverture, territoire,
                        niveaux_de(base) if base else None, base.reference if base else "")
    return rapport


def _suggerer_type(rapport: RapportZonage, lecture, type_zonage, territoire: Territoire) -> None:
    dans_la_region = (lambda code: territoire.departement_de(code.zfill(5) if len(code) == 4 else code)
                      in territoire.departements_region)
    detecte = detecter_type(lecture, dans_la_region)
    if detecte is None or detecte.code == type_zonage.code:
        return
    libelle = TYPES[detecte.code].libelle
    rapport.type_suggere = {"code": detecte.code, "libelle": libelle, "raison": detecte.raison}
    rapport.erreur(None, f"Ce fichier semble être un zonage « {libelle} » ({detecte.raison}), et non un zonage "
                         f"« {type_zonage.libelle} » : importez-le à nouveau avec le type « {libelle} ».")
    rapport.trier()


def niveaux_de(zonage: Zonage) -> dict[str, str]:
    return dict(Classement.objects.filter(zonage=zonage).values_list("commune_id", "niveau"))


def niveaux_de_la_version(rapport: RapportZonage) -> dict[str, str]:
    """{commune: level} of the version a valid file makes: its rows, over the base version for a partial update."""
    if rapport.base_id is None:
        return dict(rapport.retenus)
    return {**dict(Classement.objects.filter(zonage_id=rapport.base_id).values_list("commune_id", "niveau")),
            **rapport.retenus}


def _ecrire(enregistrement: ImportZonage, demande: DemandeImport, rapport: RapportZonage):
    try:
        with transaction.atomic():
            zonage = Zonage.objects.create(
                type=demande.type, reference=demande.reference, valid_from=demande.valid_from,
                valid_to=demande.valid_to, note_source=demande.note_source, import_source=enregistrement,
            )
            classements = [Classement(zonage=zonage, commune_id=code, niveau=niveau)
                           for code, niveau in sorted(niveaux_de_la_version(rapport).items())]
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
