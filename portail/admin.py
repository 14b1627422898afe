"""The reference loads' records, read only: which files, when, what they changed, and every warning."""
from django.contrib import admin
from django.template.loader import render_to_string

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
