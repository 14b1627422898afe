"""A zonage file's rows are kept or left out by their commune's département (territoires.codes), overseas too."""
from zonages.imports.lecture import LigneBrute
from zonages.imports.validation import HORS_REGION, Territoire, valider_classement
from zonages.niveaux import TYPES


def test_une_commune_d_une_collectivite_servie_n_est_pas_hors_region():
    """A national file's row for a commune of an overseas collectivité that the portal serves (`toutes`) is kept;
    it was read as département « 98 », not served, and dropped as outside the served regions. (Test-only
    territory: two real codes, no stored data.)"""
    territoire = Territoire({"98735": 26_000, "31555": 500_000}, {"987", "31"}, {})
    lignes = [LigneBrute(2, "98735", "Zone d'intervention prioritaire"), LigneBrute(3, "31555", "ZAR")]
    rapport = valider_classement(lignes, TYPES["medecin"], territoire)
    assert set(rapport.retenus) == {"98735", "31555"}, rapport.lignes_texte()
    assert not rapport.ignores.get(HORS_REGION)
