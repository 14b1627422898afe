"""Administration of the aids: each scheme's rule, edited in form fields or, for the advanced, as YAML (both through
the same schema: aides/admin_regles.py), with its history in plain French; the contacts per département."""
import yaml
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html

from noyau.historique import HistoriqueAdmin
from territoires.admin_perimetre import PerimetreDepartementalAdmin

from .admin_regles import FormulaireRegle, FormulaireYaml, chemin_en_mots
from .models import Contact, Dispositif

LECTURE_SEULE = ["code", "nom", "financeur", "regle_en_yaml"]


@admin.register(Dispositif)
class DispositifAdmin(HistoriqueAdmin):
    list_display = ["code", "nom", "financeur", "modifie_dans_l_admin", "modifie_le"]
    list_filter = ["financeur", "modifie_dans_l_admin"]
    search_fields = ["code", "nom"]
    history_list_display = ["nom", "modifie_dans_l_admin"]
    change_form_template = "admin/aides/dispositif/change_form.html"

    @staticmethod
    def en_yaml(request, obj) -> bool:
        """`?mode=yaml` (and any new scheme): the whole document as YAML."""
        return obj is None or request.GET.get("mode") == "yaml"

    def _lecture_seule(self, request, obj) -> bool:
        return obj is not None and not self.has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._lecture_seule(request, obj):
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["form"] = FormulaireYaml if self.en_yaml(request, obj) else FormulaireRegle
        kwargs["fields"] = ["code"] if self.en_yaml(request, obj) else []
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if self._lecture_seule(request, obj):
            return [(None, {"fields": LECTURE_SEULE})]  # read-only view (e.g. a délégation)
        if self.en_yaml(request, obj):
            return [(None, {"fields": ["code", "regle_yaml"]})]
        formulaire = FormulaireRegle(instance=obj)
        return [(s.titre, {"fields": s.champs, "description": s.description}) for s in formulaire.sections]

    def get_readonly_fields(self, request, obj=None):
        return LECTURE_SEULE if self._lecture_seule(request, obj) else []

    def change_view(self, request, object_id, form_url="", extra_context=None):
        url = reverse("admin:aides_dispositif_change", args=[object_id])
        extra_context = {**(extra_context or {}), "mode_yaml": request.GET.get("mode") == "yaml",
                         "url_formulaire": url, "url_yaml": url + "?mode=yaml"}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description="Règle (YAML)")
    def regle_en_yaml(self, obj):
        return format_html("<pre>{}</pre>", yaml.safe_dump(obj.regle, allow_unicode=True, sort_keys=False))

    def chemin_json_en_mots(self, champ: str, chemin: str, document) -> str:
        """The history says a changed path of the rule in words (« version 1 (à partir du …), montant 1, valeur »)."""
        return chemin_en_mots(chemin, document) if champ == "regle" else chemin


@admin.register(Contact)
class ContactAdmin(PerimetreDepartementalAdmin, HistoriqueAdmin):
    chemin_departement = "departement"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # "www.ars.fr" means https, as Django 6 will
    list_display = ["departement", "type", "nom", "telephone", "courriel"]
    list_filter = ["departement", "type"]
    search_fields = ["nom"]
    history_list_display = ["nom", "telephone", "courriel"]
