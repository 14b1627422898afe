from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .consultation import (effectifs_ordonnes, offres_visibles, points_carte, registres, structure_detaillee,
                           structures_publiques)
from .filtres import OffreFilter, StructureFilter
from .models import Offre, Structure, Type

TAILLE_PAGE = 20


@require_GET
def liste(request):
    """The structures, filtered by the same FilterSet as the API, paginated, with a map of the filtered ones."""
    filtre = StructureFilter(request.GET, queryset=structures_publiques())
    valide = filtre.is_valid()
    structures = filtre.qs if valide else Structure.objects.none()
    page = Paginator(structures, TAILLE_PAGE).get_page(request.GET.get("page"))
    return render(request, "structures/liste.html", {
        "title": "Structures d'exercice coordonné", "filtre": filtre, "page_obj": page,
        "points": points_carte(structures) if valide else [],
        "registres": registres(structures) if valide else [],
        "tuiles_url": settings.LEAFLET_CONFIG["TILES"][0][1], "types": dict(Type.choices),
    }, status=200 if valide else 400)


@require_GET
def detail(request, pk: int):
    structure = structure_detaillee().filter(pk=pk).first()
    if structure is None:
        raise Http404(f"Aucune structure n'a le numéro {pk}.")
    communes = sorted(structure.communes.all(), key=lambda c: (c.code_insee != structure.commune_id, c.nom))
    return render(request, "structures/detail.html", {
        "title": structure.nom, "structure": structure, "communes": communes,
        "effectifs": effectifs_ordonnes(structure), "statuts": list(structure.changements_statut.all()),
        "point": ({"lon": structure.longitude, "lat": structure.latitude, "nom": structure.nom}
                  if structure.a_un_point else None),
        "tuiles_url": settings.LEAFLET_CONFIG["TILES"][0][1],
    })


@require_GET
def liste_offres(request):
    filtre = OffreFilter(request.GET or None, queryset=offres_visibles())
    valide = filtre.is_valid() if filtre.is_bound else True
    return render(request, "structures/offres/liste.html", {
        "title": "Offres d'emploi", "filtre": filtre, "offres": filtre.qs if valide else Offre.objects.none(),
    }, status=200 if valide else 400)


@require_GET
def detail_offre(request, pk: int):
    offre = get_object_or_404(offres_visibles(), pk=pk)
    return render(request, "structures/offres/detail.html", {"title": offre.titre, "offre": offre})
