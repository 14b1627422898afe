"""Communes around a commune: great-circle distance between the communes' representative points (inside their
outlines, computed by the reference load), in kilometres.

The points of every commune are read once per change of territories (a few hundred kilobytes for all of France) and
kept in the process; a search "within 30 km of Rodez" is then a pass over them, without a query."""
import math
from dataclasses import dataclass

from noyau.cache_generations import en_cache

from .models import Commune
from .regions_servies import regions_servies

RAYON_TERRE_KM = 6371.0088  # mean Earth radius (IUGG)
RAYON_MAXIMAL_KM = 200


@dataclass(frozen=True)
class Voisine:
    code_insee: str
    distance_km: float


def _points() -> dict[str, tuple[float, float]]:
    """{code INSEE: (latitude, longitude) in radians} of every served commune that has a point."""
    return en_cache(f"territoires:points:{sorted(regions_servies() or [])}", ("territoires",), lambda: {
        code: (math.radians(lat), math.radians(lon))
        for code, lon, lat in Commune.objects.servies().exclude(longitude=None).exclude(latitude=None)
        .values_list("code_insee", "longitude", "latitude")}, partage=False)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Haversine distance between two (latitude, longitude) points in radians."""
    (lat1, lon1), (lat2, lon2) = a, b
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * RAYON_TERRE_KM * math.asin(min(1.0, math.sqrt(h)))


def autour_de(code_insee: str, rayon_km: float, codes: set[str] | None = None) -> list[Voisine] | None:
    """The communes (among `codes`, default all) whose point lies within `rayon_km` of the commune's, nearest first,
    the commune itself included at 0 km. None when the commune has no point (no outline loaded)."""
    points = _points()
    centre = points.get(code_insee)
    if centre is None:
        return None
    voisines = []
    for code, point in points.items():
        if codes is not None and code not in codes:
            continue
        distance = distance_km(centre, point)
        if distance <= rayon_km:
            voisines.append(Voisine(code, round(distance, 1)))
    return sorted(voisines, key=lambda v: (v.distance_km, v.code_insee))


def distances_depuis(code_insee: str) -> dict[str, float] | None:
    """{code INSEE: km} from the commune to every commune with a point; None when the commune has none."""
    points = _points()
    centre = points.get(code_insee)
    if centre is None:
        return None
    return {code: round(distance_km(centre, point), 1) for code, point in points.items()}
