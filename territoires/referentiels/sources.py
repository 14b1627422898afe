"""Where the reference files of a data directory are.

A directory either has a `manifest.yaml` whose `territoires` section names each file (as the project's `donnees/` does),
or follows the file names of the `@etalab/decoupage-administratif` package (`communes.json`, `departements.json`,
`regions.json`, `epci.json`), as `donnees/france/` and `fixtures/referentiels/` do.
"""
from dataclasses import dataclass
from pathlib import Path

import yaml

from noyau.fichiers import FichierInvalide, Probleme

NOMS_PAR_DEFAUT = {
    "communes": "communes.json",
    "departements": "departements.json",
    "regions": "regions.json",
    "epci": "epci.json",
}


@dataclass(frozen=True)
class SourceTerritoires:
    dossier: Path
    communes: Path
    departements: Path
    regions: Path | None = None
    epci: Path | None = None
    communes_rattachees: Path | None = None  # file holding communes déléguées / associées, if not in `communes`
    contours_communes: Path | None = None
    contours_departements: Path | None = None
    contour_region: Path | None = None

    def fichiers(self) -> list[Path]:
        """Every file of the source, in reading order."""
        return [f for f in (self.communes, self.communes_rattachees, self.departements, self.regions, self.epci,
                            self.contours_communes, self.contours_departements, self.contour_region) if f]


def lire_manifeste(dossier: Path) -> dict:
    chemin = dossier / "manifest.yaml"
    if not chemin.exists():
        return {}
    try:
        contenu = yaml.safe_load(chemin.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        ligne = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        raise FichierInvalide([Probleme("manifest.yaml", ligne, f"YAML invalide : {exc}")]) from None
    if not isinstance(contenu, dict):
        raise FichierInvalide([Probleme("manifest.yaml", None, "le manifeste doit être un dictionnaire")])
    return contenu


def trouver_source(dossier: Path) -> SourceTerritoires:
    dossier = Path(dossier)
    if not dossier.is_dir():
        raise FichierInvalide([Probleme(str(dossier), None, "dossier de données introuvable")])
    noms = dict(NOMS_PAR_DEFAUT)
    territoires = lire_manifeste(dossier).get("territoires") or {}
    noms.update({cle: valeur for cle, valeur in territoires.items() if valeur})

    def chemin(cle: str, obligatoire: bool = False) -> Path | None:
        nom = noms.get(cle)
        for candidat in (nom, f"{nom}.gz") if nom else ():  # donnees/france/ ships its large files compressed
            if (dossier / candidat).exists():
                return dossier / candidat
        if obligatoire:
            raise FichierInvalide([Probleme(nom or cle, None, f"fichier introuvable dans {dossier}")])
        return None

    return SourceTerritoires(
        dossier=dossier,
        communes=chemin("communes", obligatoire=True),
        departements=chemin("departements", obligatoire=True),
        regions=chemin("regions"),
        epci=chemin("epci"),
        communes_rattachees=chemin("communes_all_types"),
        contours_communes=chemin("contours_communes"),
        contours_departements=chemin("contours_departements"),
        contour_region=chemin("contour_region"),
    )
