"""The facts of one case. `None` everywhere means "not known": predicates then answer unknown, never guess."""
import datetime
from dataclasses import dataclass, field, make_dataclass

from noyau.professions import PROFESSIONS  # noqa: F401  re-exported: the engine's vocabulary

from .vocabulaire import FAITS

# The vocabularies of the choice facts, by the names the rules and pages use.
ETAPES = FAITS["etape"].choix
MODES = FAITS["mode"].choix
EXERCICES_COORDONNES = FAITS["exercice_coordonne"].choix
SECTEURS = FAITS["secteur"].choix
PORTEURS_PROJET = FAITS["porteur_projet"].choix
COUCHE_QPV = "qpv"  # the QPV polygons, among the layers in force (zonage kinds have their own codes)

# One optional field per declared fact, in the declaration's order; keyword-only, as that order is not an interface.
Situation = make_dataclass(
    "Situation", [(f.nom, f.type_python | None, field(default=None)) for f in FAITS.values()], frozen=True,
    kw_only=True, namespace={"__doc__": "What the person said of their situation (see vocabulaire.py)."})
Situation.__module__ = __name__  # for pickling and reprs: make_dataclass would name the dataclasses module


@dataclass(frozen=True)
class Faits:
    code_insee: str
    nom_commune: str
    departement: str
    population: int | None
    profession: str
    date: datetime.date
    # Level of the commune for each zonage kind on the date; None: no version in force, or no level given.
    zonages: dict[str, str | None] = field(default_factory=dict)
    # In a QPV: True/False when known (a point was given, or the commune has none), None otherwise.
    qpv: bool | None = None
    situation: Situation = field(default_factory=Situation)
    # The layers with a published version in force on the date: zonage kinds, and COUCHE_QPV when QPV are loaded.
    # It tells an unloaded layer from a loaded one that does not list the commune (both unknown, said differently).
    # None: not told (pure engine tests): a zonage kind then counts as loaded when it has a level, the QPV always.
    couches_en_vigueur: frozenset[str] | None = None
    # INSEE code of the commune's region: a regional scheme of another region is not evaluated. None: not told.
    region: str | None = None

    def couche_chargee(self, couche: str) -> bool:
        if self.couches_en_vigueur is not None:
            return couche in self.couches_en_vigueur
        return couche == COUCHE_QPV or self.zonages.get(couche) is not None
