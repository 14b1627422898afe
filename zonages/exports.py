"""Exports for ARS staff: one version (the annex of its arrêté: communes by level, as CSV and as a printable page) and
the difference between two versions.

UTF-8 with a byte order mark and `;` separators, so that spreadsheet software opens them as they are; text cells
that would read as formulas are neutralised (noyau/csv_sur.py).
Writers take any text stream with a `write` method (a file, io.StringIO, an HttpResponse).
"""
import io
from dataclasses import dataclass, field

from noyau import csv_sur

from .differences import Difference
from .models import Classement, Zonage

BOM = "\ufeff"
ENTETES_VERSION = ["code_insee", "commune", "département", "niveau", "libellé"]
ENTETES_DIFFERENCE = ["code_insee", "commune", "département", "population", "niveau_avant", "libellé_avant",
                      "niveau_après", "libellé_après", "nature"]


def _ecrivain(flux):
    flux.write(BOM)
    return csv_sur.ecrivain(flux, delimiter=";", lineterminator="\r\n")


@dataclass(frozen=True)
class CommuneAnnexe:
    code_insee: str
    nom: str
    departement: str
    departement_nom: str
    population: int | None


@dataclass
class NiveauAnnexe:
    code: str
    libelle: str
    communes: list[CommuneAnnexe] = field(default_factory=list)

    @property
    def population(self) -> int:
        return sum(c.population or 0 for c in self.communes)


def annexe(zonage: Zonage) -> list[NiveauAnnexe]:
    """The communes of the version by level (in the kind's order of levels), each level by département then INSEE
    code: the annex of its arrêté. One query."""
    type_zonage = zonage.type_zonage
    niveaux: dict[str, NiveauAnnexe] = {n.code: NiveauAnnexe(n.code, n.libelle) for n in type_zonage.niveaux}
    lignes = (Classement.objects.filter(zonage=zonage).order_by("commune__departement_id", "commune_id")
              .values_list("niveau", "commune_id", "commune__nom", "commune__departement_id",
                           "commune__departement__nom", "commune__population"))
    for niveau, *commune in lignes.iterator(chunk_size=2000):
        niveaux.setdefault(niveau, NiveauAnnexe(niveau, niveau)).communes.append(CommuneAnnexe(*commune))
    return [n for n in niveaux.values() if n.communes]


def ecrire_version(zonage: Zonage, flux) -> None:
    """Every commune of the version with its level: by level (the kind's order), then département and INSEE code."""
    ecrivain = _ecrivain(flux)
    ecrivain.writerow(ENTETES_VERSION)
    for niveau in annexe(zonage):
        for c in niveau.communes:
            ecrivain.writerow([c.code_insee, c.nom, c.departement, niveau.code, niveau.libelle])


def ecrire_difference(diff: Difference, flux) -> None:
    """One row per commune that changes; an empty level means "not classified in that version"."""
    ecrivain = _ecrivain(flux)
    ecrivain.writerow(ENTETES_DIFFERENCE)
    for c in diff.changements:
        ecrivain.writerow([
            c.code_insee, c.nom, c.departement, "" if c.population is None else c.population,
            c.niveau_avant or "", diff.libelle(c.niveau_avant) if c.niveau_avant else "",
            c.niveau_apres or "", diff.libelle(c.niveau_apres) if c.niveau_apres else "", c.nature,
        ])


def csv_version(zonage: Zonage) -> str:
    flux = io.StringIO()
    ecrire_version(zonage, flux)
    return flux.getvalue()


def csv_difference(diff: Difference) -> str:
    flux = io.StringIO()
    ecrire_difference(diff, flux)
    return flux.getvalue()


def nom_fichier_version(zonage: Zonage) -> str:
    return f"zonage_{zonage.type}_{zonage.valid_from:%Y-%m-%d}_v{zonage.pk}.csv"


def nom_fichier_difference(diff: Difference) -> str:
    avant = f"v{diff.avant.pk}" if diff.avant else "aucune"
    return f"difference_{diff.apres.type}_{avant}_v{diff.apres.pk}.csv"
