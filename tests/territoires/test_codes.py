"""The département of an INSEE code, declared once (territoires.codes) and read the same by every import
(tests/zonages/test_validation_outre_mer.py: a zonage import)."""
import pytest

from territoires.codes import departement_du_code


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
