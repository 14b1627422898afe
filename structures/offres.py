"""Job offers: one filter definition for the /offres/ page and /api/v1/offres/, the API, the pages and the feed."""
import django_filters
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from noyau.professions import CHOIX_PROFESSIONS
from territoires import habilitations
from territoires.api_ecriture import (
    REPONSES_ECRITURE,
    EcritureAutorisee,
    EcritureTerritorialeMixin,
    ModeleValideSerializer,
)
from territoires.models import Commune, Departement

from .models import Offre, Structure, TypeOffre


class OffreFilter(django_filters.FilterSet):
    profession = django_filters.ChoiceFilter(choices=CHOIX_PROFESSIONS, empty_label="Toutes les professions",
                                             label="Profession")
    type = django_filters.ChoiceFilter(choices=TypeOffre.choices, empty_label="Tous les types", label="Type de poste")
    departement = django_filters.ModelChoiceFilter(queryset=Departement.objects.all(), to_field_name="code",
                                                   field_name="commune__departement", label="Département",
                                                   empty_label="Tous les départements")

    class Meta:
        model = Offre
        fields = ["profession", "type", "departement"]


def offres_visibles():
    return Offre.objects.visibles().select_related("commune__departement", "structure")


class OffreSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune_id")
    commune_nom = serializers.CharField(source="commune.nom")
    departement = serializers.CharField(source="commune.departement_id")
    employeur = serializers.CharField(source="nom_employeur")
    structure = serializers.IntegerField(source="structure_id", allow_null=True)

    class Meta:
        model = Offre
        fields = ["id", "titre", "profession", "type", "employeur", "structure", "commune", "commune_nom",
                  "departement", "quotite", "date_debut", "publiee_le", "expire_le", "description", "contact_nom",
                  "contact_courriel", "contact_telephone"]


class OffreEcritureSerializer(ModeleValideSerializer):
    """Publishing or changing an offer through the API: the admin's fields and checks."""

    commune = serializers.SlugRelatedField(slug_field="code_insee", queryset=Commune.objects.all(),
                                           help_text="Code INSEE de la commune du poste.")
    structure = serializers.PrimaryKeyRelatedField(queryset=Structure.objects.all(), allow_null=True, required=False,
                                                   help_text="Numéro de la structure employeuse, si elle est dans le "
                                                             "portail ; sinon renseigner `employeur`.")
    quotite = serializers.IntegerField(min_value=1, max_value=100, default=100,
                                       help_text="Quotité en pourcentage d'un temps plein (1 à 100).")

    class Meta:
        model = Offre
        fields = ["titre", "profession", "type", "structure", "employeur", "commune", "quotite", "date_debut",
                  "publiee_le", "expire_le", "description", "contact_nom", "contact_courriel", "contact_telephone"]

    def validate_structure(self, structure):
        if structure and not habilitations.objet_autorise(self.context["request"].user, structure,
                                                          "commune__departement"):
            raise serializers.ValidationError(habilitations.MESSAGE_HORS_PERIMETRE)
        return structure


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


@require_GET
def liste(request):
    filtre = OffreFilter(request.GET or None, queryset=offres_visibles())
    valide = filtre.is_valid() if filtre.is_bound else True
    return render(request, "structures/offres/liste.html", {
        "title": "Offres d'emploi", "filtre": filtre, "offres": filtre.qs if valide else Offre.objects.none(),
    }, status=200 if valide else 400)


@require_GET
def detail(request, pk: int):
    offre = get_object_or_404(offres_visibles(), pk=pk)
    return render(request, "structures/offres/detail.html", {"title": offre.titre, "offre": offre})


class FluxOffres(Feed):
    feed_type = Atom1Feed
    title = "PAPS Occitanie — offres d'emploi en cours"
    subtitle = "Postes pour les professionnels de santé en Occitanie (salariat, exercice partagé, remplacements…)."

    def link(self):
        return reverse("offres")

    def items(self):
        return offres_visibles()[:100]

    def item_title(self, offre):
        return f"{offre.titre} — {offre.commune.nom}"

    def item_description(self, offre):
        return f"{offre.get_type_display()}, {offre.get_profession_display()}, {offre.nom_employeur}. {offre.description}"

    def item_link(self, offre):
        return reverse("offre", args=[offre.pk])

    def item_pubdate(self, offre):
        from datetime import datetime, time

        from django.utils import timezone
        return timezone.make_aware(datetime.combine(offre.publiee_le, time()))
