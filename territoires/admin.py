"""Admin of the territories (read mostly: they come from the reference load) and of staff accounts with their
délégation perimeter."""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from noyau.admin import TabulaireAccessible

from .models import EPCI, CodePostal, Commune, CommuneRattachee, Departement, PerimetreAgent, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom"]
    exclude = ["contour"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region"]
    list_filter = ["region"]
    exclude = ["contour"]


@admin.register(EPCI)
class EPCIAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "type", "population"]
    list_filter = ["type"]
    search_fields = ["code", "nom"]


class CodePostalInline(TabulaireAccessible):
    model = CodePostal
    extra = 0


class CommuneRattacheeInline(TabulaireAccessible):
    model = CommuneRattachee
    extra = 0
    fk_name = "commune"


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code_insee", "nom", "departement", "epci", "population"]
    list_filter = ["departement"]
    search_fields = ["code_insee", "nom", "nom_normalise"]
    list_select_related = ["departement", "epci"]
    autocomplete_fields = ["epci"]
    readonly_fields = ["longitude", "latitude"]
    exclude = ["contour"]
    inlines = [CodePostalInline, CommuneRattacheeInline]


@admin.register(CommuneRattachee)
class CommuneRattacheeAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "type", "commune"]
    list_filter = ["type"]
    search_fields = ["code", "nom", "commune__nom"]
    raw_id_fields = ["commune"]


class PerimetreInline(admin.StackedInline):
    model = PerimetreAgent
    can_delete = False
    filter_horizontal = ["departements", "regions"]
    verbose_name_plural = "périmètre de délégation (départements ou régions)"


admin.site.unregister(User)


@admin.register(User)
class UtilisateurAdmin(UserAdmin):
    inlines = [PerimetreInline]
