"""GET /api/v1/eligibilite/communes/: every commune of the region for one profile (the parameters of
/api/v1/eligibilite/ without the commune), paginated JSON or CSV (format=csv)."""
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes, renderer_classes, schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer

from aides.api import SchemaDansLOrdreDuFormulaire, _description, _genre, _schema
from noyau import types_requete
from noyau.api import Pagination
from noyau.cache_generations import MemoireLocale
from territoires.regions_servies import cle_des_regions_servies

from . import classement
from .formulaires import ProfilForm

CHAMPS = list(ProfilForm.base_fields)
GENRES = {nom: _genre(nom, champ) for nom, champ in ProfilForm.base_fields.items()}


class PaginationCommunes(Pagination):
    """100 communes a page; up to 5,000, the whole region in one request."""

    page_size = 100
    max_page_size = 5000


class RenduCsv(BaseRenderer):
    """Lets `format=csv` through content negotiation; the view writes the CSV itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def lire_profil(donnees) -> ProfilForm:
    """The profile's form, valid, from query parameters; a 400 naming each wrong field otherwise (a value not of
    its field's kind first: noyau/types_requete.py)."""
    erreurs = types_requete.erreurs_de_type(donnees, GENRES)
    if erreurs:
        raise ValidationError(erreurs)
    formulaire = ProfilForm(data={cle: donnees.get(cle) for cle in CHAMPS if donnees.get(cle) not in (None, "")})
    if not formulaire.is_valid():
        raise ValidationError({champ: [str(m) for m in messages] for champ, messages in formulaire.errors.items()})
    return formulaire


def recherche_du_profil(formulaire: ProfilForm) -> classement.Recherche:
    donnees = formulaire.cleaned_data
    return classement.rechercher(donnees["profession"], formulaire.jour, formulaire.situation,
                                 departement=donnees.get("departement"), autour=donnees.get("autour"),
                                 rayon_km=formulaire.rayon, tri=donnees.get("tri") or "")


@extend_schema(
    methods=["GET"], summary="Éligibilité aux aides dans chaque commune",
    description="Pour une profession, une date (aujourd'hui par défaut) et une situation (les paramètres de "
    "`/api/v1/eligibilite/` sans la commune), chaque commune de la région (ou d'un `departement`, ou à moins de "
    "`rayon_km` de la commune `autour`) : ses zonages qui comptent pour la profession, le nombre d'aides "
    "certaines (`certaines` : éligibles, et chaque groupe d'aides au choix), à vérifier (`a_verifier`), les "
    "contraintes d'installation, et les montants `total_certain` et `total_possible` par unité (versement unique, "
    "par mois, par an… jamais additionnés entre eux ; des aides non cumulables comptées une fois). Une commune dont "
    "un fait est inconnu a ses aides « à vérifier », jamais « aucune ». Tri par défaut : le plus d'aides certaines "
    "d'abord. Paginé (`page`, `page_size` jusqu'à 5 000 : toute la région en une requête) ; `format=csv` donne "
    "toutes les communes en CSV.",
    parameters=[*(OpenApiParameter(nom, _schema(champ), required=champ.required, description=_description(nom, champ))
                  for nom, champ in ProfilForm.base_fields.items()),
                OpenApiParameter("page", int, description="Page (1 par défaut)."),
                OpenApiParameter("page_size", int, description="Communes par page (100 par défaut, 5 000 au plus)."),
                OpenApiParameter("format", str, enum=["json", "csv"], description="csv : toutes les communes.")],
    responses={200: OpenApiResponse(description="Communes paginées (JSON) ou CSV."),
               400: OpenApiResponse(description="Paramètre invalide : le corps nomme le champ.")},
)
@api_view(["GET"])
@permission_classes([AllowAny])
@renderer_classes([JSONRenderer, RenduCsv])
@schema(SchemaDansLOrdreDuFormulaire())
def eligibilite_communes(request):
    try:
        formulaire = lire_profil(request.query_params)
    except ValidationError:
        # The error in JSON, as documented, even when the CSV was asked.
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        raise
    if request.accepted_renderer.format == "csv":
        recherche = recherche_du_profil(formulaire)
        reponse = HttpResponse(classement.en_csv(recherche), content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = f'attachment; filename="{classement.nom_fichier_csv(recherche)}"'
        return reponse
    # The address (its host and parameters: the pages' links are absolute), the day (the default date) and the
    # served regions.
    cle = f"orientation:json:{request.build_absolute_uri()}:{timezone.localdate().isoformat()}:{cle_des_regions_servies()}"
    corps = _reponses.obtenir(cle, DOMAINES_DES_REPONSES, lambda: _en_json(request, recherche_du_profil(formulaire)))
    return HttpResponse(corps, content_type="application/json")


# The same request again gets the same bytes, until the data change (a whole region is about 1 MB of JSON).
_reponses = MemoireLocale(16)
DOMAINES_DES_REPONSES = ("territoires", "zonages", "qpv", "aides")


def _en_json(request, recherche: classement.Recherche) -> bytes:
    pagination = PaginationCommunes()
    page = pagination.paginate_queryset(recherche.lieux, request)
    entete = {**classement.entete_en_dict(recherche), "count": len(recherche.lieux),
              "next": pagination.get_next_link(), "previous": pagination.get_previous_link()}
    # Written from pieces (classement.py): the whole region is 4,446 communes.
    return (classement.en_json(entete)[:-1] + ',"results":' + classement.lignes_en_json(recherche, page)
            + "}").encode()
