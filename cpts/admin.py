"""Administration of the CPTS: records with their history, dated territory (overlaps refused, naming the other
CPTS) and missions."""
from django import forms
from django.contrib import admin

from noyau.admin import TabulaireAccessible
from noyau.historique import HistoriqueAdmin
from territoires import habilitations
from territoires.admin_perimetre import PerimetreDepartementalAdmin

from .models import Cpts, Mission, TerritoireCpts


class TerritoireFormSet(forms.BaseInlineFormSet):
    """Each row is checked against the database by the model's clean(); rows of the same submission are checked
    against each other here."""

    def clean(self):
        super().clean()
        lignes = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
                  and f.cleaned_data.get("commune")]
        for i, a in enumerate(lignes):
            for b in lignes[i + 1:]:
                da, db = a.cleaned_data, b.cleaned_data
                if da["commune"] != db["commune"]:
                    continue
                if _se_chevauchent(da.get("valid_from"), da.get("valid_to"), db.get("valid_from"), db.get("valid_to")):
                    raise forms.ValidationError(
                        f"La commune {da['commune'].nom} ({da['commune'].code_insee}) figure deux fois sur des "
                        "périodes qui se chevauchent.")


def _se_chevauchent(debut_a, fin_a, debut_b, fin_b) -> bool:
    """Two periods meet; an empty start reaches back indefinitely, an empty end forward."""
    return (fin_a is None or debut_b is None or debut_b <= fin_a) and (fin_b is None or debut_a is None or debut_a <= fin_b)


class FormulaireCpts(forms.ModelForm):
    site_web = forms.URLField(label="Site web", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Cpts
        fields = "__all__"


class TerritoireInline(PerimetreDepartementalAdmin, TabulaireAccessible):
    chemin_departement = "commune__departement"
    model = TerritoireCpts
    formset = TerritoireFormSet
    extra = 1
    autocomplete_fields = ["commune"]


class MissionInline(PerimetreDepartementalAdmin, TabulaireAccessible):
    chemin_departement = "cpts__departements"
    model = Mission
    extra = 1


@admin.register(Cpts)
class CptsAdmin(PerimetreDepartementalAdmin, HistoriqueAdmin):
    chemin_departement = "departements"
    form = FormulaireCpts
    list_display = ["nom", "stade", "porteur", "population_declaree", "modifie_le"]
    list_filter = ["stade", "departements"]
    search_fields = ["nom", "porteur"]
    filter_horizontal = ["departements"]
    readonly_fields = ["modifie_le"]
    inlines = [TerritoireInline, MissionInline]
    fieldsets = [
        (None, {"fields": ["nom", "porteur", "stade", "date_aci", "departements"]}),
        ("Population et territoire déclarés", {"fields": ["population_declaree", "source_population",
                                                         "nombre_communes_declare", "territoire_declare", "source"]}),
        ("Contact", {"fields": ["email", "telephone", "site_web"]}),
        ("Suivi", {"fields": ["modifie_le"]}),
    ]
    history_list_display = ["stade"]

    def get_form(self, request, obj=None, **kwargs):
        formulaire = super().get_form(request, obj, **kwargs)
        if habilitations.departements_autorises(request.user) is not None and "departements" in formulaire.base_fields:
            # A délégation only sees CPTS of its départements: one it creates must name them.
            formulaire.base_fields["departements"].required = True
        return formulaire


@admin.register(TerritoireCpts)
class TerritoireCptsAdmin(PerimetreDepartementalAdmin, HistoriqueAdmin):
    chemin_departement = "commune__departement"
    list_display = ["commune", "cpts", "valid_from", "valid_to"]
    list_select_related = ["commune", "cpts"]
    search_fields = ["commune__nom", "commune__code_insee", "cpts__nom"]
    autocomplete_fields = ["commune", "cpts"]


