"""One filter definition for CPTS, shared by the public list page (and its coverage map) and the API."""
import django_filters
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from territoires.models import Departement

from .models import Cpts, Stade


@extend_schema_field(OpenApiTypes.STR)
class FiltreCode(django_filters.ModelChoiceFilter):
    """A territory given by its code (documented as a string in the API schema)."""


class CptsFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom", method="filtrer_nom", max_length=100,
                                  help_text="Une partie du nom de la CPTS.")
    stade = django_filters.ChoiceFilter(label="Stade", choices=Stade.choices, empty_label="Tous les stades",
                                        help_text="Stade : " + ", ".join(Stade.values) + ".")
    departement = FiltreCode(
        label="Département", queryset=Departement.objects.all(), to_field_name="code", method="filtrer_departement",
        empty_label="Tous les départements", help_text="Code du département, ex. 66 : CPTS qui le couvrent.")

    class Meta:
        model = Cpts
        fields = ["q", "stade", "departement"]

    def filtrer_nom(self, queryset, name, value):
        return queryset.filter(nom__icontains=value.strip()) if value.strip() else queryset

    def filtrer_departement(self, queryset, name, value):
        lien = Cpts.departements.through.objects.filter(cpts=OuterRef("pk"), departement_id=value.code)
        return queryset.filter(Exists(lien))

    @property
    def actifs(self) -> bool:
        return any(self.data.get(nom) for nom in self.filters)
