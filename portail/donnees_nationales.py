"""The national files of donnees/france/ (issue 17: one instance for several regions, or all of France), imported as
the manifest's own files are, with the dates, references and notes of the manifest's entry for their kind: each
import keeps the rows of the served regions (PAPS_REGIONS). The two-region test and the all-France benchmark load
them; `charger_referentiels` still loads the manifest (Occitanie's extracts, or the same national file)."""
from pathlib import Path

from structures.imports.execution import importer_structures
from structures.models import ImportStructures
from territoires.referentiels.sources import lire_manifeste
from zonages.imports.execution import importer_zonage
from zonages.manifeste import _demande
from zonages.models import ImportZonage

ORIGINE = "fichiers nationaux (donnees/france)"

# Kind → (national file, what its entry changes in the manifest's entry for the kind). The montagne list and the FRR
# state are the ones the manifest loads for Occitanie (21 May 2025, 10 July 2025); the CartoSanté exports are the
# very files the manifest reads.
ZONAGES = {
    "infirmier": ("france/zonage_infirmiers_cartosante_france.csv.gz", {}),
    "masseur-kinesitherapeute": ("france/zonage_masseurs-kinesitherapeutes_cartosante_france.csv.gz", {}),
    "chirurgien-dentiste": ("france/zonage_chirurgiens-dentistes_cartosante_france.csv.gz", {}),
    "orthophoniste": ("france/zonage_orthophonistes_cartosante_france.csv.gz", {}),
    "sage-femme": ("france/zonage_sages-femmes_cartosante_france.csv.gz", {}),
    "montagne": ("france/zone_montagne_france.csv.gz", {"format": None}),
    "frr": ("france/frr_france_2025-07-10.csv.gz", {
        "format": None, "code_column": "Code_insee", "level_column": "Classement FRR et FRR+ au 10 juillet 2025"}),
}
QPV = "france/qpv2024_france.geojson.gz"
FINESS = "france/finess_2021-01-08_structures_france.csv.gz"


def entree_nationale(donnees: Path, type_: str, **changements) -> dict:
    """The manifest's entry for `type_` (a zonage kind, or "qpv") pointing at the national file."""
    manifeste = lire_manifeste(Path(donnees))
    if type_ == "qpv":
        return {**manifeste["qpv"][0], "file": QPV, **changements}
    fichier, options = ZONAGES[type_]
    entree = next(e for e in manifeste["zonages"] if e["kind"] == type_)
    return {**entree, "file": fichier, **options, **changements}


def importer_zonage_national(donnees: Path, type_: str, publier: bool = True, **changements) -> ImportZonage:
    """Imports (and publishes) the national file of `type_` or the QPV list; `changements` alter the manifest's
    entry (e.g. coverage and coverage_reason when the served regions have communes the file leaves out)."""
    entree = entree_nationale(donnees, type_, **changements)
    demande = _demande(entree, type_)
    demande.publier = publier and type_ != "qpv"
    return importer_zonage(Path(donnees) / entree["file"], demande, origine=ORIGINE)


def importer_finess_national(donnees: Path) -> ImportStructures:
    """The national FINESS register, with the extraction date the manifest gives the regional one (same register)."""
    registre = lire_manifeste(Path(donnees))["structures"]["registre"]
    return importer_structures(Path(donnees) / FINESS, origine=ORIGINE, date_registre=registre)
