"""API conventions shared by every app: pagination with explicit 400s for bad paging parameters, quotas, a JSON
parser and an exception handler whose messages are in French like every other API message."""
import json
import re

from django.conf import settings
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .adresses import adresse_client
from .quotas import QuotaPartage
from .types_requete import BOOLEEN, DATE, ENTIER, NOMBRE, NUMERO, TEXTE, erreurs_de_type

ENTIER_POSITIF = re.compile(r"[0-9]+")  # ASCII digits only: str.isdigit() also accepts "²" (then int() fails)
PROFONDEUR_MAX = 32  # levels of nested arrays and objects in a JSON body; the API's bodies need a few


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
            if not ENTIER_POSITIF.fullmatch(valeur) or int(valeur) < 1:
                erreurs[parametre] = [f"« {valeur} » n'est pas un entier positif."]
            elif maximum and int(valeur) > maximum:
                erreurs[parametre] = [f"{parametre} ne peut dépasser {maximum}."]
        if erreurs:
            raise ValidationError(erreurs)
        return super().paginate_queryset(queryset, request, view)


class QuotaAnonyme(QuotaPartage, AnonRateThrottle):
    """Anonymous quota, keyed on the client's address behind the trusted proxies (DRF's own reading of
    X-Forwarded-For, without NUM_PROXIES, takes the whole header: a new forged value, a new quota). Counted once for
    every process (noyau/quotas.py)."""

    def get_ident(self, request):
        return adresse_client(request)


class QuotaUtilisateur(QuotaPartage, UserRateThrottle):
    """Authenticated quota: partners (group "Partenaire API") get the higher "partenaire" rate. Counted once for
    every process (noyau/quotas.py)."""

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
    """DRF's JSON parse error is untranslated ("JSON parse error - …"): say where the body stops being JSON, in French.
    A body nested deeper than PROFONDEUR_MAX is refused (a thousand levels exhaust the parser's recursion). The
    charset was checked before any view (noyau.middleware.JeuDeCaracteres)."""

    def parse(self, stream, media_type=None, parser_context=None):
        encodage = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)  # as DRF's own parser
        try:
            donnees = json.loads(stream.read().decode(encodage), parse_constant=self._refuser_constante)
        except RecursionError:
            raise ParseError(MESSAGE_TROP_IMBRIQUE)
        except UnicodeDecodeError:
            raise ParseError(f"Le corps de la requête n'est pas un texte {encodage}.")
        except json.JSONDecodeError as erreur:
            raise ParseError(f"Le corps de la requête n'est pas du JSON valide (ligne {erreur.lineno}, "
                             f"colonne {erreur.colno}).")
        except ValueError as erreur:
            raise ParseError(f"Le corps de la requête n'est pas du JSON valide : {erreur}")

        if _profondeur_depasse(donnees, PROFONDEUR_MAX):
            raise ParseError(MESSAGE_TROP_IMBRIQUE)
        return donnees

    @staticmethod
    def _refuser_constante(nom):
        # NaN and Infinity are not JSON (RFC 8259); DRF's strict mode refuses them too.
        raise ValueError(f"« {nom} » n'est pas une valeur JSON.")


MESSAGE_TROP_IMBRIQUE = f"Le corps de la requête est trop imbriqué ({PROFONDEUR_MAX} niveaux au plus)."


def _profondeur_depasse(valeur, maximum: int) -> bool:
    """Whether arrays and objects nest deeper than `maximum` in `valeur` (iterative: no recursion to exhaust)."""
    a_voir = [(valeur, 1)]
    while a_voir:
        valeur, niveau = a_voir.pop()
        enfants = valeur.values() if isinstance(valeur, dict) else valeur if isinstance(valeur, list) else None
        if enfants is None:
            continue
        if niveau > maximum:
            return True
        a_voir.extend((enfant, niveau + 1) for enfant in enfants)
    return False


# --- Bodies' types -------------------------------------------------------------------------------------------------

class TypesStricts:
    """For serializers that write: every value of the body is of its field's kind (noyau/types_requete.py) before
    the fields read it, or the body is refused (400) with a French message per field."""

    def to_internal_value(self, data):
        if hasattr(data, "get"):
            attendus = {nom: genre for nom, champ in self.fields.items()
                        if not champ.read_only and (genre := genre_du_champ(champ))}
            erreurs = erreurs_de_type(data, attendus)
            if erreurs:
                raise ValidationError(erreurs)
        return super().to_internal_value(data)


def genre_du_champ(champ) -> str | None:
    """The kind of value a DRF field reads (see noyau/types_requete.py); None for a field checked otherwise."""
    if isinstance(champ, serializers.ManyRelatedField):
        genre = genre_du_champ(champ.child_relation)
        return genre and genre + "[]"
    if isinstance(champ, serializers.ListField):
        genre = genre_du_champ(champ.child)
        return genre and genre + "[]"
    if isinstance(champ, serializers.PrimaryKeyRelatedField):
        entiere = champ.queryset.model._meta.pk.get_internal_type() in {"AutoField", "BigAutoField", "IntegerField"}
        return NUMERO if entiere else TEXTE
    if isinstance(champ, serializers.SlugRelatedField):
        return TEXTE
    if isinstance(champ, serializers.BooleanField):
        return BOOLEEN
    if isinstance(champ, serializers.IntegerField):
        return ENTIER
    if isinstance(champ, (serializers.FloatField, serializers.DecimalField)):
        return NOMBRE
    if isinstance(champ, (serializers.DateField, serializers.DateTimeField, serializers.TimeField)):
        return DATE
    if isinstance(champ, serializers.MultipleChoiceField):
        return None
    if isinstance(champ, serializers.ChoiceField):
        return TEXTE if all(isinstance(cle, str) for cle in champ.choices) else None
    if isinstance(champ, serializers.CharField):
        return TEXTE
    return None


# --- Exceptions ---------------------------------------------------------------------------------------------------

MESSAGE_CSRF = ("Requête refusée : jeton CSRF absent ou invalide (cookie « csrftoken »). Rechargez la page, ou "
                "utilisez un jeton d'API (en-tête Authorization).")
MESSAGE_MULTIPART = ("Le corps multipart de la requête est invalide : l'en-tête Content-Type doit donner la limite "
                     "(boundary) qui sépare les parties du corps.")
INTROUVABLE_DE_DJANGO = re.compile(r"No \w+ matches the given query\.")


def gestionnaire_exceptions(exc, context):
    """DRF's handler, with the English texts that reach API clients put in French: Django's get_object_or_404()
    ("No Offre matches the given query."), the CSRF refusal of a session ("CSRF Failed: …"), a malformed multipart
    body ("Multipart form parse error - …"). Our own French messages pass unchanged."""
    if isinstance(exc, Http404) and INTROUVABLE_DE_DJANGO.fullmatch(str(exc)):
        exc = exceptions.NotFound(_introuvable(context.get("view")))
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        exc = exceptions.PermissionDenied(MESSAGE_CSRF)
    elif isinstance(exc, ParseError) and str(exc.detail).startswith("Multipart form parse error"):
        exc = ParseError(MESSAGE_MULTIPART)
    # Imported here: rest_framework.views reads DRF's settings when first imported, and they name this module (its
    # parser and pagination), which would then be half imported if it came first (as when DRF's own system check
    # reads the pagination setting before any view is imported).
    from rest_framework.views import exception_handler

    return exception_handler(exc, context)


def _introuvable(vue) -> str:
    try:
        nom = vue.get_queryset().model._meta.verbose_name
    except Exception:  # noqa: BLE001 - a view without a queryset: the generic message
        return "Aucune ressource ne correspond à cet identifiant."
    return f"Aucune ressource « {nom} » ne correspond à cet identifiant."
