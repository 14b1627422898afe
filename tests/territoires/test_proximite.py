"""Communes around a commune, by the distance between their representative points (real outlines loaded)."""
import pytest

from territoires.models import Commune
from territoires.proximite import autour_de, distances_depuis
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def points_reels():
    charger_territoires(DONNEES_REELLES)


def test_autour_de_rodez(points_reels):
    voisines = autour_de("12202", 30)  # Rodez
    codes = [v.code_insee for v in voisines]
    assert codes[0] == "12202" and voisines[0].distance_km == 0
    assert "12176" in codes  # Onet-le-Château, its neighbour
    assert "31555" not in codes  # Toulouse is about 120 km away
    assert all(v.distance_km <= 30 for v in voisines)
    assert [v.distance_km for v in voisines] == sorted(v.distance_km for v in voisines)


def test_distance_rodez_toulouse_plausible(points_reels):
    assert 110 < distances_depuis("12202")["31555"] < 135


def test_commune_sans_point(points_reels):
    Commune.objects.filter(code_insee="12218").update(longitude=None, latitude=None)
    from noyau import cache_generations

    cache_generations.invalider("territoires")
    assert autour_de("12218", 10) is None
