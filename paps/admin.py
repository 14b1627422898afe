"""Staff accounts (with the délégation perimeter) and the admin side of territorial restrictions."""
from django.contrib import admin
from django.contrib.admin.options import InlineModelAdmin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from zonages.models import Commune, Departement

from . import habilitations
from .models import PerimetreAgent


class PerimetreDepartementalAdmin:
    """Mixin for ModelAdmins and inlines of records a délégation départementale edits within its départements only:
    other records are neither listed nor reachable, and communes/départements offered in forms are its own."""

    chemin_departement: str  # FK/M2M path from the model to Departement, e.g. "commune__departement"

    def get_queryset(self, request):
        return habilitations.restreindre(super().get_queryset(request), request.user, self.chemin_departement)

    def _objet_autorise(self, request, obj) -> bool:
        if isinstance(self, InlineModelAdmin):
            return True  # `obj` is the parent record, which its own admin checks
        return obj is None or obj.pk is None or habilitations.objet_autorise(request.user, obj, self.chemin_departement)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._objet_autorise(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._objet_autorise(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._objet_autorise(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return super().formfield_for_foreignkey(db_field, request, **_avec_choix_territoriaux(db_field, request, kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **_avec_choix_territoriaux(db_field, request, kwargs))


def _avec_choix_territoriaux(db_field, request, kwargs: dict) -> dict:
    """`kwargs` with, for a restricted user, only the communes or départements of their perimeter to choose from."""
    codes = habilitations.departements_autorises(request.user)
    if codes is not None and "queryset" not in kwargs:
        if db_field.related_model is Commune:
            kwargs["queryset"] = Commune.objects.filter(departement__in=codes)
        elif db_field.related_model is Departement:
            kwargs["queryset"] = Departement.objects.filter(code__in=codes)
    return kwargs


class TabulaireAccessible(admin.TabularInline):
    """A tabular inline whose inputs carry their column's name: Django's table puts the labels in the header only,
    so each input had no accessible name (axe: label, select-name)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for champ in formset.form.base_fields.values():
            champ.widget.attrs.setdefault("aria-label", str(champ.label))
        return formset


class PerimetreInline(admin.StackedInline):
    model = PerimetreAgent
    can_delete = False
    filter_horizontal = ["departements"]
    verbose_name_plural = "périmètre de délégation départementale"


admin.site.unregister(User)


@admin.register(User)
class UtilisateurAdmin(UserAdmin):
    inlines = [PerimetreInline]
