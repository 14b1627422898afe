import datetime
import json

import yaml
from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from territoires.admin_perimetre import PerimetreDepartementalAdmin

from .eligibilite.regles import construire, valider, verifier_catalogue
from .models import Contact, Dispositif


class DispositifForm(forms.ModelForm):
    """The rule document is edited as YAML (as in aides/regles/), and validated by the same schema."""

    regle_yaml = forms.CharField(label="Règle (YAML)", widget=forms.Textarea(attrs={"rows": 40, "cols": 110,
                                                                                   "spellcheck": "false"}))

    class Meta:
        model = Dispositif
        fields = ["code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True
            self.initial["regle_yaml"] = yaml.safe_dump(self.instance.regle, allow_unicode=True, sort_keys=False)

    def clean_regle_yaml(self):
        try:
            document = yaml.safe_load(self.cleaned_data["regle_yaml"])
        except yaml.YAMLError as exc:
            ligne = f" (ligne {exc.problem_mark.line + 1})" if getattr(exc, "problem_mark", None) else ""
            raise forms.ValidationError(f"YAML invalide{ligne} : {getattr(exc, 'problem', exc)}") from None
        problemes = valider(document)
        code = self.cleaned_data.get("code") or self.instance.code
        if not problemes and document.get("code") != code:
            problemes.append(f"le code du document ({document.get('code')!r}) doit être {code!r}")
        if not problemes:
            # The schemes it names (exclusions, replacements) must be in the catalogue.
            autres = [construire(d.regle) for d in Dispositif.objects.exclude(code=code)]
            problemes += verifier_catalogue([*autres, construire(document)])
        if problemes:
            raise forms.ValidationError(problemes)
        return json.loads(json.dumps(document, default=lambda v: v.isoformat() if isinstance(v, datetime.date) else v))

    def save(self, commit=True):
        document = self.cleaned_data["regle_yaml"]
        self.instance.regle = document
        self.instance.nom = document["nom"]
        self.instance.financeur = document["financeur"]
        self.instance.modifie_dans_l_admin = True
        return super().save(commit)


@admin.register(Dispositif)
class DispositifAdmin(SimpleHistoryAdmin):
    form = DispositifForm
    list_display = ["code", "nom", "financeur", "modifie_dans_l_admin", "modifie_le"]
    list_filter = ["financeur", "modifie_dans_l_admin"]
    search_fields = ["code", "nom"]

    def get_fields(self, request, obj=None):
        if obj is not None and not self.has_change_permission(request, obj):
            return ["code", "nom", "financeur", "regle_en_yaml"]  # read-only view (e.g. a délégation)
        return super().get_fields(request, obj)

    @admin.display(description="Règle (YAML)")
    def regle_en_yaml(self, obj):
        return format_html("<pre>{}</pre>", yaml.safe_dump(obj.regle, allow_unicode=True, sort_keys=False))


@admin.register(Contact)
class ContactAdmin(PerimetreDepartementalAdmin, SimpleHistoryAdmin):
    chemin_departement = "departement"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # "www.ars.fr" means https, as Django 6 will
    list_display = ["departement", "type", "nom", "telephone", "courriel"]
    list_filter = ["departement", "type"]
    search_fields = ["nom"]
