"""The WSGI application's outer layer (paps/wsgi.py): a charset Django cannot decode with is set aside before Django
builds the request; the process is made ready before its first request.

Django builds the request from a Content-Type's charset at once, and decodes the query string with it: "rot13" or
"base64" (codecs, but not text encodings) fail there, before any middleware, with a bare 500. The charset is removed
from the environment and recorded; noyau.middleware.JeuDeCaracteres then answers the French 400.
"""
import gc

from django.urls import get_resolver
from django.utils.http import parse_header_parameters

from .middleware import CLE_JEU_REFUSE, textuel


def filtrer_jeu_de_caracteres(application):
    def filtre(environ, start_response):
        type_, parametres = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
        jeu = parametres.get("charset")
        if jeu is not None and not textuel(jeu):
            environ[CLE_JEU_REFUSE] = jeu
            environ["CONTENT_TYPE"] = type_
        return application(environ, start_response)
    return filtre


def preparer_le_processus():
    """Before the first request: every view imported (the URL patterns, which Django reads at the first request
    otherwise: an import error then stops the worker at its start), then what is loaded so far (Django, the apps,
    their modules: some 150,000 objects, kept as long as the process) set out of the garbage collector's sight.
    A full collection walks every object it sees: measured in bench/region.py's process, 160 to 180 ms once every
    four to eight cold answers, 40 ms with what was loaded before them frozen (bench/README.md)."""
    get_resolver().url_patterns  # noqa: B018 - read for its imports
    gc.collect()  # what setting up left over, freed before the rest is frozen
    gc.freeze()
