"""The portal's admin: the reference loads' records (read only: which files, when, what they changed, every
warning), and the zonage versions' admin extended with their effect on the aids (portail/impact.py)."""
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from zonages.admin import LIMITE_AFFICHAGE, ZonageAdmin
from zonages.models import Zonage

from .impact import ecrire_csv, impact_de_version, nom_fichier_csv
from .models import ChargementReferentiel


@admin.register(ChargementReferentiel)
class ChargementReferentielAdmin(admin.ModelAdmin):
    list_display = ["cree_le", "nature", "fichier_nom", "statut", "lignes_lues", "nb_avertissements"]
    list_filter = ["nature", "statut"]
    search_fields = ["fichier_nom", "sha256"]
    fields = ["nature", "fichier_nom", "statut", "origine", "cree_le", "termine_le", "sha256", "lignes_lues",
              "nb_erreurs", "nb_avertissements", "rapport_detaille"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # made by charger_referentiels only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="rapport")
    def rapport_detaille(self, obj):
        rapport = obj.rapport or {}
        return render_to_string("admin/portail/chargementreferentiel/_rapport.html", {
            "enregistrement": obj, "rapport": rapport, "comptes": _lignes_comptes(obj.comptes),
            "avertissements_tronques": rapport.get("nb_avertissements", 0) - len(rapport.get("avertissements", [])),
        })


def _lignes_comptes(comptes: dict) -> list[tuple[str, str]]:
    """(what, how many) in French, whatever the loader counted: numbers, lists of names, or counts per table."""
    libelles = {"crees": "créé(s)", "modifies": "modifié(s)", "inchanges": "inchangé(s)", "supprimes": "supprimé(s)",
                "absents_de_la_source": "en base absent(s) de la source (conservé(s))", "creees": "créée(s)",
                "modifiees": "modifiée(s)", "inchangees": "inchangée(s)", "completees": "complétée(s)",
                "rattachements": "communes rattachées", "communes": "communes", "hors_region": "hors région",
                "sans_valeur": "communes sans valeur", "annee": "année"}
    lignes = []
    for cle, valeur in comptes.items():
        if isinstance(valeur, dict):
            if cle == "ignores":
                lignes += [(f"ignorés : {raison}", str(n)) for raison, n in valeur.items()]
            else:
                lignes.append((cle, ", ".join(f"{n} {libelles.get(c, c)}" for c, n in valeur.items() if n)
                               or "aucun"))
        elif isinstance(valeur, list):
            lignes.append((libelles.get(cle, cle), f"{len(valeur)}" + (f" : {', '.join(map(str, valeur))}"
                                                                      if valeur else "")))
        else:
            lignes.append((libelles.get(cle, cle), str(valeur)))
    return lignes


# --- Zonages: the effect of a version on the aids -----------------------------------------------------------------
# The zonages app knows no aid; the portal, which combines them, extends its version admin with the impact page, its
# CSV, and the impact shown on the publication's confirmation page.

class ZonageAvecImpactAdmin(ZonageAdmin):
    def get_urls(self):
        vue = self.admin_site.admin_view
        return [
            path("<path:object_id>/impact/", vue(self.vue_impact), name="zonages_zonage_impact"),
            path("<path:object_id>/impact.csv", vue(self.vue_impact_csv), name="zonages_zonage_impact_csv"),
        ] + super().get_urls()

    def contexte_impact(self, request, zonage):
        return {"url_impact": reverse("admin:zonages_zonage_impact", args=[zonage.pk]),
                "url_impact_csv": reverse("admin:zonages_zonage_impact_csv", args=[zonage.pk])}

    def impact_de(self, request, zonage, avant, jour):
        return impact_de_version(zonage, avant, jour, comparer_a_la_reference=False)

    def _impact(self, request, object_id):
        zonage = self._zonage_visible(request, object_id)
        comparee, erreur = self._version_comparee(request, zonage)
        return zonage, impact_de_version(zonage, comparee, comparer_a_la_reference=False), comparee, erreur

    def vue_impact(self, request, object_id):
        zonage, impact, comparee, erreur = self._impact(request, object_id)
        if erreur:
            messages.warning(request, erreur)
        parametre = "aucune" if comparee is None else comparee.pk
        contexte = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "original": zonage,
            "title": "Impact sur les aides", "impact": impact,
            "url_fiche": reverse("admin:zonages_zonage_change", args=[zonage.pk]),
            "url_impact_csv": reverse("admin:zonages_zonage_impact_csv", args=[zonage.pk]) + f"?avec={parametre}",
            "url_plafonds": reverse("admin:zonages_plafondregional_changelist") + f"?type__exact={zonage.type}",
            "peut_saisir_plafonds": request.user.has_perm("zonages.add_plafondregional"),
            "versions_comparables": Zonage.objects.filter(type=zonage.type).exclude(pk=zonage.pk),
            "parametre_avec": parametre,
            "limite_affichage": LIMITE_AFFICHAGE,
        }
        return TemplateResponse(request, "admin/zonages/zonage/impact.html", contexte)

    def vue_impact_csv(self, request, object_id):
        zonage, impact, _, erreur = self._impact(request, object_id)
        if erreur:
            messages.warning(request, erreur)
            return redirect(reverse("admin:zonages_zonage_impact", args=[zonage.pk]))
        reponse = HttpResponse(content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier_csv(impact, f"v{zonage.pk}")}"'
        ecrire_csv(impact, reponse)
        return reponse


admin.site.unregister(Zonage)
admin.site.register(Zonage, ZonageAvecImpactAdmin)
