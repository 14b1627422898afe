from django.contrib import admin

from .models import EPCI, CodePostal, Commune, CommuneRattachee, Departement, Region


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


class CodePostalInline(admin.TabularInline):
    model = CodePostal
    extra = 0


class CommuneRattacheeInline(admin.TabularInline):
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
