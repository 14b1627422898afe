"""One filter definition for communes, shared by the HTML search page and the API."""
import django_filters
from django import forms

from .models import EPCI, Commune, Departement
from .recherche import rechercher_communes


class CommuneFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Commune, code postal ou code INSEE", method="filtrer_texte", max_length=100,
        help_text="Nom (sans souci d'accents ni de tirets), code postal ou code INSEE. Les résultats exacts d'abord.",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Département", queryset=Departement.objects.all(), to_field_name="code",
        help_text="Code du département, ex. 34.",
    )
    epci = django_filters.ModelChoiceFilter(
        label="EPCI", queryset=EPCI.objects.all(), to_field_name="code", widget=forms.TextInput,
        help_text="SIREN de l'EPCI, ex. 243400017.",
    )

    class Meta:
        model = Commune
        fields = ["q", "departement", "epci"]

    def filtrer_texte(self, queryset, name, value):
        return rechercher_communes(value, queryset)

    @property
    def qs(self):
        communes = super().qs
        # Without a text query, a stable order: by name.
        if not getattr(self.form, "cleaned_data", {}).get("q"):
            communes = communes.order_by("nom", "code_insee")
        return communes
