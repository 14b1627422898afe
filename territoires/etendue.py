"""The extent of the served regions: the box every map of the portal opens on before it frames its own data.

Computed from the data, never typed in: the outlines of the served départements, and, for a département loaded
without its outline (the national files carry none), the representative points of its communes. Cached under the
territories' generation, so a page costs no query for it once built."""
from collections.abc import Iterable

from django.db.models import Max, Min

from noyau.cache_generations import en_cache

from .codes import PREFIXES_OUTRE_MER
from .models import Departement
from .regions_servies import cle_des_regions_servies

Etendue = list[list[float]]  # [[south, west], [north, east]], as Leaflet's fitBounds reads it
DECIMALES = 4  # about 10 m: finer than any zoom frames
# Only when no served territory has an outline nor a point (nothing loaded yet): metropolitan France with Corsica,
# from its extreme points (Bray-Dunes, Lavezzi islands, Ouessant, Cap Corse), rounded outwards.
FRANCE_METROPOLITAINE: Etendue = [[41.3, -5.2], [51.1, 9.6]]


def _positions(coordonnees) -> Iterable[tuple[float, float]]:
    """Every (longitude, latitude) of a GeoJSON geometry's nested coordinates, whatever its type."""
    if not isinstance(coordonnees, (list, tuple)) or not coordonnees:
        return
    if isinstance(coordonnees[0], (int, float)):
        if len(coordonnees) >= 2:
            yield float(coordonnees[0]), float(coordonnees[1])
        return
    for partie in coordonnees:
        yield from _positions(partie)


def _geometries(objet) -> Iterable[dict]:
    """The geometries of a stored outline: a geometry, a Feature, a FeatureCollection or a GeometryCollection."""
    if not isinstance(objet, dict):
        return
    if objet.get("type") == "FeatureCollection":
        for entite in objet.get("features") or []:
            yield from _geometries(entite)
    elif objet.get("type") == "Feature":
        yield from _geometries(objet.get("geometry"))
    elif objet.get("type") == "GeometryCollection":
        for geometrie in objet.get("geometries") or []:
            yield from _geometries(geometrie)
    else:
        yield objet


def boite(contour) -> Etendue | None:
    """The bounding box of a GeoJSON outline; None when it has no position."""
    positions = [p for g in _geometries(contour) for p in _positions(g.get("coordinates"))]
    if not positions:
        return None
    longitudes, latitudes = [p[0] for p in positions], [p[1] for p in positions]
    return [[min(latitudes), min(longitudes)], [max(latitudes), max(longitudes)]]


def reunion(boites: Iterable[Etendue | None]) -> Etendue | None:
    boites = [b for b in boites if b]
    if not boites:
        return None
    return [[min(b[0][0] for b in boites), min(b[0][1] for b in boites)],
            [max(b[1][0] for b in boites), max(b[1][1] for b in boites)]]


def _calculer() -> Etendue:
    """One query: each served département's outline with the bounds of its communes' points. The overseas ones
    count only when no metropolitan one is served: with metropolitan France, their box spans the globe (from
    Polynesia to La Réunion), and each map frames its own data once drawn."""
    metropole, outre_mer = [], []
    lignes = (Departement.objects.servis().order_by()
              .annotate(sud=Min("communes__latitude"), nord=Max("communes__latitude"),
                        ouest=Min("communes__longitude"), est=Max("communes__longitude"))
              .values_list("code", "contour", "sud", "ouest", "nord", "est"))
    for code, contour, sud, ouest, nord, est in lignes:
        b = boite(contour)
        if b is None and None not in (sud, ouest, nord, est):
            b = [[sud, ouest], [nord, est]]
        (outre_mer if code.startswith(PREFIXES_OUTRE_MER) else metropole).append(b)
    etendue = reunion(metropole) or reunion(outre_mer) or FRANCE_METROPOLITAINE
    return [[round(v, DECIMALES) for v in coin] for coin in etendue]


def etendue_servie() -> Etendue:
    """[[south, west], [north, east]] of the served regions (PAPS_REGIONS), from their data; metropolitan France
    while none of their territories has an outline or a point. The one source of every map's initial view."""
    return en_cache(f"etendue-servie:{cle_des_regions_servies()}", ("territoires",), _calculer, memo=True)
