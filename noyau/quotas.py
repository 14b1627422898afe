"""API quotas counted once for every process.

With Redis (REDIS_URL), Django REST framework's throttles keep their history in the shared cache, as they always did.
Without Redis, the cache is each process's own memory: with several gunicorn workers each would count apart (and
accept workers × the quota). The requests are then counted in the database (table noyau_compteurquota), by one
atomic statement per request: a window opens at a client's first request and lasts the rate's duration (a minute
for "120/minute"); within it, the first N requests pass.

settings.PAPS_QUOTAS says where: "cache" (with Redis) or "base" (without).
"""
import time

from django.conf import settings
from django.db import connection

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


class QuotaPartage:
    """For DRF's SimpleRateThrottle subclasses: counted in the database when PAPS_QUOTAS is "base"."""

    def allow_request(self, request, view):
        if not en_base():
            return super().allow_request(request, view)
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        compte, self.attente = compter(self.key, self.duration)
        return compte <= self.num_requests

    def wait(self):
        return self.attente if en_base() else super().wait()
