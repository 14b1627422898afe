"""Strict file imports, shared by the zonage and the structure imports.

An import is recorded before it runs (who, when, which file and its SHA-256), moves through one vocabulary of
statuses, validates the whole file, and writes everything or nothing: a file with any error is rejected whole, with
its line-numbered messages. Its record is then finished with its counts, its report and its end time; a technical
error finishes it "échoué", and nothing is written.

Each app keeps its own record model (a subclass of `EnregistrementImport`) and its own report (a subclass of
`Rapport`, which says what it holds besides the messages and which of its counts the record stores).
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models
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
