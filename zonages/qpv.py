"""Which QPV contains a point: an in-memory spatial index (shapely STRtree), built once per process and rebuilt
when QPV data change (the "qpv" generation of noyau/cache_generations.py)."""
import datetime

from django.utils import timezone
from shapely import STRtree
from shapely.geometry import Point, shape

from noyau.cache_generations import en_cache

from .models import QPV


def _construire_index():
    entrees = [(q.code, q.nom, q.valid_from, q.valid_to, shape(q.geometrie))
               for q in QPV.objects.only("code", "nom", "valid_from", "valid_to", "geometrie")]
    return (STRtree([e[4] for e in entrees]) if entrees else None), entrees


def _index():
    # Kept in this process only (an STRtree does not pickle), rebuilt when the "qpv" generation changes.
    return en_cache("qpv:index", ("qpv",), _construire_index, partage=False)


def qpv_au_point(longitude: float, latitude: float, jour: datetime.date | None = None) -> list[dict]:
    """The QPV (in force on `jour`, default today) whose polygon contains the point."""
    jour = jour or timezone.localdate()
    arbre, entrees = _index()
    if arbre is None:
        return []
    point = Point(longitude, latitude)
    resultat = []
    for i in arbre.query(point, predicate="intersects"):
        code, nom, debut, fin, _ = entrees[int(i)]
        if debut <= jour and (fin is None or jour <= fin):
            resultat.append({"code": code, "nom": nom, "valid_from": debut, "valid_to": fin})
    return sorted(resultat, key=lambda q: q["code"])
