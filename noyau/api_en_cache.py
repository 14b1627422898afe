"""API answers already in the cache, served before Django REST framework's machinery.

The most frequent API request is an anonymous GET for JSON whose answer is kept (noyau/cache_pages.reponse_en_cache).
Through DRF it costs a request object, content negotiation, two authenticators, the throttle classes and one Redis
round trip for the quota, then another for the answer: more than the answer itself once kept (bench/README.md).
Here, such a request costs its key (the data generations: one query) and one Redis round trip that counts it in the
anonymous quota and reads the answer.

Only when DRF would do the same: a GET, with no token and no session (DRF would find nobody), asking for JSON (not
the browsable API), with Redis as the cache (the quota is counted there). Everything else goes through DRF as before:
another request, an answer not kept yet, a quota exceeded (DRF refuses it with its French message and Retry-After).
The request is then already counted: noyau/quotas.py reads `request.quotas_comptes` and does not count it again.
"""
import functools
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import caches
from django.utils.cache import patch_vary_headers
from rest_framework.settings import api_settings

from .api import QuotaAnonyme, QuotaUtilisateur
from .cache import CacheRedisTolerante
from .cache_pages import cle_de_reponse, reponse_gardee

# Media ranges for which DRF picks its JSON renderer before the browsable API (listed second in the settings).
TYPES_JSON = {"*/*", "application/*", "application/json"}
# What the key of an answer is made of (cle_de_reponse): prefix, parameters, data domains; None: not kept.
Cle = tuple[str, Iterable[tuple[str, str]], tuple[str, ...]] | None


def reponses_pretes(cle: Callable[[object], Cle]):
    """Decorates a DRF function view (@api_view) whose JSON answers to GET are kept with reponse_en_cache under
    `cle(parametres)` (the same function on both paths: a fact declared once)."""
    def decorateur(vue):
        allow = ", ".join(vue.cls(**vue.initkwargs).allowed_methods)  # the header DRF adds

        @functools.wraps(vue)  # with DRF's attributes (cls, initkwargs, csrf_exempt): the schema still sees the view
        def vue_avec_reponses_pretes(request, *args, **kwargs):
            reponse = _reponse_prete(request, vue.cls.throttle_classes, cle)
            if reponse is None:
                return vue(request, *args, **kwargs)
            reponse["Allow"] = allow
            patch_vary_headers(reponse, ("Accept",))
            return reponse
        return vue_avec_reponses_pretes
    return decorateur


def _reponse_prete(request, classes_de_quota, cle):
    redis = caches["default"]
    if not isinstance(redis, CacheRedisTolerante) or not _anonyme_en_json(request):
        return None
    quotas = [classe() for classe in classes_de_quota]
    if not all(isinstance(quota, (QuotaAnonyme, QuotaUtilisateur)) for quota in quotas):
        return None  # a quota this module does not know how to count: DRF's own way
    demande = cle(request.GET)
    if demande is None:
        return None
    cle_reponse = cle_de_reponse(*demande)
    # QuotaUtilisateur lets anonymous requests pass without counting them; QuotaAnonyme counts them.
    anonyme = next((quota for quota in quotas if isinstance(quota, QuotaAnonyme) and quota.rate is not None), None)
    if anonyme is None:
        trouvee = redis.get(cle_reponse)
    else:
        cle_quota = anonyme.get_cache_key(request, None)
        compte, trouvee = redis.compter_et_lire(cle_quota, anonyme.duration, cle_reponse)
        request.quotas_comptes = {cle_quota: compte}
        if compte > anonyme.num_requests:
            return None
    return None if trouvee is None else reponse_gardee(request, *trouvee)


def _anonyme_en_json(request) -> bool:
    """Whether DRF would authenticate nobody and render JSON (a token or a session cookie: DRF decides)."""
    if (request.method != "GET" or "HTTP_AUTHORIZATION" in request.META
            or settings.SESSION_COOKIE_NAME in request.COOKIES):
        return False
    format_demande = request.GET.get(api_settings.URL_FORMAT_OVERRIDE)
    if format_demande is not None:
        return format_demande == "json"
    accepte = request.META.get("HTTP_ACCEPT")
    return accepte is None or all(
        partie.partition(";")[0].strip().lower() in TYPES_JSON for partie in accepte.split(","))
