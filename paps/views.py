import csv

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aides import catalogue
from zonages.models import Commune, Departement

from .sante import etat_base, etat_broker, etat_cache
from .tableau_de_bord import indicateurs


@require_GET
def accueil(request):
    return render(request, "pages/accueil.html", {"nombre_communes": Commune.objects.count()})


def page(gabarit: str, titre: str, **contexte):
    """A plain content page of the site."""

    @require_GET
    def vue(request):
        return render(request, gabarit, {"title": titre, **contexte})

    return vue


@require_GET
@never_cache
def healthz(request):
    etats = {"base_de_donnees": etat_base(), "cache": etat_cache(), "broker": etat_broker()}
    ok = etats["base_de_donnees"]["etat"] == "ok"
    return JsonResponse({"statut": "ok" if ok else "erreur", **etats}, status=200 if ok else 503)


def erreur_404(request, exception=None):
    return render(request, "404.html", {"title": "Page introuvable", "message": _message(exception)}, status=404)


def _message(exception) -> str:
    # Only our own French messages are shown; Django's technical ones ("No X matches…") are not.
    texte = str(exception or "")
    return texte if texte.startswith("Aucune") else ""


@require_GET
def tableau_de_bord(request, departement: str | None = None):
    """Region (or one département: the "focus" with its main installation measures), with tables and CSV."""
    nom = None
    if departement is not None:
        dep = Departement.objects.filter(code=departement, region_id=settings.PAPS_REGION).first()
        if dep is None:
            raise Http404(f"Aucun département « {departement} » dans la région.")
        nom = dep.nom
    donnees = indicateurs(departement)
    if request.GET.get("format") == "csv":
        reponse = HttpResponse(content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = f'attachment; filename="tableau-de-bord-{donnees.perimetre}-{donnees.jour}.csv"'
        reponse.write("\ufeff")
        ecrivain = csv.writer(reponse, delimiter=";")
        for ligne in donnees.lignes_csv():
            ecrivain.writerow(ligne)
        return reponse
    mesures = [d for d in catalogue.dispositifs() if "medecin-generaliste" in d.professions
               and "installation" in d.etapes and d.version_le(donnees.jour)] if departement else []
    return render(request, "pages/tableau_de_bord.html", {
        "title": f"Tableau de bord — {nom}" if nom else "Tableau de bord régional", "indicateurs": donnees,
        "departement": departement, "nom_departement": nom, "mesures": mesures,
        "departements": Departement.objects.filter(region_id=settings.PAPS_REGION),
    })
