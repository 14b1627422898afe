"""Query counts of the endpoints served under load (bench/load/): what a request costs once the caches are warm, and
a bound on the first (cold) request. No timing here: timings live in bench/.

Every request that reads a cached value reads the cache generations once (one query, noyau/cache_generations.py):
that is the "+1" of the counts below."""
import datetime

import pytest
from django.utils import timezone

from aides.catalogue import charger_regles
from noyau import cache_generations
from portail.tableau_de_bord import indicateurs
from tests.factories import version
from zonages.consultation import zonage_de, zonages_de
from zonages.publication import publier

pytestmark = pytest.mark.django_db
AUJOURDHUI = timezone.localdate()
ELIGIBILITE = "/api/v1/eligibilite/?commune=34032&profession=medecin-generaliste&etape=installation&mode=liberal"


@pytest.fixture(autouse=True)
def donnees():
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032", "31555")))


def test_eligibilite(client, django_assert_num_queries, django_assert_max_num_queries):
    # Cold: commune, its zonages, its QPV, the rules, the contacts of its département (+1).
    with django_assert_max_num_queries(6):
        assert client.get(ELIGIBILITE).status_code == 200
    with django_assert_num_queries(1):  # warm: +1 only (the commune is kept in the process, aides/formulaires.py)
        reponse = client.get(ELIGIBILITE)
    assert reponse.status_code == 200 and len(reponse.json()["aides"]) > 10
    with django_assert_num_queries(1):  # another profession: the facts of the commune are cached too (+1)
        client.get(ELIGIBILITE.replace("medecin-generaliste", "infirmier"))


def test_eligibilite_sans_le_contour_de_la_commune(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6) as requetes:  # cold: the commune is read, without its outline
        client.get(ELIGIBILITE)
    assert any("zonages_commune" in requete["sql"] for requete in requetes.captured_queries)
    assert not any("contour" in requete["sql"] for requete in requetes.captured_queries)


def test_classement_json(client, django_assert_num_queries, django_assert_max_num_queries):
    url = f"/zonages/classement.json?type=medecin&date={AUJOURDHUI.isoformat()}"
    with django_assert_max_num_queries(3):  # version in force, its classification, +1
        assert client.get(url).status_code == 200
    with django_assert_num_queries(1):  # +1 only
        reponse = client.get(url)
    assert reponse.json()["niveaux"] == {"31555": "ZIP", "34032": "ZIP"}


def test_zonages_d_une_commune(django_assert_num_queries):
    """As in a request (cache_generations.portee()); outside one, each lookup reads the generations itself."""
    with django_assert_num_queries(2), cache_generations.portee():  # the zonages, +1
        zonages_de("34032", AUJOURDHUI)
    with django_assert_num_queries(1), cache_generations.portee():  # +1 only, for both lookups
        assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZIP"
        assert zonage_de("34032", "medecin", AUJOURDHUI).niveau == "ZIP"


def test_popup_de_la_carte(client, django_assert_num_queries):
    client.get("/zonages/communes/34032.json")
    with django_assert_num_queries(2):  # the commune; zonages and QPV cached (+1)
        assert client.get("/zonages/communes/34032.json").json()["nom"] == "Béziers"


def test_tableau_de_bord(client, django_assert_num_queries):
    indicateurs()
    with django_assert_num_queries(1):  # +1 only
        indicateurs()
    client.get("/tableau-de-bord/")
    with django_assert_num_queries(2):  # the page's list of départements; figures and rules cached (+1)
        assert client.get("/tableau-de-bord/").status_code == 200
