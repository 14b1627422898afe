"""The délégation perimeter in the admin: a mixin for the ModelAdmins and inlines of records that a délégation
départementale edits within its départements only (see habilitations.py).

Every foreign key and many-to-many field of their forms offers only records of the perimeter: communes and
départements of its départements, and records of any model whose own admin is restricted by this mixin (a CPTS, a
structure…), as that admin lists them. An id typed outside them in a crafted submission is refused like an unknown
one, saying so."""
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
        return super().formfield_for_foreignkey(db_field, request, **self._avec_choix_territoriaux(db_field, request,
                                                                                                    kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return super().formfield_for_manytomany(db_field, request, **self._avec_choix_territoriaux(db_field, request,
                                                                                                    kwargs))

    def _avec_choix_territoriaux(self, db_field, request, kwargs: dict) -> dict:
        """`kwargs` with, for a restricted user, only the records of their perimeter to choose from."""
        codes = habilitations.departements_autorises(request.user)
        if codes is None:
            return kwargs
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.all()
        restreint = self._dans_le_perimetre(queryset, request, codes)
        if restreint is None:
            return kwargs  # a model without territory (a user…)
        messages = {"invalid_choice": habilitations.MESSAGE_CHOIX_HORS_PERIMETRE,
                    "invalid_pk_value": habilitations.MESSAGE_CHOIX_HORS_PERIMETRE}
        return {**kwargs, "queryset": restreint, "error_messages": {**kwargs.get("error_messages", {}), **messages}}

    def _dans_le_perimetre(self, queryset, request, codes):
        modele = queryset.model
        if modele is Commune:
            return queryset.filter(departement__in=codes)
        if modele is Departement:
            return queryset.filter(code__in=codes)
        admin_du_modele = self.admin_site._registry.get(modele)
        if isinstance(admin_du_modele, PerimetreDepartementalAdmin):
            return habilitations.restreindre(queryset, request.user, admin_du_modele.chemin_departement)
        return None
