"""API quotas counted once for every process.

Both ways count the same: a window opens at a client's first request and lasts the rate's duration (a minute for
"120/minute"); within it, the first N requests pass.
- With Redis (REDIS_URL), in Redis: one counter per client and window, created with its expiry and incremented in
  one round trip. (Django REST framework's own throttles keep each client's whole history in the cache: read,
  unpickled, pickled and written back at every request, two round trips, and two workers can overwrite each other's
  count.) Should Redis fail, the request passes, as a cache that fails must not refuse the service.
- Without Redis, the cache is each process's own memory: with several gunicorn workers each would count apart (and
  accept workers × the quota). The requests are then counted in the database (table noyau_compteurquota), by one
  atomic statement per request.

settings.PAPS_QUOTAS says where: "cache" (with Redis) or "base" (without).
"""
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection

from .cache import CacheRedisTolerante
from .models import CompteurQuota

_TABLE = CompteurQuota._meta.db_table
# PostgreSQL and SQLite (3.35 or later) alike. The right-hand sides all read the row as it was before the update.
COMPTER = f"""
INSERT INTO {_TABLE} (cle, compte, fin) VALUES (%s, 1, %s)
ON CONFLICT (cle) DO UPDATE SET
  compte = CASE WHEN {_TABLE}.fin <= %s THEN 1 ELSE {_TABLE}.compte + 1 END,
  fin = CASE WHEN {_TABLE}.fin <= %s THEN excluded.fin ELSE {_TABLE}.fin END
RETURNING compte, fin
"""


def en_base() -> bool:
    return settings.PAPS_QUOTAS == "base"


def compter(cle: str, duree: float) -> tuple[int, float]:
    """Counts one request for `cle`: (requests in the current window, this one included; seconds until it ends)."""
    maintenant = time.time()
    with connection.cursor() as curseur:
        curseur.execute(COMPTER, [cle, maintenant + duree, maintenant, maintenant])
        compte, fin = curseur.fetchone()
    if compte == 1:  # a window opens: the windows that ended are of no use any more
        CompteurQuota.objects.filter(fin__lt=maintenant).delete()
    return compte, fin - maintenant


def _redis():
    """The shared cache when it is Redis (it counts the requests itself: noyau/cache.py), else None."""
    defaut = caches["default"]
    return defaut if isinstance(defaut, CacheRedisTolerante) else None


class QuotaPartage:
    """For DRF's SimpleRateThrottle subclasses: counted in Redis when the cache is Redis, in the database when
    PAPS_QUOTAS is "base" (DRF's own history otherwise: a cache in this process's memory, tests)."""

    def allow_request(self, request, view):
        base = en_base()
        redis = None if base else _redis()
        if not base and redis is None:
            self.attente = None
            return super().allow_request(request, view)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        if redis is None:
            compte, self.attente = compter(self.key, self.duration)
            return compte <= self.num_requests
        # Counted already when the request looked for its answer before DRF (noyau/api_en_cache.py): once only.
        compte = getattr(request, "quotas_comptes", {}).pop(self.key, None)
        if compte is None:
            compte = redis.compter(self.key, self.duration)
        self.attente = redis.reste(self.key) if compte > self.num_requests else 0.0
        return compte <= self.num_requests

    def wait(self):
        return super().wait() if self.attente is None else self.attente
