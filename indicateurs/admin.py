from django.contrib import admin

from .models import ValeurApl


@admin.register(ValeurApl)
class ValeurAplAdmin(admin.ModelAdmin):
    """Published figures, loaded from the DREES files: read only."""

    list_display = ["commune", "annee", "apl", "apl_moins_65_ans", "fichier"]
    list_filter = ["annee", "commune__departement"]
    search_fields = ["commune__code_insee", "commune__nom"]
    list_select_related = ["commune"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
