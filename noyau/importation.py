"""Strict file imports, shared by the zonage and the structure imports.

An import is recorded before it runs (who, when, which file and its SHA-256), moves through one vocabulary of
statuses, validates the whole file, and writes everything or nothing: a file with any error is rejected whole, with
its line-numbered messages. Its record is then finished with its counts, its report and its end time; a technical
error finishes it "échoué", and nothing is written.

Each app keeps its own record model (a subclass of `EnregistrementImport`) and its own report (a subclass of
`Rapport`, which says what it holds besides the messages and which of its counts the record stores).

An import run by a task (a Celery worker, or eagerly in the request that started it) refreshes a heartbeat
(`signe_de_vie`, a field of its record) from a side thread; one whose heartbeat stopped, or that no process ever
took, is found by `interrompus` and marked "échoué" by its app, with `message_sans_signe_de_vie` or
`message_jamais_demarre`.
"""
import datetime
import logging
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst

from .fichiers import FichierInvalide, Message, sha256_fichier

journal = logging.getLogger(__name__)


class Statut(models.TextChoices):
    EN_ATTENTE = "en_attente", "en attente"
    EN_COURS = "en_cours", "en cours"
    VALIDE = "valide", "validé (essai à blanc, rien d'écrit)"
    IMPORTE = "importe", "importé"
    REJETE = "rejete", "rejeté (fichier invalide, rien d'écrit)"
    ECHOUE = "echoue", "échoué (erreur technique, rien d'écrit)"


INACHEVES = (Statut.EN_ATTENTE, Statut.EN_COURS)
TERMINES = frozenset(Statut) - set(INACHEVES)


class EnregistrementImport(models.Model):
    """The record of one file import (or dry run): which file, when, what came of it. Concrete models add who
    started it (`utilisateur`) and their own counts."""

    Statut = Statut

    fichier_nom = models.CharField("fichier", max_length=255)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)
    essai = models.BooleanField("essai à blanc", default=False)
    statut = models.CharField(max_length=12, choices=Statut.choices, default=Statut.EN_ATTENTE)
    lignes_lues = models.PositiveIntegerField(default=0)
    nb_avertissements = models.PositiveIntegerField("avertissements", default=0)
    nb_erreurs = models.PositiveIntegerField("erreurs", default=0)
    rapport = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.fichier_nom} ({self.get_statut_display()}, {timezone.localtime(self.cree_le):%d/%m/%Y %H:%M})"

    @property
    def termine(self) -> bool:
        return self.statut in TERMINES


@dataclass
class Rapport:
    """What an import found: rows read, errors and warnings (each with its line when there is one)."""

    lignes_lues: int = 0
    erreurs: list[Message] = field(default_factory=list)
    avertissements: list[Message] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        return not self.erreurs

    @classmethod
    def echec(cls, message: str) -> "Rapport":
        """The report of an import that could not go through (technical error, lost process): one error, no line."""
        return cls(erreurs=[Message(None, message)])

    @classmethod
    def du_fichier_invalide(cls, exc: FichierInvalide) -> "Rapport":
        return cls(erreurs=[Message(p.ligne, p.message) for p in exc.problemes])

    def erreur(self, ligne: int | None, message: str):
        self.erreurs.append(Message(ligne, message))

    def avertir(self, ligne: int | None, message: str):
        self.avertissements.append(Message(ligne, message))

    def trier(self):
        """Messages in the order of the file's lines (stable: a line's messages keep their order)."""
        self.erreurs.sort(key=lambda m: m.ligne or 0)
        self.avertissements.sort(key=lambda m: m.ligne or 0)

    def contenu(self, limite: int) -> dict:
        """What the kind of import reports besides rows read and messages (stored in the record's report)."""
        return {}

    def comptes(self, statut: str) -> dict:
        """The record's own count fields, for an import that ended with `statut`."""
        return {}

    def en_dict(self, limite: int = 1000) -> dict:
        return {
            "lignes_lues": self.lignes_lues,
            **self.contenu(limite),
            "erreurs": [m.en_dict() for m in self.erreurs[:limite]],
            "nb_erreurs": len(self.erreurs),
            "avertissements": [m.en_dict() for m in self.avertissements[:limite]],
            "nb_avertissements": len(self.avertissements),
        }

    def lignes_messages(self) -> list[str]:
        """Warnings then errors, one a line, in French (for the command line)."""
        def ligne(nature: str, m: Message) -> str:
            return f"{nature}, ligne {m.ligne} : {m.message}" if m.ligne else f"{nature} : {m.message}"
        return ([ligne("Avertissement", m) for m in self.avertissements]
                + [ligne("Erreur", m) for m in self.erreurs])


def ouvrir(modele: type[EnregistrementImport], chemin: Path, fichier_nom: str | None = None,
           **champs) -> EnregistrementImport:
    """Records an import of `chemin` to come ("en attente"), with its name and SHA-256. A file that cannot be read
    is still recorded (empty fingerprint): its reading then reports why."""
    try:
        empreinte = sha256_fichier(chemin)
    except OSError:
        empreinte = ""
    return modele.objects.create(fichier_nom=fichier_nom or chemin.name, sha256=empreinte, **champs)


def prendre_en_charge(enregistrement: EnregistrementImport, **champs) -> bool:
    """Moves a waiting import to "en cours" (with `champs`), only if it is still waiting: an import delivered twice,
    or already marked failed, is not run again. Returns whether it was taken."""
    pris = type(enregistrement).objects.filter(pk=enregistrement.pk, statut=Statut.EN_ATTENTE).update(
        statut=Statut.EN_COURS, **champs)
    if pris:
        enregistrement.statut = Statut.EN_COURS
        for nom, valeur in champs.items():
            setattr(enregistrement, nom, valeur)
    return bool(pris)


def issue(rapport: Rapport, essai: bool) -> Statut:
    """How a validated import ends: rejected on any error, else validated (dry run) or imported."""
    if not rapport.valide:
        return Statut.REJETE
    return Statut.VALIDE if essai else Statut.IMPORTE


def executer(enregistrement: EnregistrementImport, type_rapport: type[Rapport], valider: Callable[[], Rapport],
             ecrire: Callable[[Rapport], None], *, essai: bool, au_debut: dict | None = None,
             a_la_fin: dict | None = None) -> EnregistrementImport:
    """Runs a recorded import: "en cours" (with the fields `au_debut`), then `valider()`; unless a dry run or any
    error, `ecrire(rapport)`, which writes in one transaction and may add errors that roll it back (a refused
    publication…). Finishes the record (with the fields `a_la_fin`) and returns it. On an exception, finishes it
    "échoué" with the error as its report, then re-raises."""
    enregistrement.statut = Statut.EN_COURS
    for nom, valeur in (au_debut or {}).items():
        setattr(enregistrement, nom, valeur)
    enregistrement.save(update_fields=["statut", *(au_debut or {})])
    try:
        rapport = valider()
        if rapport.valide and not essai:
            ecrire(rapport)
    except Exception as exc:
        journal.exception("%s n° %s échoué", capfirst(enregistrement._meta.verbose_name), enregistrement.pk)
        terminer(enregistrement, type_rapport.echec(f"erreur technique : {exc}"), Statut.ECHOUE, **(a_la_fin or {}))
        raise
    return terminer(enregistrement, rapport, issue(rapport, essai), **(a_la_fin or {}))


def terminer(enregistrement: EnregistrementImport, rapport: Rapport, statut: str, **champs) -> EnregistrementImport:
    """Stores the outcome: status, end time, counts, report. The full report stays on the record as
    `rapport_complet` (for callers that print it whole, like the commands)."""
    enregistrement.statut = statut
    enregistrement.termine_le = timezone.now()
    enregistrement.lignes_lues = rapport.lignes_lues
    enregistrement.nb_avertissements = len(rapport.avertissements)
    enregistrement.nb_erreurs = len(rapport.erreurs)
    enregistrement.rapport = rapport.en_dict()
    for nom, valeur in {**rapport.comptes(statut), **champs}.items():
        setattr(enregistrement, nom, valeur)
    enregistrement.save()
    enregistrement.rapport_complet = rapport
    return enregistrement


def marquer_echoue(modele: type[EnregistrementImport], import_id: int, rapport: Rapport, *conditions: Q,
                   **champs) -> bool:
    """Finishes an unfinished import "échoué" with `rapport` (see Rapport.echec), only if it is still unfinished
    and matches `conditions`: an import that ended meanwhile keeps its outcome. Returns whether it was marked."""
    return bool(modele.objects.filter(Q(pk=import_id, statut__in=INACHEVES), *conditions).update(
        statut=Statut.ECHOUE, termine_le=timezone.now(), nb_erreurs=len(rapport.erreurs),
        rapport=rapport.en_dict(), **champs))


# --- Heartbeat, and imports whose process is gone ------------------------------------------------------------------

# A running import refreshes its heartbeat every INTERVALLE_SIGNE_DE_VIE seconds; without one for
# DELAI_SANS_SIGNE_DE_VIE, its process is considered gone. An import still waiting after DELAI_EN_ATTENTE was never
# taken by a worker (message lost, workers down): one hour is also Redis's redelivery delay for unacknowledged tasks.
INTERVALLE_SIGNE_DE_VIE = 30
DELAI_SANS_SIGNE_DE_VIE = datetime.timedelta(minutes=5)
DELAI_EN_ATTENTE = datetime.timedelta(hours=1)
MESSAGE_RELANCE = "Vous pouvez relancer l'import depuis sa page de suivi."


@contextmanager
def signes_de_vie(modele: type[EnregistrementImport], import_id: int, intervalle: float | None = None):
    """Refreshes the import's heartbeat from a side thread (its own database connection, outside the import's
    write transaction) while the block runs. A process killed midway stops it, which is how its end is noticed."""
    intervalle = INTERVALLE_SIGNE_DE_VIE if intervalle is None else intervalle
    arret = threading.Event()

    def battre():
        try:
            while not arret.wait(intervalle):
                try:
                    modele.objects.filter(pk=import_id, statut=Statut.EN_COURS).update(signe_de_vie=timezone.now())
                except Exception:  # the database may be briefly unreachable: try again at the next beat
                    journal.warning("Signe de vie de l'import %s non enregistré", import_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's connections only

    fil = threading.Thread(target=battre, name=f"signe-de-vie-{modele._meta.model_name}-{import_id}", daemon=True)
    fil.start()
    try:
        yield
    finally:
        arret.set()
        fil.join(timeout=10)


def interrompus(modele: type[EnregistrementImport], delai: datetime.timedelta | None = None,
                delai_attente: datetime.timedelta | None = None, *conditions: Q) -> list[tuple[int, Q, str]]:
    """The imports (matching `conditions`) whose process is gone: "en cours" without a heartbeat for `delai`, or
    still "en attente" after `delai_attente`. Returns (id, the condition to re-check when marking it, the message
    saying why), so that a live import is never marked."""
    delai = DELAI_SANS_SIGNE_DE_VIE if delai is None else delai
    delai_attente = DELAI_EN_ATTENTE if delai_attente is None else delai_attente
    maintenant = timezone.now()
    arrete = Q(statut=Statut.EN_COURS) & (
        Q(signe_de_vie__lt=maintenant - delai) | Q(signe_de_vie__isnull=True, cree_le__lt=maintenant - delai))
    jamais_demarre = Q(statut=Statut.EN_ATTENTE, cree_le__lt=maintenant - delai_attente)
    return [(pk, arrete, message_sans_signe_de_vie(delai)) if statut == Statut.EN_COURS
            else (pk, jamais_demarre, message_jamais_demarre(delai_attente))
            for pk, statut in modele.objects.filter(arrete | jamais_demarre, *conditions).values_list("pk", "statut")]


def message_sans_signe_de_vie(delai: datetime.timedelta) -> str:
    return (f"L'import s'est interrompu : le processus qui l'exécutait ne donne plus signe de vie depuis "
            f"{plus_de(delai)} (arrêt brutal, redémarrage du serveur…). L'écriture n'est pas allée au bout et rien "
            f"n'a été écrit. " + MESSAGE_RELANCE)


def message_jamais_demarre(delai: datetime.timedelta) -> str:
    return (f"L'import n'a pas pu démarrer : il est resté en attente {plus_de(delai)} sans qu'aucun processus de "
            f"traitement (worker Celery) ne le prenne en charge. Rien n'a été écrit. " + MESSAGE_RELANCE)


def plus_de(delai: datetime.timedelta) -> str:
    """ "plus de 5 minutes", "plus d'une heure"…"""
    secondes = round(delai.total_seconds())
    for unite, duree in (("heure", 3600), ("minute", 60), ("seconde", 1)):
        if secondes >= duree and secondes % duree == 0 or unite == "seconde":
            nombre = max(1, secondes // duree)
            return "plus d'une " + unite if nombre == 1 else f"plus de {nombre} {unite}s"
    raise AssertionError("inaccessible")


def au_demarrage_des_workers(marquer_interrompus: Callable[[], object], quoi: str):
    """A Celery worker starting (after a crash, a restart…) runs `marquer_interrompus` (the imports of `quoi` left
    behind are marked), without waiting for beat; an error is logged, never raised into the worker's start."""
    from celery.signals import worker_ready

    def au_demarrage(**_):
        try:
            marquer_interrompus()
        except Exception:
            journal.exception("Imports de %s interrompus : recherche impossible au démarrage du worker", quoi)
    worker_ready.connect(au_demarrage, weak=False, dispatch_uid=f"noyau.importation.interrompus.{quoi}")
