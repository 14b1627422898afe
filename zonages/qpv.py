"""Which QPV contains a point: an in-memory spatial index (shapely STRtree), built once per process and rebuilt
when QPV data change (a generation number in the shared cache is bumped by the QPV signals)."""
import datetime
import threading
import time

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from shapely import STRtree
from shapely.geometry import Point, shape

from .models import QPV

CLE_GENERATION = "qpv:generation"
_verrou = threading.Lock()
_index: dict = {"generation": None, "arbre": None, "entrees": []}


def _generation() -> int:
    try:
        # A fresh value, not 1: after a cache flush, a process must not take its old index for current.
        return cache.get_or_set(CLE_GENERATION, time.time_ns, None)
    except Exception:  # cache down: rebuild rather than serve a stale index forever
        return -1


@receiver([post_save, post_delete], sender=QPV)
@receiver(m2m_changed, sender=QPV.communes.through)
def invalider(**kwargs):
    try:
        cache.set(CLE_GENERATION, time.time_ns(), None)
    except Exception:
        pass
    _index["generation"] = None


def _arbre():
    generation = _generation()
    with _verrou:
        if _index["generation"] != generation or generation == -1:
            entrees = [(q.code, q.nom, q.valid_from, q.valid_to, shape(q.geometrie))
                       for q in QPV.objects.only("code", "nom", "valid_from", "valid_to", "geometrie")]
            _index.update(generation=generation, entrees=entrees,
                          arbre=STRtree([e[4] for e in entrees]) if entrees else None)
        return _index["arbre"], _index["entrees"]


def qpv_au_point(longitude: float, latitude: float, jour: datetime.date | None = None) -> list[dict]:
    """The QPV (in force on `jour`, default today) whose polygon contains the point."""
    jour = jour or datetime.date.today()
    arbre, entrees = _arbre()
    if arbre is None:
        return []
    point = Point(longitude, latitude)
    resultat = []
    for i in arbre.query(point, predicate="intersects"):
        code, nom, debut, fin, _ = entrees[int(i)]
        if debut <= jour and (fin is None or jour <= fin):
            resultat.append({"code": code, "nom": nom, "valid_from": debut, "valid_to": fin})
    return sorted(resultat, key=lambda q: q["code"])
