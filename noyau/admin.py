"""Admin building blocks shared by the apps (nothing is registered here)."""
from django.contrib import admin


class TabulaireAccessible(admin.TabularInline):
    """A tabular inline whose inputs carry their column's name: Django's table puts the labels in the header only,
    so each input had no accessible name (axe: label, select-name)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for champ in formset.form.base_fields.values():
            champ.widget.attrs.setdefault("aria-label", str(champ.label))
        return formset
