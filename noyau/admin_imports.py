"""The administration of an import record (zonages, structures): its progress page, its state in JSON for the progress
bar, and the relaunch of a failed import from its kept file. Each app's admin says where its template is, what its
report adds to the page, and which of its functions read the state and relaunch."""
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .depot_imports import RelanceImpossible
from .importation import Statut


class SuiviImportAdmin:
    """Mixin for a ModelAdmin of an EnregistrementImport subclass. Subclasses set `gabarit_suivi` and define
    `etat_import(record)` and `relancer_import(record, user)`; `contexte_suivi(record)` adds the report's context."""

    gabarit_suivi: str

    def etat_import(self, enregistrement) -> dict:
        raise NotImplementedError

    def relancer_import(self, enregistrement, utilisateur):
        raise NotImplementedError

    def contexte_suivi(self, enregistrement) -> dict:
        return {"enregistrement": enregistrement, "rapport": enregistrement.rapport or {}}

    def _nom_url(self, vue: str) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_{vue}"

    def url_suivi(self, enregistrement) -> str:
        return reverse(f"admin:{self._nom_url('suivi')}", args=[enregistrement.pk])

    def get_urls(self):
        vue = self.admin_site.admin_view
        return [
            path("<path:object_id>/suivi/", vue(self.vue_suivi), name=self._nom_url("suivi")),
            path("<path:object_id>/etat.json", vue(self.vue_etat), name=self._nom_url("etat")),
            path("<path:object_id>/relancer/", vue(self.vue_relancer), name=self._nom_url("relancer")),
        ] + super().get_urls()

    def _import_visible(self, request, object_id):
        enregistrement = self.get_object(request, unquote(object_id))
        if enregistrement is None:
            raise Http404("Import introuvable.")
        if not self.has_view_permission(request, enregistrement):
            raise PermissionDenied
        return enregistrement

    def vue_suivi(self, request, object_id):
        enregistrement = self._import_visible(request, object_id)
        etat = self.etat_import(enregistrement)  # first: it may find the import interrupted, and say so below
        contexte = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Import « {enregistrement.fichier_nom} »",
            "original": enregistrement,
            "etat": etat,
            "url_etat": reverse(f"admin:{self._nom_url('etat')}", args=[enregistrement.pk]),
            "peut_relancer": (enregistrement.statut == Statut.ECHOUE and bool(enregistrement.fichier)
                              and self.has_add_permission(request)),
            **self.contexte_suivi(enregistrement),
        }
        return TemplateResponse(request, self.gabarit_suivi, contexte)

    def vue_relancer(self, request, object_id):
        """POST: relaunches a failed import from its kept file (a new import), then shows the new one's progress."""
        ancien = self._import_visible(request, object_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            return redirect(self.url_suivi(ancien))
        try:
            with transaction.atomic():
                nouveau = self.relancer_import(ancien, request.user)
        except RelanceImpossible as exc:
            messages.error(request, f"Relance impossible : {exc}")
            return redirect(self.url_suivi(ancien))
        self.log_addition(request, nouveau, f"Relance de l'import n° {ancien.pk}")
        messages.success(request, f"Import n° {ancien.pk} relancé : voici le suivi du nouvel import.")
        return redirect(self.url_suivi(nouveau))

    def vue_etat(self, request, object_id):
        return JsonResponse(self.etat_import(self._import_visible(request, object_id)),
                            headers={"Cache-Control": "no-store"})
