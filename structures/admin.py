"""Administration of the structures: records with their history, dated statuses and professionals; CSV imports.

Thin layer over `depot` (imports deposited here and run by a task, as the zonage imports) and `imports` (the same
strict import as the command `importer_structures`).
"""
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from noyau.admin import TabulaireAccessible
from territoires.admin_perimetre import PerimetreDepartementalAdmin

from .depot import RelanceImpossible, deposer, etat, relancer
from .imports.execution import marquer_imports_interrompus
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
    """Imports are records: read only. "Ajouter" is the upload form; the import then runs as a Celery task (or
    eagerly without Redis), followed on its own page (suivi)."""

    list_display = ["cree_le", "fichier_nom", "statut", "essai", "utilisateur", "lignes_lues", "creees", "modifiees",
                    "inchangees", "nb_erreurs", "nb_avertissements"]
    list_filter = ["statut", "essai"]
    search_fields = ["fichier_nom", "sha256"]
    list_select_related = ["utilisateur"]
    fields = ["fichier_nom", "statut", "suivi", "essai", "utilisateur", "origine", "cree_le", "termine_le", "sha256",
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

    @admin.display(description="suivi")
    def suivi(self, obj):
        return format_html('<a href="{}">Page de suivi de l\'import</a>',
                           reverse("admin:structures_importstructures_suivi", args=[obj.pk]))

    @admin.display(description="rapport")
    def rapport_detaille(self, obj):
        return render_to_string("admin/structures/importstructures/_rapport.html", {"enregistrement": obj,
                                                                                    "rapport": obj.rapport or {}})

    def get_urls(self):
        vue = self.admin_site.admin_view
        return [
            path("<path:object_id>/suivi/", vue(self.vue_suivi), name="structures_importstructures_suivi"),
            path("<path:object_id>/etat.json", vue(self.vue_etat), name="structures_importstructures_etat"),
            path("<path:object_id>/relancer/", vue(self.vue_relancer), name="structures_importstructures_relancer"),
        ] + super().get_urls()

    def _import_visible(self, request, object_id) -> ImportStructures:
        enregistrement = self.get_object(request, unquote(object_id))
        if enregistrement is None:
            raise Http404("Import introuvable.")
        if not self.has_view_permission(request, enregistrement):
            raise PermissionDenied
        return enregistrement

    def add_view(self, request, form_url="", extra_context=None):
        """The "Importer un fichier" form: keeps the file, records the import, queues it, then shows its progress."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            formulaire = FormulaireImport(request.POST, request.FILES)
            if formulaire.is_valid():
                donnees = formulaire.cleaned_data
                try:
                    with transaction.atomic():
                        enregistrement = deposer(donnees["fichier"], donnees["essai"], donnees["date_registre"],
                                                 request.user)
                except OSError as exc:
                    formulaire.add_error("fichier", f"Le fichier n'a pas pu être enregistré : {exc}")
                else:
                    self.log_addition(request, enregistrement, "Import de structures déposé")
                    return redirect(reverse("admin:structures_importstructures_suivi", args=[enregistrement.pk]))
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

    def changelist_view(self, request, extra_context=None):
        marquer_imports_interrompus()  # the list shows no import "en cours" whose process is gone
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        enregistrement = self.get_object(request, unquote(object_id))
        if enregistrement is not None:
            etat(enregistrement)  # an import whose process is gone is shown failed
        return super().change_view(request, object_id, form_url, extra_context)

    def vue_suivi(self, request, object_id):
        enregistrement = self._import_visible(request, object_id)
        etat_actuel = etat(enregistrement)  # first: it may find the import interrupted, and say so below
        contexte = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Import « {enregistrement.fichier_nom} »",
            "original": enregistrement,
            "enregistrement": enregistrement,
            "rapport": enregistrement.rapport or {},
            "etat": etat_actuel,
            "url_etat": reverse("admin:structures_importstructures_etat", args=[enregistrement.pk]),
            "peut_relancer": (enregistrement.statut == ImportStructures.Statut.ECHOUE and bool(enregistrement.fichier)
                              and self.has_add_permission(request)),
        }
        return TemplateResponse(request, "admin/structures/importstructures/suivi.html", contexte)

    def vue_relancer(self, request, object_id):
        """POST: relaunches a failed import from its kept file (a new import), then shows the new one's progress."""
        ancien = self._import_visible(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        suivi = reverse("admin:structures_importstructures_suivi", args=[ancien.pk])
        if request.method != "POST":
            return redirect(suivi)
        try:
            with transaction.atomic():
                nouveau = relancer(ancien, request.user)
        except RelanceImpossible as exc:
            messages.error(request, f"Relance impossible : {exc}")
            return redirect(suivi)
        self.log_addition(request, nouveau, f"Relance de l'import n° {ancien.pk}")
        messages.success(request, f"Import n° {ancien.pk} relancé : voici le suivi du nouvel import.")
        return redirect(reverse("admin:structures_importstructures_suivi", args=[nouveau.pk]))

    def vue_etat(self, request, object_id):
        return JsonResponse(etat(self._import_visible(request, object_id)), headers={"Cache-Control": "no-store"})


@admin.register(Offre)
class OffreAdmin(PerimetreDepartementalAdmin, SimpleHistoryAdmin):
    chemin_departement = "commune__departement"
    list_display = ["titre", "profession", "type", "commune", "publiee_le", "expire_le"]
    list_filter = ["type", "profession", "commune__departement"]
    search_fields = ["titre", "employeur", "structure__nom"]
    raw_id_fields = ["commune", "structure"]
    date_hierarchy = "publiee_le"
    # The employer (structure) is offered within the user's perimeter like every foreign key (admin_perimetre).
