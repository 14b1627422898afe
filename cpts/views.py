from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .consultation import couverture, cpts_detaillee, cpts_publiques
from .filtres import CptsFilter
from .financement import tranche_aci_de
from .models import Cpts


@require_GET
def liste(request):
    """The CPTS, filtered by the same FilterSet as the API, with the coverage map of their communes."""
    filtre = CptsFilter(request.GET, queryset=cpts_publiques())
    valide = filtre.is_valid()
    liste_cpts = list(filtre.qs) if valide else []
    return render(request, "cpts/liste.html", {
        "title": "Communautés professionnelles territoriales de santé (CPTS)", "filtre": filtre,
        "liste_cpts": liste_cpts, "couverture": couverture(filtre.qs) if valide else {},
        "tuiles_url": settings.LEAFLET_CONFIG["TILES"][0][1],
    }, status=200 if valide else 400)


@require_GET
def detail(request, pk: int):
    cpts = cpts_detaillee().filter(pk=pk).first()
    if cpts is None:
        raise Http404(f"Aucune CPTS n'a le numéro {pk}.")
    missions = list(cpts.missions.all())
    return render(request, "cpts/detail.html", {
        "title": cpts.nom, "cpts": cpts, "territoires": cpts.territoires_le(),
        "population_calculee": cpts.population_calculee(), "aci": tranche_aci_de(cpts),
        "missions_socle": [m for m in missions if m.socle], "missions_optionnelles": [m for m in missions if not m.socle],
        "ecart_population": _ecart(cpts),
    })


def _ecart(cpts: Cpts) -> bool:
    calculee = cpts.population_calculee()
    return calculee is not None and cpts.population_declaree is not None and calculee != cpts.population_declaree
