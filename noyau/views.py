"""The health check: the state of the database, the cache and the broker."""
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .sante import etat_base, etat_broker, etat_cache


@require_GET
@never_cache
def healthz(request):
    etats = {"base_de_donnees": etat_base(), "cache": etat_cache(), "broker": etat_broker()}
    ok = etats["base_de_donnees"]["etat"] == "ok"
    return JsonResponse({"statut": "ok" if ok else "erreur", **etats}, status=200 if ok else 503)
