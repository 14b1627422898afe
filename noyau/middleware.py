"""The kernel's middleware: requests refused before any view (a Content-Type whose charset is not a text encoding,
see also noyau/wsgi.py), and the cache generations read once per request."""
from . import cache_generations
from .erreurs import reponse_erreur

CLE_JEU_REFUSE = "noyau.jeu_de_caracteres_refuse"  # set by noyau.wsgi when Django could not even build the request


def textuel(jeu: str) -> bool:
    """Whether `jeu` names a text encoding. "rot13", "base64" or "zlib" are codecs Django accepts as a charset, then
    fails to decode the query string or the body with (a 500); an unknown name is silently ignored by Django."""
    try:
        b"a".decode(jeu)  # (not b"": Python decodes it without looking the codec up)
    except UnicodeDecodeError:
        return True  # a text encoding, for which one byte is not text (UTF-16…)
    except (LookupError, ValueError):
        return False  # an unknown name, or a codec that is not a text encoding
    return True


class JeuDeCaracteres:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        jeu = request.META.get(CLE_JEU_REFUSE) or request.content_params.get("charset")
        if jeu is not None and not textuel(jeu):
            request.encoding = None  # the error page reads the query string too
            return reponse_erreur(request, 400, f"Jeu de caractères « {jeu[:40]} » inconnu : la requête s'envoie en "
                                                "UTF-8.", "Requête invalide")
        return self.get_response(request)


class GenerationsDeLaRequete:
    """The cache generations are read once per request, at its first cached value (noyau/cache_generations.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with cache_generations.portee():
            return self.get_response(request)
