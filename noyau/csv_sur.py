"""A CSV writer that neutralises spreadsheet formulas in text cells.

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is taken for a formula by spreadsheet
software (Excel, LibreOffice): a commune or structure name crafted as `=HYPERLINK(…)` would run when an agent opens
the export. Such text cells get a leading apostrophe, which spreadsheets show as text and do not display. Numbers
written as numbers (int, float, Decimal) are left as they are: a negative figure stays numeric.
"""
import csv

DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r")


def neutraliser(valeur):
    if isinstance(valeur, str) and valeur.startswith(DEBUTS_DE_FORMULE):
        return "'" + valeur
    return valeur


class _Ecrivain:
    def __init__(self, flux, **options):
        self._ecrivain = csv.writer(flux, **options)

    def writerow(self, ligne):
        return self._ecrivain.writerow([neutraliser(valeur) for valeur in ligne])

    def writerows(self, lignes):
        for ligne in lignes:
            self.writerow(ligne)


def ecrivain(flux, **options) -> _Ecrivain:
    """As csv.writer(flux, **options); writerow returns what the stream's write returned (for streamed responses)."""
    return _Ecrivain(flux, **options)
