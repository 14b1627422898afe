"""State of the services the portal depends on, for /healthz. Each check is bounded in time and never raises."""
from django.conf import settings
from django.core.cache import cache
from django.db import connection


def etat_base() -> dict:
    try:
        with connection.cursor() as curseur:
            curseur.execute("SELECT 1")
            curseur.fetchone()
        return {"etat": "ok", "moteur": connection.vendor}
    except Exception as exc:  # any driver error means "down"; the message helps the operator
        return {"etat": "erreur", "moteur": connection.vendor, "message": str(exc)[:200]}


def etat_cache() -> dict:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 2)[-2]
    try:
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") != "ok":
            return {"etat": "erreur", "backend": backend, "message": "valeur relue différente"}
        return {"etat": "ok", "backend": backend}
    except Exception as exc:
        return {"etat": "erreur", "backend": backend, "message": str(exc)[:200]}


def etat_broker() -> dict:
    if not settings.REDIS_URL:
        return {"etat": "ok", "mode": "eager", "message": "pas de broker : les tâches s'exécutent immédiatement"}
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
        return {"etat": "ok", "mode": "redis"}
    except Exception as exc:
        return {"etat": "erreur", "mode": "redis", "message": str(exc)[:200]}
