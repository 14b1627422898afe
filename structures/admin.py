"""Administration of the structures: records with their history, dated statuses and professionals; CSV imports.

Thin layer over `imports` (the same strict import as the command `importer_structures`).
"""
import tempfile
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from noyau.admin import TabulaireAccessible
from territoires.admin_perimetre import PerimetreDepartementalAdmin

from .imports.execution import importer_structures
from .models import ChangementStatut, EffectifProfession, ImportStructures, Offre, Statut, Structure

TAILLE_MAX_IMPORT = 20 * 1024 * 1024


class ChampThemes(forms.CharField):
    """The projet de santé's themes, one a line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        if isinstance(value, list):
            return value
        themes = []
        for ligne in (value or "").splitlines():
            if ligne.strip() and ligne.strip() not in themes:
                themes.append(ligne.strip())
        return themes


class FormulaireStructure(forms.ModelForm):
    themes = ChampThemes(label="Thèmes du projet de santé", required=False, help_text="Un thème par ligne.")
    site_web = forms.URLField(label="Site web", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Structure
        fields = "__all__"


class ChangementStatutInline(PerimetreDepartementalAdmin, TabulaireAccessible):
    chemin_departement = "structure__commune__departement"
    model = ChangementStatut
    extra = 1


class EffectifInline(PerimetreDepartementalAdmin, TabulaireAccessible):
    chemin_departement = "structure__commune__departement"
    model = EffectifProfession
    extra = 1


@admin.register(Structure)
class StructureAdmin(PerimetreDepartementalAdmin, SimpleHistoryAdmin):
    chemin_departement = "commune__departement"
    form = FormulaireStructure
    list_display = ["nom", "identifiant", "type", "commune", "statut", "aci_signe", "modifie_le"]
    list_filter = ["type", "aci_signe", "forme_juridique", "universitaire"]
    search_fields = ["nom", "identifiant", "commune__nom", "commune__code_insee"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    # INSEE codes, comma-separated: quicker than a picker for an ESP or PTA covering many communes, and labelled
    # (the autocomplete's multiple picker has an unlabelled search input).
    raw_id_fields = ["communes"]
    readonly_fields = ["import_source", "modifie_le"]
    inlines = [ChangementStatutInline, EffectifInline]
    fieldsets = [
        (None, {"fields": ["identifiant", "nom", "type", "sous_type", "universitaire", "forme_juridique"]}),
        ("Territoire", {"fields": ["commune", "communes", "adresse", "longitude", "latitude"]}),
        ("Conventionnement et projet", {"fields": ["aci_signe", "aci_date", "themes"]}),
        ("Contact", {"fields": ["email", "telephone", "site_web"]}),
        ("Suivi", {"fields": ["import_source", "modifie_le"]}),
    ]
    history_list_display = ["type", "aci_signe"]

    def get_queryset(self, request):
        return super().get_queryset(request).avec_statut()

    @admin.display(description="statut à ce jour", ordering="statut_actuel")
    def statut(self, obj):
        return Statut(obj.statut_actuel).label if obj.statut_actuel else "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.communes.add(form.instance.commune)  # the main commune is always one of its communes


class FormulaireImport(forms.Form):
    fichier = forms.FileField(label="Fichier CSV", help_text="UTF-8, séparateur « ; » ou « , » : voir le format "
                                                             "dans le README (« Structures : format d'import ») ; ou "
                                                             "un fichier du registre FINESS.")
    essai = forms.BooleanField(label="Essai à blanc", required=False,
                               help_text="Valide le fichier et affiche le rapport sans rien écrire.")
    date_registre = forms.DateField(label="Date du registre FINESS", required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                    help_text="Pour un fichier FINESS qui ne donne pas sa date d'extraction (l'extraction "
                                              "officielle la donne sur sa première ligne).")

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if not fichier.size:
            raise forms.ValidationError("Le fichier est vide.")
        if fichier.size > TAILLE_MAX_IMPORT:
            raise forms.ValidationError("Le fichier dépasse 20 Mo.")
        if Path(fichier.name).suffix.lower() not in {".csv", ".txt"}:
            raise forms.ValidationError("Un fichier .csv est attendu.")
        return fichier


@admin.register(ImportStructures)
class ImportStructuresAdmin(admin.ModelAdmin):
    """Imports are records: read only. "Ajouter" is the upload form; the file is imported in the request."""

    list_display = ["cree_le", "fichier_nom", "statut", "essai", "utilisateur", "lignes_lues", "creees", "modifiees",
                    "inchangees", "nb_erreurs", "nb_avertissements"]
    list_filter = ["statut", "essai"]
    search_fields = ["fichier_nom", "sha256"]
    list_select_related = ["utilisateur"]
    fields = ["fichier_nom", "statut", "essai", "utilisateur", "origine", "cree_le", "termine_le", "sha256",
              "registre", "date_registre", "lignes_lues", "creees", "modifiees", "inchangees", "nb_erreurs",
              "nb_avertissements", "rapport_detaille"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return all(request.user.has_perm(f"structures.{p}") for p in
                   ("add_importstructures", "add_structure", "change_structure"))

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="rapport")
    def rapport_detaille(self, obj):
        return render_to_string("admin/structures/importstructures/_rapport.html", {"enregistrement": obj,
                                                                                    "rapport": obj.rapport or {}})

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            formulaire = FormulaireImport(request.POST, request.FILES)
            if formulaire.is_valid():
                try:
                    enregistrement = self._importer(request, formulaire.cleaned_data["fichier"],
                                                    formulaire.cleaned_data["essai"],
                                                    formulaire.cleaned_data["date_registre"])
                except Exception:  # recorded as "échoué" and logged by the import; nothing was written
                    messages.error(request, "Erreur technique pendant l'import : rien n'a été écrit. "
                                            "L'import est enregistré comme échoué.")
                    return redirect(reverse("admin:structures_importstructures_changelist"))
                self.log_addition(request, enregistrement, "Import de structures")
                if enregistrement.statut == ImportStructures.Statut.REJETE:
                    messages.error(request, f"Fichier rejeté ({enregistrement.nb_erreurs} erreur(s)) : rien n'a été "
                                            "modifié. Voir le rapport ci-dessous.")
                elif enregistrement.statut == ImportStructures.Statut.VALIDE:
                    messages.success(request, "Essai à blanc : fichier valide, rien n'a été écrit.")
                else:
                    messages.success(request, f"Importé : {enregistrement.creees} structure(s) créée(s), "
                                              f"{enregistrement.modifiees} modifiée(s), {enregistrement.inchangees} "
                                              "inchangée(s).")
                return redirect(reverse("admin:structures_importstructures_change", args=[enregistrement.pk]))
        else:
            formulaire = FormulaireImport()
        contexte = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Importer un fichier de structures",
            "formulaire": formulaire,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/structures/importstructures/importer.html", contexte)

    def _importer(self, request, fichier, essai: bool, date_registre=None) -> ImportStructures:
        with tempfile.TemporaryDirectory() as dossier:
            chemin = Path(dossier) / "import.csv"
            with chemin.open("wb") as sortie:
                for morceau in fichier.chunks():
                    sortie.write(morceau)
            return importer_structures(chemin, essai=essai, utilisateur=request.user, origine="administration",
                                       fichier_nom=fichier.name, date_registre=date_registre)


@admin.register(Offre)
class OffreAdmin(PerimetreDepartementalAdmin, SimpleHistoryAdmin):
    chemin_departement = "commune__departement"
    list_display = ["titre", "profession", "type", "commune", "publiee_le", "expire_le"]
    list_filter = ["type", "profession", "commune__departement"]
    search_fields = ["titre", "employeur", "structure__nom"]
    raw_id_fields = ["commune", "structure"]
    date_hierarchy = "publiee_le"
    # The employer (structure) is offered within the user's perimeter like every foreign key (admin_perimetre).
