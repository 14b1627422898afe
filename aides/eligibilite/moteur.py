"""Evaluating every scheme in force on the date for one case. Pure: no database, no I/O."""
from dataclasses import dataclass

from . import conditions
from .faits import Faits
from .logique import Verite
from .predicats import Question, Raison
from .regles import Dispositif, Montant, Version

ELIGIBLE, NON_ELIGIBLE, A_PRECISER = "eligible", "non_eligible", "a_preciser"
STATUTS = {Verite.VRAI: ELIGIBLE, Verite.FAUX: NON_ELIGIBLE, Verite.INCONNU: A_PRECISER}
ORDRE = {ELIGIBLE: 0, A_PRECISER: 1, NON_ELIGIBLE: 2}


@dataclass(frozen=True)
class ResultatAide:
    dispositif: Dispositif
    version: Version
    statut: str
    montant: Montant | None
    montants_possibles: tuple[Montant, ...]  # when the amount depends on a fact still unknown
    raisons: tuple[Raison, ...]
    questions: tuple[Question, ...]


def _montant(version: Version, faits: Faits) -> tuple[Montant | None, tuple[Montant, ...], list[Question]]:
    """The first variant whose condition holds; while an earlier one is unknown, the candidates instead, and the
    questions that would choose between them."""
    possibles, questions = [], []
    for montant in version.montants:
        if montant.condition is None:
            verite = Verite.VRAI
        else:
            verite, _, questions_montant = conditions.evaluer(montant.condition, faits)
            questions += questions_montant
        if verite == Verite.VRAI:
            return (montant, (), []) if not possibles else (None, (*possibles, montant), questions)
        if verite == Verite.INCONNU:
            possibles.append(montant)
    return None, tuple(possibles), questions


def evaluer_dispositif(dispositif: Dispositif, faits: Faits) -> ResultatAide | None:
    """None when the scheme has no version in force on the date (it is then not listed)."""
    version = dispositif.version_le(faits.date)
    if version is None:
        return None
    verite, raisons, questions = conditions.evaluer(version.conditions, faits)
    statut = STATUTS[verite]
    montant, possibles, questions_montant = (None, (), []) if statut == NON_ELIGIBLE else _montant(version, faits)
    uniques = {q.champ: q for q in questions + questions_montant}  # in order of appearance, each once
    return ResultatAide(dispositif, version, statut, montant, possibles, tuple(raisons), tuple(uniques.values()))


def evaluer(dispositifs: list[Dispositif], faits: Faits) -> list[ResultatAide]:
    """Every scheme in force on the date, eligible first, then to be specified, then not eligible."""
    resultats = [r for d in dispositifs if (r := evaluer_dispositif(d, faits))]
    return sorted(resultats, key=lambda r: (ORDRE[r.statut], r.dispositif.code))
