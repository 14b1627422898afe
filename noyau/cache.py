"""A Redis cache that degrades to a miss when Redis is unreachable.

The cache only ever holds values that can be recomputed, so an outage must slow the portal down, not break it:
reads answer "absent" (or the default), writes are dropped, and the failure is logged.

After a failure, Redis is left alone for a short pause (OPTIONS "pause_apres_echec", 5 seconds by default): a Redis
that hangs instead of refusing connections would otherwise cost its timeout on every operation of every request,
and the log would get one line per operation. The first operation after the pause tries Redis again, so the cache
comes back by itself once Redis does.
"""
import functools
import logging
import threading
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

journal = logging.getLogger(__name__)

# Value returned by each operation when Redis fails: what a cache without the key would answer.
_REPLIS = {
    "add": False, "get": None, "set": None, "touch": False, "delete": False, "get_many": {}, "has_key": False,
    "set_many": [], "delete_many": None, "clear": None, "compter": 0, "reste": 0.0, "compter_et_lire": (0, None),
}
PAUSE_APRES_ECHEC = 5.0

# Until when (time.monotonic()) each Redis location is left alone; shared by the threads' cache instances.
_en_panne_jusqu_a: dict[str, float] = {}
_verrou = threading.Lock()


def _tolerant(nom, repli):
    def decorateur(methode):
        @functools.wraps(methode)
        def enveloppe(self, *args, **kwargs):
            if time.monotonic() < _en_panne_jusqu_a.get(self._emplacement, 0.0):
                return _repli(nom, repli, args, kwargs)
            try:
                return methode(self, *args, **kwargs)
            except (RedisError, OSError) as erreur:
                with _verrou:
                    _en_panne_jusqu_a[self._emplacement] = time.monotonic() + self.pause_apres_echec
                journal.warning("Cache Redis indisponible (%s) : %s ; cache ignoré pendant %g s", nom, erreur,
                                self.pause_apres_echec)
                return _repli(nom, repli, args, kwargs)
        return enveloppe
    return decorateur


def _repli(nom, repli, args, kwargs):
    if nom == "get":
        return kwargs.get("default", args[1] if len(args) > 1 else None)
    return repli.copy() if isinstance(repli, (dict, list)) else repli  # callers may fill the dict they get


class _ClientReutilise(RedisCacheClient):
    """Django builds a new redis.Redis object for every operation, and redis-py fills some 170 response callbacks
    in each one's constructor: a third of a millisecond per operation, more than the round trip to a local Redis.
    One client per connection pool is enough (a redis.Redis is thread-safe: each command takes a connection from
    the pool)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class CacheRedisTolerante(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.pause_apres_echec = float(options.pop("pause_apres_echec", PAUSE_APRES_ECHEC))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ClientReutilise
        self._emplacement = ",".join(self._servers)

    def compter(self, cle: str, duree: float) -> int:
        """One more request for `cle` in its window (noyau/quotas.py), in one round trip: the window's counter
        created with its expiry if absent, then incremented. The requests in the window, this one included; 0 when
        Redis fails: the request passes."""
        cle = self.make_and_validate_key(cle)
        with self._cache.get_client(write=True).pipeline(transaction=False) as lot:
            return lot.set(cle, 0, px=max(int(duree * 1000), 1), nx=True).incr(cle).execute()[1]

    def compter_et_lire(self, compteur: str, duree: float, cle: str):
        """compter(compteur, duree) and get(cle) in the same round trip (noyau/api_en_cache.py): (the requests in the
        window, the value or None). (0, None) when Redis fails: the request passes, the value is built again."""
        compteur, cle = self.make_and_validate_key(compteur), self.make_and_validate_key(cle)
        with self._cache.get_client(write=True).pipeline(transaction=False) as lot:
            _, compte, valeur = lot.set(compteur, 0, px=max(int(duree * 1000), 1), nx=True).incr(compteur).get(
                cle).execute()
        return compte, None if valeur is None else self._cache._serializer.loads(valeur)

    def reste(self, cle: str) -> float:
        """Seconds until the window of `cle` ends (asked only of a refused request)."""
        return max(self._cache.get_client().pttl(self.make_and_validate_key(cle)), 0) / 1000


for _nom, _repli_par_defaut in _REPLIS.items():
    setattr(CacheRedisTolerante, _nom, _tolerant(_nom, _repli_par_defaut)(getattr(CacheRedisTolerante, _nom)))
