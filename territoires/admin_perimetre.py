"""The délégation perimeter in the admin: a mixin for the ModelAdmins and inlines of records that a délégation
départementale edits within its départements only (see habilitations.py)."""
from django.contrib.admin.options import InlineModelAdmin

from . import habilitations
from .models import Commune, Departement


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
