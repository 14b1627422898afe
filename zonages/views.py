import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from aides.simulation import aides_par_profession

from .consultation import qpv_de_la_commune, zonages_de
from .filtres import CommuneFilter
from .models import Commune, CommuneRattachee
from .niveaux import TYPES
from .recherche import rechercher_communes

NOMBRE_SUGGESTIONS = 8


@require_GET
def recherche_communes(request):
    filtre = CommuneFilter(request.GET or None, queryset=Commune.objects.select_related("departement")
                           .prefetch_related("codes_postaux").defer("contour"))
    recherche_lancee = bool(request.GET.get("q") or request.GET.get("departement") or request.GET.get("epci"))
    page = None
    if recherche_lancee and filtre.is_valid():
        page = Paginator(filtre.qs, 20).get_page(request.GET.get("page"))
    return render(request, "zonages/recherche.html", {
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


@require_GET
def commune(request, code_insee: str):
    try:
        commune = (Commune.objects.select_related("departement__region", "epci")
                   .defer("departement__contour", "departement__region__contour")
                   .prefetch_related("codes_postaux", "communes_rattachees").get(code_insee=code_insee.upper()))
    except Commune.DoesNotExist:
        rattachee = CommuneRattachee.objects.filter(code=code_insee.upper()).first()
        if rattachee:
            return redirect("commune", code_insee=rattachee.commune_id, permanent=True)
        raise Http404(f"Aucune commune n'a le code INSEE « {code_insee} ».") from None
    jour, erreur_date = _date_demandee(request.GET.get("date"))
    zonages = zonages_de(commune.code_insee, jour)
    return render(request, "zonages/commune.html", {
        "commune": commune, "title": commune.nom, "tuiles_url": settings.LEAFLET_CONFIG["TILES"][0][1],
        "jour": jour, "aujourd_hui": jour == datetime.date.today(), "erreur_date": erreur_date,
        "zonages_professions": [z for z in zonages.values() if TYPES[z.type].famille == "profession"],
        "zonages_superpositions": [z for z in zonages.values() if TYPES[z.type].famille == "superposition"],
        "qpv": qpv_de_la_commune(commune.code_insee, jour),
        "aides_par_profession": aides_par_profession(commune, jour),
    }, status=400 if erreur_date else 200)


def _date_demandee(texte: str | None) -> tuple[datetime.date, str]:
    """The date the user asked for (default today), or today with a message when it is not a date."""
    if not texte:
        return datetime.date.today(), ""
    try:
        return datetime.date.fromisoformat(texte), ""
    except ValueError:
        return datetime.date.today(), f"« {texte} » n'est pas une date valide : les zonages affichés sont ceux d'aujourd'hui."
