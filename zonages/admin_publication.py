"""The publication of a zonage version in the administration, made safe: a confirmation page recaps what changes
(the communes and population of the difference, the effect on aids when the portal adds it, the effective date and
the version it ends) before anything is written; a publication can be undone, restoring the previous version as it
was. Thin views over zonages.publication; mixed into ZonageAdmin.
"""
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .admin_formulaires import FormulaireAnnulation, FormulairePublication
from .differences import difference
from .exports import annexe
from .models import Zonage
from .publication import a_annuler, annuler_publication, apercu, publier

PERMISSION_PUBLIER = "zonages.publier_zonage"
LIMITE_AFFICHAGE = 300  # communes listed on a page; every one is in the CSV exports


class PublicationAdmin:
    """Views of ZonageAdmin for publishing, undoing a publication, and the printable annex."""

    def urls_publication(self):
        vue = self.admin_site.admin_view
        return [
            path("<path:object_id>/publier/", vue(self.vue_publier), name="zonages_zonage_publier"),
            path("<path:object_id>/annuler-publication/", vue(self.vue_annuler_publication),
                 name="zonages_zonage_annuler_publication"),
            path("<path:object_id>/annexe/", vue(self.vue_annexe), name="zonages_zonage_annexe"),
        ]

    def impact_de(self, request, zonage: Zonage, avant: Zonage | None, jour):
        """The effect of the version on the aids, for the confirmation page: none here (zonages knows no aid); the
        portal's admin (portail/admin.py) computes it."""
        return None

    def _contexte(self, request, zonage: Zonage, titre: str) -> dict:
        return {**self.admin_site.each_context(request), "opts": self.model._meta, "original": zonage,
                "title": titre, "url_fiche": reverse("admin:zonages_zonage_change", args=[zonage.pk])}

    def vue_publier(self, request, object_id):
        """GET (or POST without confirmation): the confirmation page. POST with confirmation: publishes."""
        zonage = self._zonage_visible(request, object_id)
        if not request.user.has_perm(PERMISSION_PUBLIER):
            raise PermissionDenied
        fiche = reverse("admin:zonages_zonage_change", args=[zonage.pk])
        formulaire = FormulairePublication(request.POST if request.method == "POST" else request.GET, zonage=zonage)
        if not formulaire.is_valid():
            messages.error(request, "Publication impossible : date d'effet manquante ou invalide (format JJ/MM/AAAA).")
            return redirect(fiche)
        date_effet = formulaire.cleaned_data["date_effet"]
        try:
            prevu = apercu(zonage, date_effet)
        except ValidationError as exc:
            messages.error(request, "Publication refusée : " + " ".join(exc.messages))
            return redirect(fiche)
        if request.method == "POST" and formulaire.cleaned_data["confirmation"]:
            return self._publier(request, zonage, date_effet, fiche)
        diff = difference(prevu.precedente, zonage)
        contexte = {
            **self._contexte(request, zonage, "Confirmer la publication"),
            "apercu": prevu,
            "difference": diff,
            "changements_affiches": diff.changements[:LIMITE_AFFICHAGE],
            "limite_affichage": LIMITE_AFFICHAGE,
            "impact": self.impact_de(request, zonage, prevu.precedente, prevu.debut),
            "formulaire": formulaire,
        }
        return TemplateResponse(request, "admin/zonages/zonage/confirmer_publication.html", contexte)

    def _publier(self, request, zonage, date_effet, fiche):
        try:
            precedente = publier(zonage, date_effet, request.user)
        except ValidationError as exc:
            messages.error(request, "Publication refusée : " + " ".join(exc.messages))
            return redirect(fiche)
        message = f"Version publiée, en vigueur à partir du {date_effet:%d/%m/%Y}."
        if precedente is not None:
            message += f" La version précédente ({precedente.reference}) prend fin le {precedente.valid_to:%d/%m/%Y}."
        self.log_change(request, zonage, message)
        messages.success(request, message + " Vous pouvez annuler cette publication depuis cette page.")
        return redirect(fiche)

    def vue_annuler_publication(self, request, object_id):
        """GET: what undoing restores, and the form. POST: undoes the publication."""
        zonage = self._zonage_visible(request, object_id)
        if not request.user.has_perm(PERMISSION_PUBLIER):
            raise PermissionDenied
        fiche = reverse("admin:zonages_zonage_change", args=[zonage.pk])
        try:
            publication = a_annuler(zonage)
        except ValidationError as exc:
            messages.error(request, "Annulation impossible : " + " ".join(exc.messages))
            return redirect(fiche)
        formulaire = FormulaireAnnulation(request.POST if request.method == "POST" else None)
        if request.method == "POST" and formulaire.is_valid():
            try:
                annuler_publication(zonage, request.user, formulaire.cleaned_data["motif"])
            except ValidationError as exc:
                messages.error(request, "Annulation impossible : " + " ".join(exc.messages))
                return redirect(fiche)
            message = "Publication annulée : la version est de nouveau un brouillon."
            if publication.precedente is not None:
                fin = publication.precedente_valid_to_avant
                message += (f" La version « {publication.precedente.reference} » est rétablie telle qu'elle était ("
                            + (f"jusqu'au {fin:%d/%m/%Y}" if fin else "sans date de fin") + ").")
            self.log_change(request, zonage, message)
            messages.success(request, message)
            return redirect(fiche)
        contexte = {**self._contexte(request, zonage, "Annuler la publication"), "publication": publication,
                    "formulaire": formulaire}
        return TemplateResponse(request, "admin/zonages/zonage/annuler_publication.html", contexte)

    def vue_annexe(self, request, object_id):
        """The annex of the version's arrêté, to print: its references, then its communes by level."""
        zonage = self._zonage_visible(request, object_id)
        niveaux = annexe(zonage)
        contexte = {
            "zonage": zonage, "niveaux": niveaux, "source": zonage.import_source,
            "nb_communes": sum(len(n.communes) for n in niveaux),
            "population": sum(n.population for n in niveaux),
            "url_csv": reverse("admin:zonages_zonage_export", args=[zonage.pk]),
            "url_fiche": reverse("admin:zonages_zonage_change", args=[zonage.pk]),
        }
        return TemplateResponse(request, "admin/zonages/zonage/annexe.html", contexte)
