"""Running one zonage import: record it, validate the whole file, then write everything or nothing.

Progress is published through the cache (readable from other processes while the write transaction is open)
and saved on the ImportZonage record at each stage.
"""
import datetime
import logging
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from paps.fichiers import FichierInvalide, Message, sha256_fichier

from ..models import Classement, ImportZonage, Zonage
from ..niveaux import TYPES
from ..publication import publier
from .lecture import detecter_format, lire_lignes
from .qpv import ecrire_qpv, valider_qpv
from .validation import Rapport, Territoire, valider_classement

journal = logging.getLogger(__name__)


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


def _progresser(enregistrement: ImportZonage, pourcentage: int):
    try:
        cache.set(cle_progression(enregistrement.pk), pourcentage, 3600)
    except Exception:  # progress is a courtesy: a cache outage must not fail the import
        journal.warning("Cache injoignable : progression de l'import %s non publiée", enregistrement.pk)


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


def executer_import(enregistrement: ImportZonage, chemin: Path) -> ImportZonage:
    """Validates then (unless a dry run) writes the version; updates and returns the record. Never half-writes."""
    demande = DemandeImport.depuis_dict(enregistrement.parametres)
    enregistrement.statut = ImportZonage.Statut.EN_COURS
    enregistrement.save(update_fields=["statut"])
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


def importer_zonage(chemin: Path, demande: DemandeImport, utilisateur=None, origine: str = "") -> ImportZonage:
    """Record and run an import in this process (command line, reference load, eager tasks)."""
    return executer_import(enregistrer_import(Path(chemin), demande, utilisateur, origine=origine), Path(chemin))
