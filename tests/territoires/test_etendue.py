"""The served regions' extent (territoires/etendue.py), the initial view of every map: computed from the outlines of
the served départements, else from their communes' points, and cached under the territories' generation. The
territories added are test-only (tests.factories.territoires_de_deux_regions); the pages: tests/portail."""
import pytest
from django.test import override_settings

from territoires.etendue import FRANCE_METROPOLITAINE, boite, etendue_servie
from territoires.models import Departement, Region
from tests.factories import CARRE_76, CARRE_84, CommuneFactory, DepartementFactory, carre, territoires_de_deux_regions


def test_boite_de_chaque_forme_geojson():
    assert boite(CARRE_84) == [[45.7, 4.8], [45.9, 5.0]]
    multi = {"type": "MultiPolygon", "coordinates": [CARRE_84["coordinates"], CARRE_76["coordinates"]]}
    assert boite(multi) == [[43.58, 1.40], [45.9, 5.0]]
    collection = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": CARRE_76},
                                                            {"type": "Feature", "geometry": None}]}
    assert boite(collection) == [[43.58, 1.40], [43.62, 1.46]]
    assert boite(None) is None and boite({"type": "Polygon", "coordinates": []}) is None


@pytest.fixture
def territoires_de_test(db):
    territoires_de_deux_regions()


@pytest.mark.django_db
def test_sans_contour_ni_point_la_france_metropolitaine():
    """The session's Occitanie has neither outlines nor points: nothing to compute from."""
    assert etendue_servie() == FRANCE_METROPOLITAINE


def test_etendue_des_regions_servies(territoires_de_test):
    occitanie = [[43.1, 1.43], [43.6, 2.2]]  # the points of the test communes: their département has no outline
    assert etendue_servie() == occitanie
    with override_settings(PAPS_REGIONS="84"):
        assert etendue_servie() == [[45.7, 4.8], [45.9, 5.0]]  # the département's outline, not its commune's point
    with override_settings(PAPS_REGIONS="76,84"):
        assert etendue_servie() == [[43.1, 1.43], [45.9, 5.0]]
    with override_settings(PAPS_REGIONS="toutes"):
        assert etendue_servie() == [[43.1, 1.43], [45.9, 5.0]]
    assert etendue_servie() == occitanie  # the served regions are in the cache key


def test_etendue_suit_les_contours(territoires_de_test, django_assert_num_queries):
    with override_settings(PAPS_REGIONS="84"):
        etendue_servie()
        with django_assert_num_queries(1):  # cached: the generations only (outside a request, read each time)
            assert etendue_servie() == [[45.7, 4.8], [45.9, 5.0]]
        departement = Departement.objects.get(code="00")
        departement.contour = carre(4.5, 45.0, 5.0, 45.9)
        departement.save()  # a signal replaces the territories' generation
        assert etendue_servie() == [[45.0, 4.5], [45.9, 5.0]]
        departement.contour = None
        departement.save()
        assert etendue_servie() == [[45.8, 4.9], [45.8, 4.9]]  # back to its commune's point


def test_l_outre_mer_ne_fait_pas_le_tour_du_globe(territoires_de_test):
    """Served with metropolitan France, an overseas territory does not widen the initial view to the globe; served
    alone, it is framed. (Test-only département and commune in the real region 01, Guadeloupe.)"""
    guadeloupe = Region.objects.get_or_create(code="01", defaults={"nom": "Guadeloupe"})[0]
    fictif = DepartementFactory(code="971", nom="Département fictif de test (01)", region=guadeloupe)
    CommuneFactory(code_insee="97999", nom="Commune fictive de test (01)", departement=fictif,
                   latitude=16.2, longitude=-61.5)
    with override_settings(PAPS_REGIONS="toutes"):
        assert etendue_servie() == [[43.1, 1.43], [45.9, 5.0]]
    with override_settings(PAPS_REGIONS="01"):
        assert etendue_servie() == [[16.2, -61.5], [16.2, -61.5]]
