"""One filter definition for structures, shared by the public list page (and its map) and the API; the same for job
offers (the /offres/ page and /api/v1/offres/)."""
import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from noyau.professions import CHOIX_PROFESSIONS
from territoires.models import Commune, Departement

from .models import EffectifProfession, Offre, Statut, Structure, Type, TypeOffre

CHOIX_ACI = [("oui", "ACI signé"), ("non", "ACI non signé")]


@extend_schema_field(OpenApiTypes.STR)
class FiltreCode(django_filters.ModelChoiceFilter):
    """A territory given by its code (documented as a string in the API schema)."""


class StructureFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom", method="filtrer_nom", max_length=100,
                                  help_text="Une partie du nom de la structure.")
    type = django_filters.ChoiceFilter(label="Type", choices=Type.choices, empty_label="Tous les types",
                                       help_text="Type de structure : " + ", ".join(Type.values) + ".")
    statut = django_filters.ChoiceFilter(label="Statut", choices=Statut.choices, method="filtrer_statut",
                                         empty_label="Tous les statuts",
                                         help_text="Statut à ce jour (le dernier changement daté) : "
                                         + ", ".join(Statut.values) + ".")
    departement = FiltreCode(
        label="Département", queryset=Departement.objects.all(), to_field_name="code", method="filtrer_departement",
        empty_label="Tous les départements",
        help_text="Code du département, ex. 34 : structures dont l'une des communes y est.")
    commune = FiltreCode(
        label="Commune", queryset=Commune.objects.only("code_insee"), to_field_name="code_insee",
        method="filtrer_commune", widget=forms.TextInput,
        help_text="Code INSEE : structures qui couvrent cette commune.")
    profession = django_filters.ChoiceFilter(label="Profession présente", choices=CHOIX_PROFESSIONS,
                                             method="filtrer_profession", empty_label="Toutes les professions",
                                             help_text="Structures comptant au moins un professionnel de cette "
                                             "profession.")
    aci = django_filters.ChoiceFilter(label="ACI", choices=CHOIX_ACI, method="filtrer_aci", empty_label="Indifférent",
                                      help_text="oui : accord conventionnel interprofessionnel signé ; non : pas signé.")

    class Meta:
        model = Structure
        fields = ["q", "type", "statut", "departement", "commune", "profession", "aci"]

    def filtrer_nom(self, queryset, name, value):
        return queryset.filter(nom__icontains=value.strip()) if value.strip() else queryset

    def filtrer_statut(self, queryset, name, value):
        # The list's queryset carries the annotation; add it when a caller did not.
        if "statut_actuel" not in queryset.query.annotations:
            queryset = queryset.avec_statut()
        return queryset.filter(statut_actuel=value)

    def filtrer_departement(self, queryset, name, value):
        communes = Structure.communes.through.objects.filter(structure=OuterRef("pk"),
                                                            commune__departement_id=value.code)
        return queryset.filter(Exists(communes))

    def filtrer_commune(self, queryset, name, value):
        communes = Structure.communes.through.objects.filter(structure=OuterRef("pk"), commune_id=value.code_insee)
        return queryset.filter(Exists(communes))

    def filtrer_profession(self, queryset, name, value):
        return queryset.filter(Exists(EffectifProfession.objects.filter(structure=OuterRef("pk"), profession=value,
                                                                        nombre__gt=0)))

    def filtrer_aci(self, queryset, name, value):
        return queryset.filter(aci_signe=(value == "oui"))

    @property
    def actifs(self) -> bool:
        """Whether any filter was given (for the page's wording)."""
        return any(self.data.get(nom) for nom in self.filters)


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
