"""Whole pages kept in the shared cache, under the generations of the data they show (noyau/cache_generations.py).

For public pages whose HTML depends only on their address, the date and the data (no user, no form token): the
first request renders the page, the next ones, in every worker, get it from the cache until their data changes or
the day does. Compressed: a commune's page is about 100 KB of HTML, 15 KB once compressed, and decompressing it
costs a tenth of a millisecond.
"""
import zlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone

from .cache_generations import generations

DUREE = 3600  # seconds: pages are large; a page not asked for within an hour leaves the cache
PARAMETRES_AU_PLUS = 4  # beyond, an address is not worth keeping (nor is someone filling the cache)
STATUTS_GARDES = {200, 400}  # a page, or its French message for a bad parameter; never a redirection


def page_en_cache(request, prefixe: str, domaines: tuple[str, ...], vue, *args, **kwargs) -> HttpResponse:
    """The response of `vue(request, *args, **kwargs)`, kept for the anonymous visitors under `prefixe`, the
    address's parameters, today's date and the generations of `domaines`."""
    if request.user.is_authenticated or len(request.GET) > PARAMETRES_AU_PLUS:
        return vue(request, *args, **kwargs)
    parametres = urlencode(sorted((cle, valeur[:100]) for cle, valeur in request.GET.items()))
    cle = f"page:{prefixe}:{parametres}:{timezone.localdate().isoformat()}:{generations(*domaines)}"
    try:
        trouvee = cache.get(cle)
    except Exception:  # noqa: BLE001 - a cache that fails costs the rendering, nothing else
        trouvee = None
    if trouvee is not None:
        statut, type_de_contenu, compresse = trouvee
        return HttpResponse(zlib.decompress(compresse), status=statut, content_type=type_de_contenu)
    reponse = vue(request, *args, **kwargs)
    if reponse.status_code in STATUTS_GARDES and not reponse.streaming:
        try:
            cache.set(cle, (reponse.status_code, reponse["Content-Type"], zlib.compress(reponse.content, 1)), DUREE)
        except Exception:  # noqa: BLE001, S110 - not kept: the next request renders it again
            pass
    return reponse
