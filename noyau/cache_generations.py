"""Cached data and their invalidation, in one place.

Each domain of data (territories, zonages, QPV, aids, structures, CPTS) has a *generation*, kept in the database
(table noyau_generation), so that every process sees the same one, with or without Redis: gunicorn workers, Celery
workers, command-line processes. Cached values carry in their key the generations of the data they were built from;
a change of data replaces the generation, so the old entries are never read again (they expire by themselves).

The generation is replaced inside the writer's transaction, by the same commit as the data: other processes see the
new generation exactly when they can see the new data (before, they read the old generation and build, or find,
values of the old data under it; after, they rebuild under the new one). The writer itself sees its change at once.
Its value comes from the clock (and is at least the previous one plus one), so that a generation is never used twice,
even once the table was emptied (a restored backup, a test database).

A request reads the generations once, at its first cached value (middleware GenerationsDeLaRequete and `portee()`):
one query per request, whatever the number of cached values it reads. Outside a request (Celery task, command), each
read goes to the database.

Each app declares its domains and the models that feed them with `enregistrer()`, from its AppConfig.ready(): the
signals (post_save, post_delete, m2m_changed) of those models then replace the generation. Bulk writes send no
signal and call `invalider()` themselves (reference loader, zonage publication, QPV import).

`en_cache()` adds a small per-process memo in front of the shared cache for values read on every request (a date's
versions, a version's classification…): a hit costs no query beyond the request's read of the generations, and no
unpickling.
"""
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db.models import F, Value
from django.db.models.functions import Greatest

DUREE = 7 * 24 * 3600  # seconds; a change of data changes the keys anyway
TAILLE_MEMO = 128  # entries per process
DOMAINES: set[str] = set()  # declared with enregistrer()

_memo: OrderedDict = OrderedDict()
_verrou = threading.Lock()
_rappels: list[Callable] = []  # run on every invalidation in this process (e.g. the catalogue's own memo)
# The generations read by the current request ({} until its first cached value; None outside a request).
_de_la_requete: ContextVar[dict | None] = ContextVar("generations_de_la_requete", default=None)


@contextmanager
def portee():
    """Generations read once for everything inside (a request: see noyau.middleware.GenerationsDeLaRequete)."""
    jeton = _de_la_requete.set({})
    try:
        yield
    finally:
        _de_la_requete.reset(jeton)


def _lire(domaines) -> dict[str, int]:
    """Every stored generation (one query). Their rows are created after migrate (creer_les_generations); one that
    is missing all the same is created here."""
    valeurs = _toutes()
    if any(d not in valeurs for d in domaines):
        creer_les_generations(domaines=domaines)
        valeurs = _toutes()
    return valeurs


def _toutes() -> dict[str, int]:
    """Every stored generation. SQL written once: this runs on every request that reads a cached value, and the
    ORM's compilation of the query cost as much as the round trip to the database."""
    from django.db import connection

    from .models import Generation

    with connection.cursor() as curseur:
        curseur.execute(f"SELECT domaine, valeur FROM {Generation._meta.db_table}")  # noqa: S608 - no user input
        return dict(curseur.fetchall())


def creer_les_generations(using="default", domaines=(), **kwargs):
    """Creates the generation of every registered domain that has none. Run after migrate (post_migrate), which
    also follows the emptying of a test database, so that a request reads the generations in one query."""
    from .models import Generation

    Generation.objects.using(using).bulk_create(
        [Generation(domaine=d, valeur=time.time_ns()) for d in sorted(set(DOMAINES) | set(domaines))],
        ignore_conflicts=True)


def generations(*domaines: str) -> str:
    """The current generations of `domaines`, as one string for a cache key."""
    valeurs = _de_la_requete.get()
    if valeurs is None:
        valeurs = _lire(domaines)
    elif any(d not in valeurs for d in domaines):
        valeurs.update(_lire(domaines))
    return ".".join(str(valeurs[d]) for d in domaines)


def invalider(*domaines: str):
    """Data of `domaines` changed: replace their generations, in the current transaction if there is one."""
    from .models import Generation

    domaines = sorted(set(domaines))  # always the same order of row locks: two writers never wait for each other
    a_remplacer = Generation.objects.filter(domaine__in=domaines)
    nouvelle = Greatest(F("valeur") + 1, Value(time.time_ns()))
    if a_remplacer.update(valeur=nouvelle) < len(domaines):  # a domain never read yet, or an emptied table
        Generation.objects.bulk_create([Generation(domaine=d, valeur=time.time_ns()) for d in domaines],
                                       ignore_conflicts=True)
        a_remplacer.update(valeur=nouvelle)  # also past a value another process has just inserted
    valeurs = _de_la_requete.get()
    if valeurs is not None:
        for domaine in domaines:
            valeurs.pop(domaine, None)  # read again, with the change, by the rest of this request
    for rappel in _rappels:
        rappel(domaines)


def sur_invalidation(rappel: Callable):
    """Registers `rappel(domaines)`, run in this process whenever generations are replaced here."""
    _rappels.append(rappel)


def en_cache(prefixe: str, domaines: tuple[str, ...], construire: Callable, duree: int = DUREE, memo: bool = False,
             partage: bool = True):
    """The value of `construire()`, cached under `prefixe` and the current generations of `domaines`. With `memo`,
    also kept in this process (small values read on every request). `partage=False` keeps it in this process only
    (large values, cheap to rebuild, not worth Redis memory); the generations still invalidate it. A cache that
    fails (Redis down) only costs the rebuild."""
    cle = f"{prefixe}:{generations(*domaines)}"
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
    for memoire in _grandes_memoires:
        memoire.vider()


_grandes_memoires: list["MemoireLocale"] = []


class MemoireLocale:
    """A few large values kept in this process (a whole region's facts, a few megabytes: neither for the shared
    cache nor for the small memo of `en_cache`), under the generations of their data like `en_cache`. One value per
    prefix: a value built under newer generations replaces the older one (after an import, the region's facts were
    otherwise held twice until pushed out, and each full garbage collection walked both)."""

    def __init__(self, taille: int):
        self.taille, self.valeurs, self.verrou = taille, OrderedDict(), threading.Lock()
        _grandes_memoires.append(self)

    def obtenir(self, prefixe: str, domaines: tuple[str, ...], construire: Callable):
        generation = generations(*domaines)
        with self.verrou:
            trouvee = self.valeurs.get(prefixe)
            if trouvee is not None and trouvee[0] == generation:
                self.valeurs.move_to_end(prefixe)
                return trouvee[1]
        valeur = construire()
        with self.verrou:
            self.valeurs[prefixe] = (generation, valeur)
            self.valeurs.move_to_end(prefixe)
            while len(self.valeurs) > self.taille:
                self.valeurs.popitem(last=False)
        return valeur

    def vider(self):
        with self.verrou:
            self.valeurs.clear()


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

    DOMAINES.add(domaine)
    recepteur = _RECEPTEURS.setdefault(domaine, _recepteur(domaine))
    for modele in modeles:
        for signal, nom in ((post_save, "save"), (post_delete, "delete")):
            signal.connect(recepteur, sender=modele, weak=False,
                           dispatch_uid=f"cache-generations-{domaine}-{nom}-{modele._meta.label}")
    for relation in relations:
        m2m_changed.connect(recepteur, sender=relation, weak=False,
                            dispatch_uid=f"cache-generations-{domaine}-m2m-{relation._meta.label}")
