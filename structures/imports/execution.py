"""Running one structures import, in the calling process (command line, administration): recorded, validated whole,
then written unless a dry run or any error (see noyau.importation)."""
import getpass
from pathlib import Path

from noyau import importation

from ..models import ImportStructures
from .ecriture import ecrire
from .validation import RapportStructures, valider


def importer_structures(chemin: Path, essai: bool = False, utilisateur=None, origine: str = "",
                        fichier_nom: str | None = None, date_registre=None) -> ImportStructures:
    """Records the import, validates the whole file, then (unless a dry run or any error) writes it in one
    transaction. Returns the record, with the full report as `rapport_complet` (for the command).
    `date_registre`: the extraction date of a FINESS file that does not give it itself."""
    chemin = Path(chemin)
    enregistrement = importation.ouvrir(ImportStructures, chemin, fichier_nom, utilisateur=utilisateur, essai=essai,
                                        origine=origine or f"commande ({getpass.getuser()})")
    return importation.executer(enregistrement, RapportStructures, lambda: valider(chemin, date_registre),
                                lambda rapport: ecrire(rapport, enregistrement), essai=essai)
