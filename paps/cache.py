"""A Redis cache that degrades to a miss when Redis is unreachable.

The cache only ever holds values that can be recomputed, so an outage must slow the portal down, not break it:
reads answer "absent" (or the default), writes are dropped, and each failure is logged.
"""
import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

journal = logging.getLogger(__name__)

# Value returned by each operation when Redis fails: what a cache without the key would answer.
_REPLIS = {
    "add": False, "get": None, "set": None, "touch": False, "delete": False, "get_many": {}, "has_key": False,
    "set_many": [], "delete_many": None, "clear": None,
}


def _tolerant(nom, repli):
    def decorateur(methode):
        @functools.wraps(methode)
        def enveloppe(self, *args, **kwargs):
            try:
                return methode(self, *args, **kwargs)
            except (RedisError, OSError) as erreur:
                journal.warning("Cache Redis indisponible (%s) : %s", nom, erreur)
                if nom == "get":
                    return kwargs.get("default", args[1] if len(args) > 1 else None)
                return repli
        return enveloppe
    return decorateur


class CacheRedisTolerante(RedisCache):
    pass


for _nom, _repli in _REPLIS.items():
    setattr(CacheRedisTolerante, _nom, _tolerant(_nom, _repli)(getattr(RedisCache, _nom)))
