"""An answer already kept is served before DRF (noyau/api_en_cache.py), exactly as DRF serves it, counted once in
the anonymous quota; whatever DRF decides otherwise (a token, the browsable API, a POST, a point) still goes
through DRF. On the eligibility API, the real data of the region, a redis-server of the test's own."""
import gzip
import json
import time

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from tests.resilience.serveurs import RedisJetable

pytestmark = pytest.mark.django_db
URL = "/api/v1/eligibilite/?commune=34032&profession=medecin-generaliste&date=2026-03-01&etape=installation"


@pytest.fixture
def redis(monkeypatch, tmp_path):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "4/minute", "user": "50/minute",
                                                               "partenaire": "50/minute"})
    with RedisJetable(tmp_path).comme_cache() as serveur:
        yield serveur


@pytest.fixture
def par_drf(monkeypatch):
    """The requests that went through DRF's view (its dispatch), by path and method."""
    passees = []
    vraie = APIView.dispatch

    def comptee(self, request, *args, **kwargs):
        passees.append((request.method, request.path))
        return vraie(self, request, *args, **kwargs)
    monkeypatch.setattr(APIView, "dispatch", comptee)
    return passees


def _compte_anonyme(serveur) -> int:
    return int(serveur.client().get(caches["default"].make_key("throttle_anon_127.0.0.1")) or 0)


def test_une_reponse_gardee_est_servie_avant_drf_telle_que_drf_la_sert(client, region_reelle, redis, par_drf,
                                                                       django_assert_num_queries):
    premiere = client.get(URL)
    assert premiere.status_code == 200 and len(par_drf) == 1
    with django_assert_num_queries(1):  # the generations: the quota and the answer in one round trip to Redis
        seconde = client.get(URL)
    assert len(par_drf) == 1  # not through DRF
    assert seconde.status_code == 200 and seconde.content == premiere.content
    for entete in ("Content-Type", "Allow"):
        assert seconde[entete] == premiere[entete]
    assert sorted(seconde["Vary"].split(", ")) == sorted(premiere["Vary"].split(", "))
    assert {"Accept", "Accept-Encoding"} <= set(seconde["Vary"].split(", "))
    compressee = client.get(URL, headers={"Accept-Encoding": "gzip", "Accept": "application/json"})
    assert compressee["Content-Encoding"] == "gzip" and gzip.decompress(compressee.content) == premiere.content
    assert client.get(URL + "&format=json").content == premiere.content
    assert len(par_drf) == 1
    assert _compte_anonyme(redis) == 4


def test_chaque_requete_est_comptee_une_fois_et_le_refus_est_celui_de_drf(client, region_reelle, redis, par_drf):
    # Two built (counted before DRF, not again in DRF), two served before DRF: the quota of 4 is used up.
    statuts = [client.get(url).status_code for url in (URL, URL + "&secteur=1", URL, URL + "&secteur=1")]
    assert statuts == [200] * 4 and len(par_drf) == 2
    refus = client.get(URL)
    assert refus.status_code == 429 and len(par_drf) == 3  # DRF refuses it, in French, with Retry-After
    assert "Requête ralentie" in refus.json()["detail"] and 0 < int(refus["Retry-After"]) <= 60
    assert _compte_anonyme(redis) == 5
    assert client.get(URL, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address, its own quota


def test_ce_que_drf_decide_passe_par_drf(client, region_reelle, redis, par_drf):
    premiere = client.get(URL)
    assert premiere.status_code == 200
    assert len(par_drf) == 1
    navigable = client.get(URL, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert navigable.status_code == 200 and navigable["Content-Type"].startswith("text/html")
    assert client.get(URL + "&format=api")["Content-Type"].startswith("text/html")
    assert client.get(URL + "&lon=3.2150&lat=43.3442").status_code == 200  # a point: not kept
    assert len(par_drf) == 4
    assert _compte_anonyme(redis) == 4

    # A partner's token: DRF authenticates it and counts its own quota, not the anonymous one.
    utilisateur = User.objects.create_user("compte-de-test-api")
    jeton = Token.objects.create(user=utilisateur).key
    authentifiee = client.get(URL, headers={"Authorization": f"Token {jeton}"})
    assert authentifiee.status_code == 200 and authentifiee.content == premiere.content
    assert len(par_drf) == 5 and _compte_anonyme(redis) == 4
    faux = client.get(URL, headers={"Authorization": "Token faux"})
    assert faux.status_code == 401 and len(par_drf) == 6

    corps = {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01", "etape": "installation"}
    envoyee = client.post("/api/v1/eligibilite/", data=json.dumps(corps), content_type="application/json")
    assert envoyee.status_code == 429 and len(par_drf) == 7  # a POST goes through DRF, counted in the same quota
    assert _compte_anonyme(redis) == 5


def test_redis_arrete_la_reponse_est_construite(client, region_reelle, redis, par_drf):
    premiere = client.get(URL)
    redis.arreter()
    for _ in range(3):
        reponse = client.get(URL)
        assert reponse.status_code == 200 and reponse.content == premiere.content
    assert len(par_drf) == 4


def test_une_fenetre_terminee_repart_de_zero(client, region_reelle, redis):
    for _ in range(5):
        client.get(URL)
    cle = caches["default"].make_key("throttle_anon_127.0.0.1")
    redis.client().pexpire(cle, 1)
    time.sleep(0.01)
    assert client.get(URL).status_code == 200 and _compte_anonyme(redis) == 1
