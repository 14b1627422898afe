"""The département of an INSEE code, declared once (territoires.codes) and read the same by every import."""
import pytest

from territoires.codes import departement_du_code
from zonages.imports.lecture import LigneBrute
from zonages.imports.validation import HORS_REGION, Territoire, valider_classement
from zonages.niveaux import TYPES


@pytest.mark.parametrize("code, departement", [
    ("31555", "31"),  # Toulouse
    ("2A004", "2A"),  # Ajaccio
    ("97105", "971"),  # Basse-Terre
    ("97502", "975"),  # Saint-Pierre (Saint-Pierre-et-Miquelon)
    ("98735", "987"),  # Papeete (Polynésie française)
    ("98818", "988"),  # Nouméa (Nouvelle-Calédonie)
])
def test_departement_du_code(code, departement):
    assert departement_du_code(code) == departement


def test_une_commune_d_une_collectivite_servie_n_est_pas_hors_region():
    """A national file's row for a commune of an overseas collectivité that the portal serves (`toutes`) is kept;
    it was read as département « 98 », not served, and dropped as outside the served regions. (Test-only
    territory: two real codes, no stored data.)"""
    territoire = Territoire({"98735": 26_000, "31555": 500_000}, {"987", "31"}, {})
    lignes = [LigneBrute(2, "98735", "Zone d'intervention prioritaire"), LigneBrute(3, "31555", "ZAR")]
    rapport = valider_classement(lignes, TYPES["medecin"], territoire)
    assert set(rapport.retenus) == {"98735", "31555"}, rapport.lignes_texte()
    assert not rapport.ignores.get(HORS_REGION)
