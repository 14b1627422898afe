"""The WSGI application's outer layer (paps/wsgi.py): a charset Django cannot decode with is set aside before Django
builds the request.

Django builds the request from a Content-Type's charset at once, and decodes the query string with it: "rot13" or
"base64" (codecs, but not text encodings) fail there, before any middleware, with a bare 500. The charset is removed
from the environment and recorded; noyau.middleware.JeuDeCaracteres then answers the French 400.
"""
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
