"""One filter definition for communes, shared by the HTML search page and the API."""
import django_filters
from django import forms
from django.db.models import Case, FloatField, Value, When

from .models import EPCI, Commune, Departement
from .proximite import RAYON_MAXIMAL_KM, autour_de
from .recherche import rechercher_communes

RAYON_PAR_DEFAUT_KM = 20
RAYONS_PROPOSES_KM = (5, 10, 20, 30, 50)


class FormulaireCommunes(forms.Form):
    def clean_autour(self):
        code = (self.cleaned_data.get("autour") or "").strip().upper()
        if code and not Commune.objects.filter(code_insee=code).exclude(latitude=None).exists():
            raise forms.ValidationError(f"Aucune commune de code INSEE « {code[:10]} » n'a de position connue : "
                                        "indiquez le code INSEE d'une commune (5 caractères, ex. 12202 pour Rodez).")
        return code


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
    autour = django_filters.CharFilter(
        label="Autour de la commune", method="filtrer_autour", max_length=5,
        help_text="Code INSEE d'une commune : les communes à moins de `rayon` km de la sienne, les plus proches "
                  "d'abord (distance entre les points représentatifs des communes).",
    )
    rayon = django_filters.NumberFilter(
        label="Rayon (km)", method="garder", min_value=1, max_value=RAYON_MAXIMAL_KM,
        help_text=f"Avec `autour` : la distance maximale, de 1 à {RAYON_MAXIMAL_KM} km ({RAYON_PAR_DEFAUT_KM} par "
                  "défaut).",
    )

    class Meta:
        model = Commune
        fields = ["q", "departement", "epci", "autour", "rayon"]
        form = FormulaireCommunes

    def filtrer_texte(self, queryset, name, value):
        return rechercher_communes(value, queryset)

    def garder(self, queryset, name, value):
        return queryset  # read by filtrer_autour

    @property
    def rayon_km(self) -> float:
        rayon = getattr(self.form, "cleaned_data", {}).get("rayon")
        return float(rayon) if rayon else RAYON_PAR_DEFAUT_KM

    def filtrer_autour(self, queryset, name, value):
        """Within the radius, nearest first, each annotated with its distance (`distance_km`)."""
        distances = {v.code_insee: v.distance_km for v in autour_de(value, self.rayon_km) or ()}
        return (queryset.filter(code_insee__in=distances)
                .annotate(distance_km=Case(*(When(code_insee=code, then=Value(d)) for code, d in distances.items()),
                                           output_field=FloatField()))
                .order_by("distance_km", "nom"))

    @property
    def qs(self):
        communes = super().qs
        # Without a text query or a centre, a stable order: by name.
        donnees = getattr(self.form, "cleaned_data", {})
        if not donnees.get("q") and not donnees.get("autour"):
            communes = communes.order_by("nom", "code_insee")
        return communes
