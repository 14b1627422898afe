"""API conventions shared by every app: pagination with explicit 400s for bad paging parameters, quotas, and a JSON
parser whose error is in French like every other API message."""
import json

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .adresses import adresse_client


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        erreurs = {}
        for parametre, maximum in (("page", None), ("page_size", self.max_page_size)):
            valeur = request.query_params.get(parametre)
            if valeur is None:
                continue
            if not valeur.isdigit() or int(valeur) < 1:
                erreurs[parametre] = [f"« {valeur} » n'est pas un entier positif."]
            elif maximum and int(valeur) > maximum:
                erreurs[parametre] = [f"{parametre} ne peut dépasser {maximum}."]
        if erreurs:
            raise ValidationError(erreurs)
        return super().paginate_queryset(queryset, request, view)


class QuotaAnonyme(AnonRateThrottle):
    """Anonymous quota, keyed on the client's address behind the trusted proxies (DRF's own reading of
    X-Forwarded-For, without NUM_PROXIES, takes the whole header: a new forged value, a new quota)."""

    def get_ident(self, request):
        return adresse_client(request)


class QuotaUtilisateur(UserRateThrottle):
    """Authenticated quota: partners (group "Partenaire API") get the higher "partenaire" rate."""

    GROUPE_PARTENAIRE = "Partenaire API"

    def allow_request(self, request, view):
        utilisateur = request.user
        if not (utilisateur and utilisateur.is_authenticated):
            return True  # anonymous requests have their own quota (AnonRateThrottle)
        if utilisateur.groups.filter(name=self.GROUPE_PARTENAIRE).exists():
            self.scope = "partenaire"
        else:
            self.scope = "user"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class AnalyseurJson(JSONParser):
    """DRF's JSON parse error is untranslated ("JSON parse error - …"): say where the body stops being JSON, in French."""

    def parse(self, stream, media_type=None, parser_context=None):
        encodage = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)  # as DRF's own parser
        try:
            return json.loads(stream.read().decode(encodage), parse_constant=self._refuser_constante)
        except UnicodeDecodeError:
            raise ParseError(f"Le corps de la requête n'est pas un texte {encodage}.")
        except json.JSONDecodeError as erreur:
            raise ParseError(f"Le corps de la requête n'est pas du JSON valide (ligne {erreur.lineno}, "
                             f"colonne {erreur.colno}).")
        except ValueError as erreur:
            raise ParseError(f"Le corps de la requête n'est pas du JSON valide : {erreur}")

    @staticmethod
    def _refuser_constante(nom):
        # NaN and Infinity are not JSON (RFC 8259); DRF's strict mode refuses them too.
        raise ValueError(f"« {nom} » n'est pas une valeur JSON.")
