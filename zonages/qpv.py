"""Which QPV contains a point: an in-memory spatial index (shapely STRtree), built once per process and rebuilt
when QPV data change (the "qpv" generation of noyau/cache_generations.py).

The index holds the QPV of the served regions only (PAPS_REGIONS): a database loaded with all of France but serving
one region keeps one region's polygons in each worker. Its key names the served regions, so that a change of the
setting (a test's override_settings) builds the index again. A QPV linked to no commune cannot be placed in a region:
it is kept (left out, a point inside it would read « not in a QPV », a "no" from missing data)."""
import datetime

from django.db.models import Q
from django.utils import timezone
from shapely import STRtree
from shapely.geometry import Point, shape

from noyau.cache_generations import en_cache
from territoires.regions_servies import cle_des_regions_servies, regions_servies

from .models import QPV


def qpv_des_regions_servies():
    """The QPV the index holds: those linked to a commune of the served regions, and those linked to none."""
    regions = regions_servies()
    qpv = QPV.objects.all()
    if regions is not None:
        qpv = qpv.filter(Q(communes__departement__region_id__in=sorted(regions)) | Q(communes__isnull=True)).distinct()
    return qpv.only("code", "nom", "valid_from", "valid_to", "geometrie").order_by("code")


def _construire_index():
    entrees = [(q.code, q.nom, q.valid_from, q.valid_to, shape(q.geometrie)) for q in qpv_des_regions_servies()]
    return (STRtree([e[4] for e in entrees]) if entrees else None), entrees


def _index():
    # Kept in this process only (an STRtree does not pickle), rebuilt when the QPV, or the communes' regions, change,
    # and per set of served regions.
    return en_cache(f"qpv:index:{cle_des_regions_servies()}", ("qpv", "territoires"), _construire_index, partage=False)


def codes_indexes() -> list[str]:
    """The codes of the QPV the index holds (for the tests and the benchmarks)."""
    return [e[0] for e in _index()[1]]


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
