"""Commune search: the search page and the autocomplete's suggestions."""
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .filtres import CommuneFilter
from .models import Commune
from .recherche import rechercher_communes

NOMBRE_SUGGESTIONS = 8


@require_GET
def recherche_communes(request):
    filtre = CommuneFilter(request.GET or None, queryset=Commune.objects.servies().select_related("departement")
                           .prefetch_related("codes_postaux").defer("contour"))
    recherche_lancee = bool(request.GET.get("q") or request.GET.get("departement") or request.GET.get("epci"))
    page = None
    if recherche_lancee and filtre.is_valid():
        page = Paginator(filtre.qs, 20).get_page(request.GET.get("page"))
    return render(request, "territoires/recherche.html", {
        "filtre": filtre, "page_obj": page, "recherche_lancee": recherche_lancee,
        "requete": request.GET.get("q", ""), "title": "Rechercher une commune",
    }, status=400 if recherche_lancee and not filtre.is_valid() else 200)


@require_GET
@cache_control(max_age=300, public=True)
def suggestions_communes(request):
    """Light JSON for the search box autocomplete (the API is for partners; this one is for the site's own UI)."""
    texte = request.GET.get("q", "")[:100]
    communes = rechercher_communes(texte).select_related("departement").prefetch_related("codes_postaux").defer("contour")
    return JsonResponse({"resultats": [
        {
            "code_insee": c.code_insee,
            "nom": c.nom,
            "departement": f"{c.departement.nom} ({c.departement_id})",
            "codes_postaux": c.codes_postaux_liste,
            "url": reverse("commune", args=[c.code_insee]),
        }
        for c in communes[:NOMBRE_SUGGESTIONS]
    ]})
