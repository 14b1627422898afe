"""Job offers: one filter definition for the /offres/ page and /api/v1/offres/, the API, the pages and the feed."""
import django_filters
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from paps.professions import CHOIX_PROFESSIONS
from zonages.models import Departement

from .models import Offre, TypeOffre


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


@extend_schema_view(
    list=extend_schema(summary="Offres d'emploi en cours",
                       description="Offres publiées et non expirées, filtrables par profession, type et département."),
    retrieve=extend_schema(summary="Une offre en cours", description="404 si elle a expiré ou n'est pas encore publiée."),
)
class OffreViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OffreSerializer
    filterset_class = OffreFilter

    def get_queryset(self):
        return offres_visibles()


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
