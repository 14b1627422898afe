import pytest

from territoires.normalisation import normaliser_nom


@pytest.mark.parametrize("saisie, attendu", [
    ("Saint-Jean-du-Gard", "saint jean du gard"),
    ("saint jean du gard", "saint jean du gard"),
    ("St-Jean-du-Gard", "saint jean du gard"),
    ("ST JEAN DU GARD", "saint jean du gard"),
    ("Ste-Marie-la-Mer", "sainte marie la mer"),
    ("Béziers", "beziers"),
    ("L'Isle-Jourdain", "l isle jourdain"),
    ("  Cœur   d’Ariège ", "coeur d ariege"),
    ("Stade", "stade"),  # only whole words are expanded
    ("---", ""),
])
def test_normaliser_nom(saisie, attendu):
    assert normaliser_nom(saisie) == attendu
