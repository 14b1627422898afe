"""The health check: 200 when the database answers, 503 otherwise. The state of the database, the cache and the broker
(engine, backends, error messages) is for the portal's staff only; an anonymous caller gets only ok or ko, and costs
only the database check."""
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .sante import etat_base, etat_broker, etat_cache


@require_GET
@never_cache
def healthz(request):
    base = etat_base()
    ok = base["etat"] == "ok"
    corps = {"statut": "ok" if ok else "erreur"}
    if _equipe(request):
        corps.update(base_de_donnees=base, cache=etat_cache(), broker=etat_broker())
    return JsonResponse(corps, status=200 if ok else 503)


def _equipe(request) -> bool:
    try:
        return request.user.is_staff
    except Exception:  # noqa: BLE001 - the database is down: the session cannot be read, the answer stays ok/ko
        return False
