from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound

from territoires.api_ecriture import REPONSES_ECRITURE, EcritureAutorisee, EcritureTerritorialeMixin

from .consultation import offres_visibles, structure_detaillee, structures_publiques
from .filtres import OffreFilter, StructureFilter
from .models import Offre, Structure
from .serializers import (
    OffreEcritureSerializer,
    OffreSerializer,
    StructureDetailSerializer,
    StructureEcritureSerializer,
    StructureSerializer,
)

ERREUR_400 = OpenApiResponse(
    description="Paramètre invalide : le corps nomme le paramètre fautif.",
    examples=[OpenApiExample("Type inconnu", value={"type": ["Sélectionnez un choix valide. hopital n'en fait pas "
                                                             "partie."]})],
)
ERREUR_404 = OpenApiResponse(
    description="Structure inconnue.",
    examples=[OpenApiExample("Inconnue", value={"detail": "Aucune structure n'a le numéro 999."})],
)

PARAMETRE_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH,
                                description="Numéro de la structure dans le portail (champ `id`).")


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
        parameters=[PARAMETRE_ID],
        responses={200: StructureDetailSerializer, 404: ERREUR_404},
    ),
    create=extend_schema(
        summary="Créer une structure",
        description="Réservé aux comptes autorisés (jeton d'API d'un utilisateur ayant le droit d'ajouter des "
        "structures) ; une délégation départementale ne crée que dans ses départements. Mêmes contrôles que "
        "l'administration. Répond avec la fiche de la structure.",
        request=StructureEcritureSerializer, responses={201: StructureDetailSerializer, **REPONSES_ECRITURE},
    ),
    update=extend_schema(
        summary="Remplacer une structure", request=StructureEcritureSerializer,
        description="Réservé aux comptes autorisés, sur les structures de leur périmètre.",
        parameters=[PARAMETRE_ID], responses={200: StructureDetailSerializer, 404: ERREUR_404, **REPONSES_ECRITURE},
    ),
    partial_update=extend_schema(
        summary="Modifier une structure", request=StructureEcritureSerializer,
        description="Seuls les champs envoyés changent. Réservé aux comptes autorisés, sur leur périmètre.",
        parameters=[PARAMETRE_ID], responses={200: StructureDetailSerializer, 404: ERREUR_404, **REPONSES_ECRITURE},
    ),
    destroy=extend_schema(
        summary="Supprimer une structure",
        description="Réservé aux comptes ayant le droit de supprimer des structures, sur leur périmètre.",
        parameters=[PARAMETRE_ID], responses={204: None, 404: ERREUR_404, **REPONSES_ECRITURE},
    ),
)
class StructureViewSet(EcritureTerritorialeMixin, viewsets.ModelViewSet):
    filterset_class = StructureFilter
    permission_classes = [EcritureAutorisee]
    chemin_departement = "commune__departement"
    serializer_lecture_class = StructureDetailSerializer

    def get_queryset(self):
        if self.action == "list":
            return structures_publiques()
        return structure_detaillee() if self.action == "retrieve" else Structure.objects.all()

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return StructureEcritureSerializer
        return StructureDetailSerializer if self.action == "retrieve" else StructureSerializer

    def objet_pour_lecture(self, instance):
        return structure_detaillee().get(pk=instance.pk)

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(f"Aucune structure n'a le numéro {self.kwargs['pk'][:40]}.") from None


@extend_schema_view(
    list=extend_schema(summary="Offres d'emploi en cours",
                       description="Offres publiées et non expirées, filtrables par profession, type et département."),
    retrieve=extend_schema(summary="Une offre en cours", description="404 si elle a expiré ou n'est pas encore publiée."),
    create=extend_schema(summary="Publier une offre", request=OffreEcritureSerializer,
                         description="Réservé aux comptes autorisés (jeton d'API) ; une délégation départementale "
                         "publie dans ses départements seulement.",
                         responses={201: OffreSerializer, **REPONSES_ECRITURE}),
    update=extend_schema(summary="Remplacer une offre", request=OffreEcritureSerializer,
                         responses={200: OffreSerializer, **REPONSES_ECRITURE}),
    partial_update=extend_schema(summary="Modifier une offre (par exemple avancer son expiration)",
                                 request=OffreEcritureSerializer, responses={200: OffreSerializer, **REPONSES_ECRITURE}),
    destroy=extend_schema(summary="Retirer une offre", responses={204: None, **REPONSES_ECRITURE}),
)
class OffreViewSet(EcritureTerritorialeMixin, viewsets.ModelViewSet):
    filterset_class = OffreFilter
    permission_classes = [EcritureAutorisee]
    chemin_departement = "commune__departement"
    serializer_lecture_class = OffreSerializer

    def get_queryset(self):
        if self.action in {"list", "retrieve"}:
            return offres_visibles()
        return Offre.objects.select_related("commune__departement", "structure")  # expired ones can be edited

    def get_serializer_class(self):
        return OffreEcritureSerializer if self.action in {"create", "update", "partial_update"} else OffreSerializer
