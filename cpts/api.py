from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from .consultation import cpts_detaillee, cpts_publiques
from .filtres import CptsFilter
from .serializers import CptsDetailSerializer, CptsSerializer

ERREUR_400 = OpenApiResponse(
    description="Paramètre invalide : le corps nomme le paramètre fautif.",
    examples=[OpenApiExample("Stade inconnu", value={"stade": ["Sélectionnez un choix valide. x n'en fait pas "
                                                               "partie."]})],
)
ERREUR_404 = OpenApiResponse(
    description="CPTS inconnue.", examples=[OpenApiExample("Inconnue", value={"detail": "Aucune CPTS n'a le numéro 999."})],
)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les CPTS",
        description="Liste paginée des communautés professionnelles territoriales de santé, par nom. Filtres (les "
        "mêmes que la page « CPTS » du portail) : `stade`, `departement`, `q` (partie du nom). Un paramètre invalide "
        "renvoie 400 en le nommant.",
        parameters=[OpenApiParameter("page_size", OpenApiTypes.INT, description="Taille de page (1 à 100, défaut 20).")],
        responses={200: CptsSerializer(many=True), 400: ERREUR_400},
    ),
    retrieve=extend_schema(
        summary="Fiche d'une CPTS",
        description="Une CPTS par son numéro (`id`), avec ses communes rattachées à ce jour, ses missions et sa "
        "tranche de financement ACI.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Numéro de la CPTS dans le portail (champ `id`).")],
        responses={200: CptsDetailSerializer, 404: ERREUR_404},
    ),
)
class CptsViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = CptsFilter

    def get_queryset(self):
        return cpts_detaillee() if self.action == "retrieve" else cpts_publiques()

    def get_serializer_class(self):
        return CptsDetailSerializer if self.action == "retrieve" else CptsSerializer

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(f"Aucune CPTS n'a le numéro {self.kwargs['pk'][:40]}.") from None
