"""CSV exports for ARS staff: one version (the annex of its arrêté) and the difference between two versions.

UTF-8 with a byte order mark and `;` separators, so that spreadsheet software opens them as they are; text cells
that would read as formulas are neutralised (noyau/csv_sur.py).
Writers take any text stream with a `write` method (a file, io.StringIO, an HttpResponse).
"""
import io

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


def ecrire_version(zonage: Zonage, flux) -> None:
    """Every commune of the version with its level, by INSEE code (one query, streamed)."""
    ecrivain = _ecrivain(flux)
    ecrivain.writerow(ENTETES_VERSION)
    type_zonage = zonage.type_zonage
    lignes = (Classement.objects.filter(zonage=zonage).order_by("commune_id")
              .values_list("commune_id", "commune__nom", "commune__departement_id", "niveau"))
    for code, nom, departement, niveau in lignes.iterator(chunk_size=2000):
        detail = type_zonage.niveau(niveau)
        ecrivain.writerow([code, nom, departement, niveau, detail.libelle if detail else niveau])


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
