from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

from noyau.admin_imports import SuiviImportAdmin
from noyau.historique import HistoriqueAdmin

from .admin_formulaires import (
    FormulaireClassement,
    FormulaireImport,
    FormulairePlafond,
    FormulairePublication,
    FormulaireZonage,
)
from .admin_publication import LIMITE_AFFICHAGE, PERMISSION_PUBLIER, PublicationAdmin
from .depot import deposer, etat, relancer
from .differences import difference, resume_par_niveau, version_de_reference
from .exports import ecrire_difference, ecrire_version, nom_fichier_difference, nom_fichier_version
from .historique import modifications_de_niveau
from .imports.validation import COUVERTURES
from .models import QPV, Classement, ImportZonage, PlafondRegional, Publication, Zonage
from .niveaux import TYPES
from .publication import publication_annulable

# --- Zonages: versions, communes' levels, imports, QPV ------------------------------------------------------------
# Thin layer over the domain modules: depot (imports started here), differences, exports, publication, historique.



class HistoriqueSansRetour(HistoriqueAdmin):
    """The history page shows who, when, before → after. Reverting from it is disabled: it would bypass the
    publication rules (and the forms' checks) of the zonages."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


def _lien_admin(objet, texte=None):
    url = reverse(f"admin:{objet._meta.app_label}_{objet._meta.model_name}_change", args=[objet.pk])
    return format_html('<a href="{}">{}</a>', url, texte or objet)


@admin.register(Zonage)
class ZonageAdmin(PublicationAdmin, HistoriqueSansRetour):
    form = FormulaireZonage
    list_display = ["type", "reference_courte", "valid_from", "valid_to", "statut", "nb_communes", "annexe_csv"]
    list_filter = ["type", "statut"]
    search_fields = ["reference"]
    fields = ["type", "reference", "valid_from", "valid_to", "statut", "publie_le", "note_source", "import_d_origine"]
    history_list_display = ["statut", "valid_from", "valid_to"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("import_source").annotate(
            nombre_communes=Count("classements"))

    def get_readonly_fields(self, request, obj=None):
        lecture_seule = ["type", "statut", "publie_le", "import_d_origine"]
        if obj is not None and obj.statut == Zonage.Statut.PUBLIE:
            lecture_seule += ["valid_from", "valid_to"]  # only a new publication moves the dates in force
        return lecture_seule

    def has_add_permission(self, request):
        # A version is created by importing its file (see add_view).
        return request.user.has_perm("zonages.add_importzonage")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.statut == Zonage.Statut.PUBLIE:
            return False
        return super().has_delete_permission(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect(reverse("admin:zonages_importzonage_add"))

    @admin.display(description="référence (arrêté)", ordering="reference")
    def reference_courte(self, obj):
        return obj.reference if len(obj.reference) <= 80 else obj.reference[:79] + "…"

    @admin.display(description="communes", ordering="nombre_communes")
    def nb_communes(self, obj):
        return obj.nombre_communes

    @admin.display(description="annexe")
    def annexe_csv(self, obj):
        return format_html('<a href="{}">CSV</a> · <a href="{}">à imprimer</a>',
                           reverse("admin:zonages_zonage_export", args=[obj.pk]),
                           reverse("admin:zonages_zonage_annexe", args=[obj.pk]))

    @admin.display(description="import d'origine")
    def import_d_origine(self, obj):
        if not obj.import_source_id:
            return "—"
        source = obj.import_source
        return _lien_admin(source, f"{source.fichier_nom} ({source.get_statut_display()}, "
                                   f"{localtime(source.cree_le):%d/%m/%Y %H:%M})")

    def get_urls(self):
        vue = self.admin_site.admin_view
        return self.urls_publication() + [
            path("<path:object_id>/export.csv", vue(self.vue_export), name="zonages_zonage_export"),
            path("<path:object_id>/difference.csv", vue(self.vue_difference_csv), name="zonages_zonage_difference"),
        ] + super().get_urls()

    def _zonage_visible(self, request, object_id) -> Zonage:
        zonage = self.get_object(request, unquote(object_id))
        if zonage is None:
            raise Http404("Version de zonage introuvable.")
        if not self.has_view_or_change_permission(request, zonage):
            raise PermissionDenied
        return zonage

    def _version_comparee(self, request, zonage: Zonage) -> tuple[Zonage | None, str | None]:
        """The version to compare `zonage` with: `?avec=<id>` (same kind), `?avec=aucune`, or by default the one
        in force at its first day. Returns (version, error message for a bad parameter)."""
        avec = request.GET.get("avec", "").strip()
        if not avec:
            return version_de_reference(zonage), None
        if avec == "aucune":
            return None, None
        autre = Zonage.objects.filter(type=zonage.type, pk=avec).first() if avec.isdigit() else None
        if autre is None:
            return version_de_reference(zonage), (f"Version de comparaison « {avec} » inconnue pour ce type de "
                                                  "zonage : comparaison avec la version de référence.")
        return autre, None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        zonage = self.get_object(request, unquote(object_id))
        if zonage is not None and self.has_view_or_change_permission(request, zonage):
            comparee, erreur = self._version_comparee(request, zonage)
            if erreur:
                messages.warning(request, erreur)
            diff = difference(comparee, zonage)
            parametre = "aucune" if comparee is None else comparee.pk
            peut_publier = (zonage.statut == Zonage.Statut.BROUILLON and request.user.has_perm(PERMISSION_PUBLIER))
            extra_context = {
                **(extra_context or {}),
                "resume": resume_par_niveau(zonage),
                "difference": diff,
                "changements_affiches": diff.changements[:LIMITE_AFFICHAGE],
                "limite_affichage": LIMITE_AFFICHAGE,
                "versions_comparables": Zonage.objects.filter(type=zonage.type).exclude(pk=zonage.pk),
                "parametre_avec": parametre,
                "url_difference_csv": (reverse("admin:zonages_zonage_difference", args=[zonage.pk])
                                       + f"?avec={parametre}"),
                "url_export_csv": reverse("admin:zonages_zonage_export", args=[zonage.pk]),
                "url_classements": reverse("admin:zonages_classement_changelist") + f"?zonage__id__exact={zonage.pk}",
                "peut_publier": peut_publier,
                "formulaire_publication": FormulairePublication(zonage=zonage) if peut_publier else None,
                "publications": zonage.publications.select_related("precedente", "publie_par", "annulee_par")[:20],
                "annulable": (request.user.has_perm(PERMISSION_PUBLIER) and publication_annulable(zonage)),
                "url_annexe": reverse("admin:zonages_zonage_annexe", args=[zonage.pk]),
                **self.contexte_impact(request, zonage),
                "modifications": modifications_de_niveau(zonage),
                "show_save_and_add_another": False,  # "add" is the import form
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def contexte_impact(self, request, zonage: Zonage) -> dict:
        """Links to the effect of the version on the aids: none here; the portal's admin adds them."""
        return {}

    def vue_export(self, request, object_id):
        zonage = self._zonage_visible(request, object_id)
        reponse = HttpResponse(content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier_version(zonage)}"'
        ecrire_version(zonage, reponse)
        return reponse

    def vue_difference_csv(self, request, object_id):
        zonage = self._zonage_visible(request, object_id)
        comparee, erreur = self._version_comparee(request, zonage)
        if erreur:
            messages.error(request, erreur)
            return redirect(reverse("admin:zonages_zonage_change", args=[zonage.pk]))
        diff = difference(comparee, zonage)
        reponse = HttpResponse(content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier_difference(diff)}"'
        ecrire_difference(diff, reponse)
        return reponse


@admin.register(Classement)
class ClassementAdmin(HistoriqueSansRetour):
    form = FormulaireClassement
    list_display = ["commune", "departement", "niveau", "libelle_niveau", "zonage"]
    list_filter = ["zonage__type", "zonage__statut", "zonage", "niveau"]
    search_fields = ["commune__code_insee", "commune__nom", "commune__nom_normalise"]
    list_select_related = ["commune", "zonage"]
    raw_id_fields = ["zonage"]
    autocomplete_fields = ["commune"]
    history_list_display = ["niveau"]

    def get_readonly_fields(self, request, obj=None):
        return ["zonage", "commune"] if obj is not None else []

    @admin.display(description="département", ordering="commune__departement_id")
    def departement(self, obj):
        return obj.commune.departement_id

    @admin.display(description="libellé")
    def libelle_niveau(self, obj):
        niveau = obj.niveau_detail
        return niveau.libelle if niveau else "—"


RESULTATS = {ImportZonage.Statut.VALIDE: "valide (essai à blanc)", ImportZonage.Statut.REJETE: "rejeté",
             ImportZonage.Statut.ECHOUE: "échoué"}


@admin.register(ImportZonage)
class ImportZonageAdmin(SuiviImportAdmin, admin.ModelAdmin):
    """Imports are records: read only. "Ajouter" is the upload form; the import then runs as a Celery task."""

    # What an agent looks for first (the outcome, its errors, the version it made) before the counts.
    list_display = ["depose_le", "fichier_nom", "resultat", "nb_erreurs", "version_creee", "type"]
    list_display_links = ["depose_le", "fichier_nom"]

    class Media:
        css = {"all": ["css/admin_zonages.css"]}  # the list's narrow columns
    list_filter = ["statut", "type", "essai"]
    search_fields = ["fichier_nom", "sha256"]
    list_select_related = ["utilisateur"]
    fieldsets = [
        (None, {"fields": ["fichier_nom", "type", "format", "essai", "statut", "suivi", "utilisateur", "cree_le",
                           "termine_le", "sha256", "parametres_demandes"]}),
        ("Rapport", {"fields": ["rapport_detaille"]}),
    ]
    readonly_fields = ["fichier_nom", "type", "format", "essai", "statut", "suivi", "utilisateur", "cree_le",
                       "termine_le", "sha256", "parametres_demandes", "rapport_detaille"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="déposé le", ordering="cree_le")
    def depose_le(self, obj):
        return f"{localtime(obj.cree_le):%d/%m/%Y %H:%M}"

    @admin.display(description="résultat", ordering="statut")
    def resultat(self, obj):
        """The status in a word (the list's column is narrow; the record says it in full)."""
        mot = RESULTATS.get(obj.statut, obj.get_statut_display())
        return mot + (" (essai à blanc)" if obj.essai and obj.statut != obj.Statut.VALIDE else "")

    @admin.display(description="version créée")
    def version_creee(self, obj):
        zonage_id = (obj.rapport or {}).get("zonage_id")
        if not zonage_id or obj.statut != ImportZonage.Statut.IMPORTE:
            return "—"
        return format_html('<a href="{}">n° {}</a>', reverse("admin:zonages_zonage_change", args=[zonage_id]),
                           zonage_id)

    @admin.display(description="suivi")
    def suivi(self, obj):
        return format_html('<a href="{}">Page de suivi de l\'import</a>',
                           reverse("admin:zonages_importzonage_suivi", args=[obj.pk]))

    @admin.display(description="paramètres demandés")
    def parametres_demandes(self, obj):
        p = obj.parametres or {}
        lignes = [("Référence", p.get("reference")), ("En vigueur du", p.get("valid_from")),
                  ("Jusqu'au", p.get("valid_to") or "sans date de fin"), ("Note", p.get("note_source")),
                  ("Colonne du code", p.get("colonne_code")), ("Colonne du niveau", p.get("colonne_niveau")),
                  ("Communes absentes", COUVERTURES.get(p.get("couverture", ""))),
                  ("Motif", p.get("motif_couverture")), ("Lancé depuis", p.get("origine"))]
        return format_html_join(mark_safe("<br>"), "{} : {}", ((k, v) for k, v in lignes if v))

    @admin.display(description="rapport")
    def rapport_detaille(self, obj):
        return render_to_string("admin/zonages/importzonage/_rapport.html", _contexte_rapport(obj))

    gabarit_suivi = "admin/zonages/importzonage/suivi.html"

    def etat_import(self, enregistrement):
        return etat(enregistrement)

    def relancer_import(self, enregistrement, utilisateur):
        return relancer(enregistrement, utilisateur)

    def contexte_suivi(self, enregistrement):
        return _contexte_rapport(enregistrement)

    def add_view(self, request, form_url="", extra_context=None):
        """The "Importer un fichier" form: records the import, queues it, then shows its progress."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            formulaire = FormulaireImport(request.POST, request.FILES)
            if formulaire.is_valid():
                try:
                    with transaction.atomic():
                        enregistrement = deposer(formulaire.cleaned_data["fichier"], formulaire.demande(),
                                                 request.user)
                except (OSError, ValueError) as exc:
                    formulaire.add_error("fichier", f"Le fichier n'a pas pu être enregistré : {exc}")
                else:
                    self.log_addition(request, enregistrement, "Import déposé")
                    return redirect(reverse("admin:zonages_importzonage_suivi", args=[enregistrement.pk]))
        else:
            formulaire = FormulaireImport(initial=self._initial_import(request))
        contexte = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Importer un fichier de zonage",
            "formulaire": formulaire,
            "media": self.media + formulaire.media,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/zonages/importzonage/importer.html", contexte)

    def _initial_import(self, request) -> dict:
        """`?depuis=<import>`: the parameters of a previous import (imported again, e.g. with the kind its report
        suggests); `?type=<kind>`: the kind."""
        initial = {}
        depuis = request.GET.get("depuis", "")
        if depuis.isdigit():
            precedent = self.get_object(request, depuis)
            if precedent is not None and self.has_view_permission(request, precedent):
                initial = FormulaireImport.initial_depuis(precedent.parametres or {})
        if request.GET.get("type"):
            initial["type"] = request.GET["type"]
        return initial


def _contexte_rapport(enregistrement: ImportZonage) -> dict:
    rapport = enregistrement.rapport or {}
    type_zonage = TYPES.get(enregistrement.type)
    niveaux = []
    if type_zonage:  # in the kind's order of levels (the report counts them by frequency)
        comptes = rapport.get("niveaux") or {}
        ordre = [n.code for n in type_zonage.niveaux]
        for code in ordre + sorted(set(comptes) - set(ordre)):
            if code in comptes:
                niveau = type_zonage.niveau(code)
                niveaux.append({"code": code, "libelle": niveau.libelle if niveau else code, "communes": comptes[code]})
    zonage_id = rapport.get("zonage_id")
    suggere = rapport.get("type_suggere")
    cree = (enregistrement.statut == ImportZonage.Statut.IMPORTE and not enregistrement.essai and zonage_id
            and Zonage.objects.filter(pk=zonage_id).exists())
    return {
        "enregistrement": enregistrement,
        "rapport": rapport,
        "termine": enregistrement.termine,
        "niveaux": niveaux,
        "erreurs_tronquees": rapport.get("nb_erreurs", 0) - len(rapport.get("erreurs", [])),
        "avertissements_tronques": rapport.get("nb_avertissements", 0) - len(rapport.get("avertissements", [])),
        "url_version": reverse("admin:zonages_zonage_change", args=[zonage_id]) if cree else None,
        "est_qpv": enregistrement.type == "qpv",
        "type_suggere": suggere,
        "url_reimporter": (reverse("admin:zonages_importzonage_add") + "?" + urlencode(
            {"depuis": enregistrement.pk, "type": suggere["code"]})) if suggere else None,
        "couverture": COUVERTURES.get(rapport.get("couverture") or enregistrement.parametres.get("couverture", "")),
        "motif_couverture": (enregistrement.parametres or {}).get("motif_couverture", ""),
        "base": Zonage.objects.filter(pk=rapport["base_id"]).first() if rapport.get("base_id") else None,
    }


@admin.register(QPV)
class QPVAdmin(HistoriqueSansRetour):
    list_display = ["code", "nom", "valid_from", "valid_to", "import_source"]
    search_fields = ["code", "nom"]
    list_filter = ["valid_to"]
    exclude = ["geometrie"]
    autocomplete_fields = ["communes"]
    readonly_fields = ["import_source"]

    def has_add_permission(self, request):
        return False  # QPV come from the ANCT GeoJSON, through an import


@admin.register(Publication)
class PublicationZonageAdmin(admin.ModelAdmin):
    """The record of publications and their undoing: read only (publishing and undoing are done from a version)."""

    list_display = ["publie_le", "zonage", "date_effet", "precedente", "publie_par", "annulee_le", "annulee_par"]
    list_filter = ["zonage__type"]
    list_select_related = ["zonage", "precedente", "publie_par", "annulee_par"]
    readonly_fields = ["zonage", "date_effet", "valid_from_avant", "precedente", "precedente_valid_to_avant",
                       "publie_par", "publie_le", "annulee_le", "annulee_par", "motif_annulation"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlafondRegional)
class PlafondRegionalAdmin(HistoriqueAdmin):
    form = FormulairePlafond
    list_display = ["region_nom", "type", "libelle_niveau", "part_maximale", "source", "modifie_le"]
    list_filter = ["region", "type"]
    history_list_display = ["region", "part_maximale", "source"]

    @admin.display(description="région", ordering="region")
    def region_nom(self, obj):
        return f"{obj.get_region_display()} ({obj.region})"

    @admin.display(description="niveau", ordering="niveau")
    def libelle_niveau(self, obj):
        niveau = TYPES[obj.type].niveau(obj.niveau) if obj.type in TYPES else None
        return f"{niveau.libelle} ({obj.niveau})" if niveau else obj.niveau
