"""CSV exports neutralise spreadsheet formulas in text cells; numbers stay numbers."""
import csv
import decimal
import io

import pytest

from noyau import csv_sur


def lire(texte: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(texte), delimiter=";"))


@pytest.mark.parametrize("cellule", ["=1+2", "+33 6", "-2+3", "@SUM(A1)", "\tnom", "\rnom",
                                     '=HYPERLINK("https://exemple.invalid";"clic")'])
def test_texte_qui_commence_comme_une_formule(cellule):
    flux = io.StringIO()
    csv_sur.ecrivain(flux, delimiter=";").writerow(["34172", cellule])
    assert lire(flux.getvalue()) == [["34172", "'" + cellule]]


def test_le_reste_inchange_et_les_nombres_restent_des_nombres():
    flux = io.StringIO()
    ecrivain = csv_sur.ecrivain(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerows([["Saint-Pons-de-Thomières", "a=b", "", None, -3, -2.5, decimal.Decimal("-1.5"), 0]])
    assert flux.getvalue() == "Saint-Pons-de-Thomières;a=b;;;-3;-2.5;-1.5;0\r\n"


def test_ecriture_en_flux():
    class Echo:
        def write(self, valeur):
            return valeur

    assert csv_sur.ecrivain(Echo(), delimiter=";").writerow(["=1", "x"]) == "'=1;x\r\n"
