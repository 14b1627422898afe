"""Whole responses kept in the shared cache, under the generations of the data they show (noyau/cache_generations.py).

For public pages whose HTML depends only on their address, the date and the data (no user, no form token), and for
API answers that depend only on their parameters: the first request builds the response, the next ones, in every
worker, get it from the cache until their data changes or the day does.

Kept gzip-compressed (a commune's page is about 100 KB of HTML, an eligibility answer 40 to 110 KB of JSON: 8 to
20 KB once compressed), and sent as such to a client that accepts gzip (browsers and HTTP libraries do): nothing to
decompress, a fifth of the bytes to send to a phone. The others get it decompressed (a tenth of a millisecond).
"""
import gzip
import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from .cache_generations import generations

DUREE = 3600  # seconds: responses are large; one not asked for within an hour leaves the cache
PARAMETRES_AU_PLUS = 4  # of a page: beyond, an address is not worth keeping (nor is someone filling the cache)
STATUTS_GARDES = {200, 400}  # a page, or its French message for a bad parameter; never a redirection


def page_en_cache(request, prefixe: str, domaines: tuple[str, ...], vue, *args, **kwargs) -> HttpResponse:
    """The response of `vue(request, *args, **kwargs)`, kept for the anonymous visitors under `prefixe`, the
    address's parameters, today's date and the generations of `domaines`."""
    if request.user.is_authenticated or len(request.GET) > PARAMETRES_AU_PLUS:
        return vue(request, *args, **kwargs)
    return reponse_en_cache(request, prefixe, request.GET.items(), domaines, lambda: vue(request, *args, **kwargs))


def reponse_en_cache(request, prefixe: str, parametres: Iterable[tuple[str, str]], domaines: tuple[str, ...],
                     construire: Callable[[], HttpResponse]) -> HttpResponse:
    """The response of `construire()`, kept under `prefixe`, `parametres` (what the response depends on besides the
    data and the day), today's date and the generations of `domaines`; gzip-compressed to a client that accepts it."""
    cle = cle_de_reponse(prefixe, parametres, domaines)
    try:
        trouvee = cache.get(cle)
    except Exception:  # noqa: BLE001 - a cache that fails costs the rendering, nothing else
        trouvee = None
    if trouvee is not None:
        statut, type_de_contenu, compresse = trouvee
        return reponse_gardee(request, statut, type_de_contenu, compresse)
    reponse = construire()
    if reponse.status_code in STATUTS_GARDES and not reponse.streaming and not reponse.has_header("Content-Encoding"):
        try:
            cache.set(cle, (reponse.status_code, reponse["Content-Type"],
                            gzip.compress(reponse.content, compresslevel=1, mtime=0)), DUREE)
        except Exception:  # noqa: BLE001, S110 - not kept: the next request builds it again
            pass
        patch_vary_headers(reponse, ("Accept-Encoding",))  # the same address is also sent compressed
    return reponse


def cle_de_reponse(prefixe: str, parametres: Iterable[tuple[str, str]], domaines: tuple[str, ...]) -> str:
    """Where a response is kept: its prefix, a digest of its parameters (in any order), today, the generations."""
    valeurs = hashlib.blake2b(urlencode(sorted(parametres)).encode(), digest_size=16).hexdigest()
    return f"reponse:{prefixe}:{valeurs}:{timezone.localdate().isoformat()}:{generations(*domaines)}"


def accepte_gzip(request) -> bool:
    """Whether the client said it accepts gzip (a q=0 refuses it)."""
    for codage in request.headers.get("Accept-Encoding", "").split(","):
        nom, _, parametres = codage.strip().partition(";")
        if nom.strip().lower() in {"gzip", "*"}:
            return parametres.replace(" ", "").lower() not in {"q=0", "q=0.0", "q=0.00", "q=0.000"}
    return False


def reponse_gardee(request, statut: int, type_de_contenu: str, compresse: bytes) -> HttpResponse:
    """A kept response as sent: compressed to a client that accepts gzip, decompressed to the others."""
    if accepte_gzip(request):
        reponse = HttpResponse(compresse, status=statut, content_type=type_de_contenu)
        reponse["Content-Encoding"] = "gzip"
    else:
        reponse = HttpResponse(gzip.decompress(compresse), status=statut, content_type=type_de_contenu)
    patch_vary_headers(reponse, ("Accept-Encoding",))
    return reponse
