"""Cached data and their invalidation, in one place.

Each domain of data (territories, zonages, QPV, aids, structures, CPTS) has a *generation*: a timestamp kept in the
shared cache (Redis in production, so every worker and process sees the same one). Cached values carry in their key
the generations of the data they were built from; a change of data replaces the generation, so the old entries are
never read again (they expire by themselves) and the change is visible at once, in every process.

A timestamp rather than a counter: should the cache lose the key, the fresh value can never meet entries built from
older data. The generation is replaced twice: at once (the writing request, or a test inside a transaction, sees its
own change) and again after the commit (a request that read the old data between the change and the commit cached
it under the intermediate generation, which the second replacement retires).

Each app declares its domains and the models that feed them with `enregistrer()`, from its AppConfig.ready(): the
signals (post_save, post_delete, m2m_changed) of those models then replace the generation. Bulk writes send no
signal and call `invalider()` themselves (reference loader, zonage publication, QPV import).

`en_cache()` adds a small per-process memo in front of the shared cache for values read on every request (a date's
versions, a version's classification…): a hit costs one read of the generations, no unpickling.
"""
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

journal = logging.getLogger(__name__)

# Key of each registered domain's generation in the shared cache (see enregistrer()).
CLES: dict[str, str] = {}
DUREE = 7 * 24 * 3600  # seconds; a change of data changes the keys anyway
TAILLE_MEMO = 128  # entries per process

_memo: OrderedDict = OrderedDict()
_verrou = threading.Lock()
_rappels: list[Callable] = []  # run on every invalidation in this process (e.g. the catalogue's own memo)


def generations(*domaines: str) -> str | None:
    """The current generations of `domaines`, as one string for a cache key; None when the cache is unreachable
    (callers then build without caching rather than risk serving stale data)."""
    cles = [CLES[d] for d in domaines]
    try:
        valeurs = cache.get_many(cles)
        for cle in cles:
            if valeurs.get(cle) is None:
                cache.add(cle, time.time_ns(), None)
                valeurs[cle] = cache.get(cle)
    except Exception:  # noqa: BLE001 - any cache failure means "no cache", never an error page
        return None
    if any(valeurs.get(cle) is None for cle in cles):
        return None
    return ".".join(str(valeurs[cle]) for cle in cles)


def _remplacer(domaines: tuple[str, ...]):
    valeur = time.time_ns()
    try:
        cache.set_many({CLES[d]: valeur for d in domaines}, None)
    except Exception:  # noqa: BLE001
        journal.warning("Cache injoignable : générations %s non remplacées", ", ".join(domaines))
    for rappel in _rappels:
        rappel(domaines)


def invalider(*domaines: str):
    """Data of `domaines` changed: replace their generations now and again after the commit."""
    _remplacer(domaines)
    transaction.on_commit(lambda: _remplacer(domaines))


def sur_invalidation(rappel: Callable):
    """Registers `rappel(domaines)`, run in this process whenever generations are replaced here."""
    _rappels.append(rappel)


def en_cache(prefixe: str, domaines: tuple[str, ...], construire: Callable, duree: int = DUREE, memo: bool = False,
             partage: bool = True):
    """The value of `construire()`, cached under `prefixe` and the current generations of `domaines`. With `memo`,
    also kept in this process (small values read on every request). `partage=False` keeps it in this process only
    (large values, cheap to rebuild, not worth Redis memory); the shared generations still invalidate it. Never
    caches when the cache is down."""
    generation = generations(*domaines)
    if generation is None:
        return construire()
    cle = f"{prefixe}:{generation}"
    memo = memo or not partage
    if memo:
        with _verrou:
            if cle in _memo:
                _memo.move_to_end(cle)
                return _memo[cle]
    valeur = None
    if partage:
        try:
            valeur = cache.get(cle)
        except Exception:  # noqa: BLE001
            valeur = None
    if valeur is None:
        valeur = construire()
        if partage:
            try:
                cache.set(cle, valeur, duree)
            except Exception:  # noqa: BLE001
                pass
    if memo:
        with _verrou:
            _memo[cle] = valeur
            while len(_memo) > TAILLE_MEMO:
                _memo.popitem(last=False)
    return valeur


def vider_memo():
    with _verrou:
        _memo.clear()


# --- Signals ------------------------------------------------------------------------------------------------------

def _recepteur(*domaines: str):
    def recevoir(sender=None, **kwargs):
        if not kwargs.get("action", "post_").startswith("post_"):
            return  # the "pre_" half of a many-to-many change
        invalider(*domaines)
    recevoir.__name__ = f"invalider_{'_'.join(domaines)}"
    return recevoir


_RECEPTEURS: dict[str, Callable] = {}


def enregistrer(domaine: str, modeles=(), relations=()):
    """Declares a domain of data: a save or delete of one of `modeles`, or a change of one of the many-to-many
    `relations` (their `through` models), replaces its generation. Idempotent (dispatch_uid): apps call it from
    their AppConfig.ready()."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    CLES.setdefault(domaine, f"generation:{domaine}")
    recepteur = _RECEPTEURS.setdefault(domaine, _recepteur(domaine))
    for modele in modeles:
        for signal, nom in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(recepteur, sender=modele, weak=False,
                           dispatch_uid=f"cache-generations-{domaine}-{nom}-{modele._meta.label}")
    for relation in relations:
        m2m_changed.connect(recepteur, sender=relation, weak=False,
                            dispatch_uid=f"cache-generations-{domaine}-m2m-{relation._meta.label}")
