"""API quotas counted in the database (PAPS_QUOTAS = "base", the setting without Redis) or in Redis: every process
counts the same requests (for real, with two gunicorn workers: tests/resilience/test_multi_processus.py)."""
import time

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache, caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from noyau import quotas
from noyau.models import CompteurQuota
from tests.resilience.serveurs import RedisJetable

pytestmark = pytest.mark.django_db
URL = "/api/v1/communes/31555/"


@pytest.fixture
def en_base(settings, monkeypatch):
    settings.PAPS_QUOTAS = "base"
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "2/minute",
                                                               "partenaire": "4/minute"})


def test_le_quota_anonyme_est_compte_en_base(client, en_base):
    statuts = [client.get(URL).status_code for _ in range(3)]
    cache.clear()  # another process: its own local memory, the same database
    refus = client.get(URL)
    assert statuts + [refus.status_code] == [200, 200, 200, 429]
    assert 0 < int(refus["Retry-After"]) <= 60
    assert "Requête ralentie" in refus.json()["detail"]
    assert CompteurQuota.objects.get(cle="throttle_anon_127.0.0.1").compte == 4
    assert client.get(URL, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address, its own quota


def test_une_fenetre_terminee_repart_de_zero_et_les_anciennes_sont_effacees(client, en_base):
    for _ in range(4):
        client.get(URL)
    CompteurQuota.objects.create(cle="throttle_anon_192.0.2.1", compte=2, fin=time.time() - 3600)
    CompteurQuota.objects.filter(cle="throttle_anon_127.0.0.1").update(fin=time.time() - 1)  # the minute is over
    assert client.get(URL).status_code == 200
    assert CompteurQuota.objects.get(cle="throttle_anon_127.0.0.1").compte == 1
    assert not CompteurQuota.objects.filter(cle="throttle_anon_192.0.2.1").exists()


def test_les_quotas_des_comptes_aussi(en_base):
    def client_de(nom, partenaire=False):
        utilisateur = User.objects.create_user(nom)
        if partenaire:
            utilisateur.groups.add(Group.objects.get(name="Partenaire API"))
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=utilisateur).key}")
        return client

    for client, permis in [(client_de("compte-test"), 2), (client_de("partenaire-test", partenaire=True), 4)]:
        statuts = [client.get(URL).status_code for _ in range(permis + 1)]
        assert statuts == [200] * permis + [429]


def test_compter_un_seul_ordre_par_requete(django_assert_num_queries, db):
    with django_assert_num_queries(2):  # the count, and the clean-up of ended windows when a window opens
        assert quotas.compter("cle-de-test", 60)[0] == 1
    with django_assert_num_queries(1):
        compte, reste = quotas.compter("cle-de-test", 60)
    assert compte == 2 and 59 < reste <= 60


@pytest.fixture
def en_redis(monkeypatch, tmp_path):
    """The quotas counted in a redis-server of the test's own (the cache of production with REDIS_URL)."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "2/minute",
                                                               "partenaire": "4/minute"})
    with RedisJetable(tmp_path).comme_cache() as serveur:
        yield serveur


def test_le_quota_anonyme_est_compte_dans_redis_en_un_aller_retour(client, en_redis):
    statuts = [client.get(URL).status_code for _ in range(3)]
    refus = client.get(URL)
    assert statuts + [refus.status_code] == [200, 200, 200, 429]
    assert 0 < int(refus["Retry-After"]) <= 60
    assert "Requête ralentie" in refus.json()["detail"]
    redis = en_redis.client()
    cle = caches["default"].make_key("throttle_anon_127.0.0.1")
    assert int(redis.get(cle)) == 4  # one counter, not a pickled history
    assert 59_000 < redis.pttl(cle) <= 60_000  # it expires with its window
    assert client.get(URL, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address, its own quota
    redis.pexpire(cle, 1)  # the minute is over
    time.sleep(0.01)
    assert client.get(URL).status_code == 200
    assert int(redis.get(cle)) == 1


def test_un_compte_dans_redis_est_un_seul_aller_retour(en_redis):
    redis = caches["default"]
    client = redis._cache.get_client(write=True)
    envoyes = []
    original = client.connection_pool.get_connection

    def compter_les_connexions(*args, **kwargs):
        envoyes.append(args)
        return original(*args, **kwargs)
    client.connection_pool.get_connection = compter_les_connexions
    try:
        assert redis.compter("cle-de-test", 60) == 1
        assert redis.compter("cle-de-test", 60) == 2
    finally:
        client.connection_pool.get_connection = original
    assert len(envoyes) == 2  # one pipeline each: set if absent, increment
    assert 59 < redis.reste("cle-de-test") <= 60


def test_redis_arrete_les_requetes_passent(client, en_redis):
    assert client.get(URL).status_code == 200
    en_redis.arreter()
    assert [client.get(URL).status_code for _ in range(5)] == [200] * 5  # a quota that cannot be counted refuses nothing
