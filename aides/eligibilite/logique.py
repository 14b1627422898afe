"""Three-valued logic (Kleene): true, false, unknown. An unknown never becomes a guess."""
import enum
from collections.abc import Iterable


class Verite(enum.Enum):
    VRAI = "vrai"
    FAUX = "faux"
    INCONNU = "inconnu"

    @classmethod
    def de(cls, valeur: bool | None) -> "Verite":
        return cls.INCONNU if valeur is None else (cls.VRAI if valeur else cls.FAUX)


def tous(valeurs: Iterable[Verite]) -> Verite:
    """False as soon as one is false; unknown if none is false and one is unknown; else true."""
    valeurs = list(valeurs)
    if Verite.FAUX in valeurs:
        return Verite.FAUX
    return Verite.INCONNU if Verite.INCONNU in valeurs else Verite.VRAI


def un_au_moins(valeurs: Iterable[Verite]) -> Verite:
    """True as soon as one is true; unknown if none is true and one is unknown; else false."""
    valeurs = list(valeurs)
    if Verite.VRAI in valeurs:
        return Verite.VRAI
    return Verite.INCONNU if Verite.INCONNU in valeurs else Verite.FAUX


def non(valeur: Verite) -> Verite:
    return {Verite.VRAI: Verite.FAUX, Verite.FAUX: Verite.VRAI, Verite.INCONNU: Verite.INCONNU}[valeur]
