from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from .consultation import structure_detaillee, structures_publiques
from .filtres import StructureFilter
from .serializers import StructureDetailSerializer, StructureSerializer

ERREUR_400 = OpenApiResponse(
    description="Paramètre invalide : le corps nomme le paramètre fautif.",
    examples=[OpenApiExample("Type inconnu", value={"type": ["Sélectionnez un choix valide. hopital n'en fait pas "
                                                             "partie."]})],
)
ERREUR_404 = OpenApiResponse(
    description="Structure inconnue.",
    examples=[OpenApiExample("Inconnue", value={"detail": "Aucune structure n'a le numéro 999."})],
)


@extend_schema_view(
    list=extend_schema(
        summary="Lister les structures d'exercice coordonné",
        description="Liste paginée des MSP, centres de santé, ESP, PTA et réseaux territoriaux, par nom. Filtres "
        "(les mêmes que la page « Structures » du portail) : `type`, `statut` (statut à ce jour, dérivé de "
        "l'historique daté), `departement` (l'une des communes de la structure y est), `commune` (code INSEE "
        "couvert), `profession` (au moins un professionnel de cette profession), `aci` (`oui` ou `non`), `q` "
        "(partie du nom). Un paramètre invalide renvoie 400 en le nommant.",
        parameters=[
            OpenApiParameter("page_size", OpenApiTypes.INT, description="Taille de page (1 à 100, défaut 20)."),
        ],
        responses={200: StructureSerializer(many=True), 400: ERREUR_400},
    ),
    retrieve=extend_schema(
        summary="Fiche d'une structure",
        description="Une structure par son numéro (`id`), avec toutes ses communes et l'historique daté de ses "
        "statuts.",
        parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                     description="Numéro de la structure dans le portail (champ `id`).")],
        responses={200: StructureDetailSerializer, 404: ERREUR_404},
    ),
)
class StructureViewSet(viewsets.ReadOnlyModelViewSet):
    filterset_class = StructureFilter

    def get_queryset(self):
        return structure_detaillee() if self.action == "retrieve" else structures_publiques()

    def get_serializer_class(self):
        return StructureDetailSerializer if self.action == "retrieve" else StructureSerializer

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(f"Aucune structure n'a le numéro {self.kwargs['pk'][:40]}.") from None
