"""Recording the reference loads of `charger_referentiels` (ChargementReferentiel): one record per file (or set of
files, for the territories) loaded, with its counts and every warning of its report.

A load that reads the same files (same SHA-256) as the last recorded one and changes nothing is not recorded again:
`make run` reloads the references each time, and the record to read is that of the load that wrote the data."""
import getpass
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from noyau import importation
from noyau.fichiers import Message, Probleme, sha256_fichier

from .models import ChargementReferentiel


@dataclass
class RapportReferentiel(importation.Rapport):
    ecrit: dict = field(default_factory=dict)  # what the load created, changed or left, as the loader counts it

    def contenu(self, limite: int) -> dict:
        return {"comptes": self.ecrit}


def _message(avertissement) -> Message:
    """Loaders report Probleme (file, line, message) or Message (line, message)."""
    if isinstance(avertissement, Probleme):
        return Message(avertissement.ligne, avertissement.message if not avertissement.fichier else
                       f"{avertissement.fichier} : {avertissement.message}")
    return avertissement


def enregistrer(nature: str, fichiers: Iterable[Path], comptes: dict, avertissements: Iterable = (),
                lignes_lues: int = 0, changements: int = 0, origine: str = "") -> ChargementReferentiel:
    """Records a finished load (or returns the last record, for an identical load that changed nothing)."""
    lus = [{"nom": Path(f).name, "sha256": sha256_fichier(Path(f))} for f in fichiers]
    empreinte = lus[0]["sha256"] if len(lus) == 1 else hashlib.sha256(
        "\n".join(f"{f['nom']}:{f['sha256']}" for f in lus).encode()).hexdigest()
    nom = ", ".join(f["nom"] for f in lus)[:255]
    precedent = ChargementReferentiel.objects.filter(nature=nature, fichier_nom=nom).order_by("-cree_le").first()
    if precedent and precedent.sha256 == empreinte and not changements:
        return precedent
    rapport = RapportReferentiel(lignes_lues=lignes_lues, avertissements=[_message(a) for a in avertissements],
                                 ecrit=comptes)
    enregistrement = ChargementReferentiel.objects.create(
        nature=nature, fichier_nom=nom, sha256=empreinte, fichiers=lus, comptes=comptes,
        origine=origine or f"charger_referentiels ({getpass.getuser()})", statut=importation.Statut.EN_COURS)
    return importation.terminer(enregistrement, rapport, importation.Statut.IMPORTE)
