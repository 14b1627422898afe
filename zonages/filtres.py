"""Filters of the zonages API: versions (type, date in force, status) and a version's classification."""
from django_filters import rest_framework as filters

from .consultation import en_vigueur
from .models import Classement, Zonage
from .niveaux import CHOIX_TYPES


class ZonageFilter(filters.FilterSet):
    type = filters.ChoiceFilter(choices=CHOIX_TYPES, help_text="Type de zonage.")
    date = filters.DateFilter(method="filtrer_date", help_text="Versions en vigueur à cette date (AAAA-MM-JJ).")
    statut = filters.ChoiceFilter(choices=Zonage.Statut.choices)

    class Meta:
        model = Zonage
        fields = ["type", "date", "statut"]

    def filtrer_date(self, queryset, name, jour):
        return queryset.filter(en_vigueur(jour))


class ClassementFilter(filters.FilterSet):
    niveau = filters.CharFilter(help_text="Code de niveau, ex. ZIP.")
    departement = filters.CharFilter(field_name="commune__departement_id", help_text="Code du département, ex. 34.")

    class Meta:
        model = Classement
        fields = ["niveau", "departement"]
