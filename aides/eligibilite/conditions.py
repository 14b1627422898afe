"""Condition trees: `{all: [...]}`, `{any: [...]}`, `{not: {...}}`, or a leaf `{<predicate>: <parameter>}`.

A tree is compiled once (per rule version, see moteur.py) into nested functions. A case's facts are read once
(`lire`: one value per reading the predicates declare, predicats.Lecture); every leaf and node then keeps its recent
answers by the values it reads: a node whose facts were seen before answers without evaluating its parts, and a
fact shared by many schemes and many requests (the profession, a commune's zonage, the stage) is evaluated once
while it stays the same."""
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from operator import itemgetter

from .faits import Faits
from .logique import Verite
from .predicats import LECTURES, REGISTRE, VERIFICATIONS, Question, Raison

OPERATEURS = {"all", "any"}
VRAI, FAUX, INCONNU = Verite.VRAI, Verite.FAUX, Verite.INCONNU
NON = {VRAI: FAUX, FAUX: VRAI, INCONNU: INCONNU}
# Answers kept per leaf or node: the facts of a few hundred communes (a whole region is evaluated once per distinct
# set of facts, a few dozen: aides/simulation.py).
MEMOIRE_PAR_NOEUD = 512

Resultat = tuple[Verite, tuple[Raison, ...], tuple[Question, ...]]

# Every reading any compiled leaf uses, by name, in the order they were first met; `lire` reads them all. Only ever
# appended to (a name per predicate, and per zonage kind for `zonage`), so that compiled nodes keep their indexes.
_lectures: list[Callable[[Faits], object]] = []
_index_lectures: dict[str, int] = {}


def lire(faits: Faits) -> list:
    """The value of every reading for this case, by index: read once, passed to every compiled condition."""
    return [lecture(faits) for lecture in _lectures]


def _index(nom: str, parametre) -> int:
    lecture = LECTURES[nom](parametre)
    if lecture.nom not in _index_lectures:
        _index_lectures[lecture.nom] = len(_lectures)
        _lectures.append(lecture.lire)
    return _index_lectures[lecture.nom]


@dataclass(frozen=True)
class Compilee:
    """A compiled tree: `evaluer(faits, lire(faits))`, and the indexes of the readings it depends on."""

    evaluer: Callable[[Faits, list], Resultat]
    lectures: tuple[int, ...]


def cle_de(lectures: tuple[int, ...]) -> Callable[[list], object]:
    """From a case's readings, the values at `lectures`: what an answer depending on them is kept by."""
    return itemgetter(*lectures) if lectures else (lambda valeurs: ())


def verifier(condition, chemin: str = "conditions") -> list[str]:
    """Every problem of a condition tree, each with its path in the rule file."""
    if not isinstance(condition, dict) or len(condition) != 1:
        return [f"{chemin} : un dictionnaire à une seule clé est attendu (all, any, not ou un prédicat)"]
    (cle, valeur), = condition.items()
    if cle in OPERATEURS:
        if not isinstance(valeur, list) or not valeur:
            return [f"{chemin}.{cle} : une liste non vide est attendue"]
        return [p for i, sous in enumerate(valeur) for p in verifier(sous, f"{chemin}.{cle}[{i}]")]
    if cle == "not":
        return verifier(valeur, f"{chemin}.not")
    if cle not in REGISTRE:
        return [f"{chemin} : prédicat inconnu « {cle} » (connus : {', '.join(sorted(REGISTRE))})"]
    erreur = VERIFICATIONS[cle](valeur)
    return [f"{chemin}.{cle} : {erreur}"] if erreur else []


# Compiled trees by their canonical text: a leaf or a branch written in several rules (`mode: [liberal, mixte]` is in
# 26 of them) is one node, evaluated once per case and sharing its answers.
_compilees: dict[str, Compilee] = {}
ARBRES_COMPILES = 8192


def compiler(condition: dict) -> Compilee:
    texte = json.dumps(condition, sort_keys=True, ensure_ascii=False, default=str)
    compilee = _compilees.get(texte)
    if compilee is None:
        if len(_compilees) >= ARBRES_COMPILES:
            _compilees.clear()
        compilee = _compilees[texte] = _compiler(condition)
    return compilee


def _compiler(condition: dict) -> Compilee:
    (cle, valeur), = condition.items()
    if cle == "all":
        return _noeud(tous, [compiler(sous) for sous in valeur])
    if cle == "any":
        return _noeud(un_au_moins, [compiler(sous) for sous in valeur])
    if cle == "not":
        return _noeud(_non, [compiler(valeur)])
    return _feuille(cle, valeur)


def feuilles(condition: dict) -> list[tuple[str, object]]:
    """(predicate, parameter) of every leaf, in order."""
    (cle, valeur), = condition.items()
    if cle in OPERATEURS:
        return [f for sous in valeur for f in feuilles(sous)]
    if cle == "not":
        return feuilles(valeur)
    return [(cle, valeur)]


def evaluer(condition: dict, faits: Faits) -> tuple[Verite, list[Raison], list[Question]]:
    """The truth of the tree, the reasons of its leaves in order (a `not` reverses its leaves' verdicts), and the
    questions that could still change the answer: none from a branch already decided (an `all` with a false part,
    an `any` with a true part)."""
    verite, raisons, questions = compiler(condition).evaluer(faits, lire(faits))
    return verite, list(raisons), list(questions)


def _garder(memoire: dict, cle, resultat: Resultat) -> Resultat:
    if len(memoire) >= MEMOIRE_PAR_NOEUD:
        memoire.clear()
    memoire[cle] = resultat
    return resultat


def _feuille(nom: str, parametre) -> Compilee:
    predicat, index, memoire = REGISTRE[nom], _index(nom, parametre), {}

    def feuille(faits: Faits, valeurs: list) -> Resultat:
        resultat = memoire.get(valeurs[index])
        if resultat is None:
            raison = predicat(faits, parametre)
            questions = (raison.question,) if raison.verite is INCONNU and raison.question else ()
            resultat = _garder(memoire, valeurs[index], (raison.verite, (raison,), questions))
        return resultat
    return Compilee(feuille, (index,))


def _noeud(combiner: Callable[[list[Resultat]], Resultat], enfants: list[Compilee]) -> Compilee:
    """A node answering from its parts' answers, kept by the values its parts read."""
    lectures = tuple(sorted({i for enfant in enfants for i in enfant.lectures}))
    cle, evaluations, memoire = cle_de(lectures), [enfant.evaluer for enfant in enfants], {}

    def noeud(faits: Faits, valeurs: list) -> Resultat:
        valeur = cle(valeurs)
        resultat = memoire.get(valeur)
        if resultat is None:
            resultat = _garder(memoire, valeur, combiner([evaluer(faits, valeurs) for evaluer in evaluations]))
        return resultat
    return Compilee(noeud, lectures)


def tous(resultats: list[Resultat]) -> Resultat:
    """False as soon as one part is false; unknown if none is false and one is unknown; else true."""
    verites = [r[0] for r in resultats]
    verite = FAUX if FAUX in verites else INCONNU if INCONNU in verites else VRAI
    raisons = tuple(raison for r in resultats for raison in r[1])
    questions = tuple(q for r in resultats for q in r[2]) if verite is INCONNU else ()
    return verite, raisons, questions


def un_au_moins(resultats: list[Resultat]) -> Resultat:
    """True as soon as one part is true; unknown if none is true and one is unknown; else false."""
    verites = [r[0] for r in resultats]
    if VRAI in verites:
        # Satisfied alternatives explain the result; the branches that failed would only read as objections.
        return VRAI, tuple(raison for r in resultats if r[0] is VRAI for raison in r[1]), ()
    if INCONNU in verites:
        # A failed alternative does not make the answer "no" while another is unknown: it is said as such.
        raisons = tuple(replace(raison, alternative=True) if r[0] is FAUX else raison
                        for r in resultats for raison in r[1])
        return INCONNU, raisons, tuple(q for r in resultats for q in r[2])
    return FAUX, tuple(raison for r in resultats for raison in r[1]), ()


def _non(resultats: list[Resultat]) -> Resultat:
    (verite, raisons, questions), = resultats
    return NON[verite], tuple(_inverser(r) for r in raisons), questions


def _inverser(raison: Raison) -> Raison:
    """A leaf under `not`: its verdict flips, and its message says the aid excludes what the leaf describes."""
    message = raison.message.replace("l'aide demande", "l'aide exclut").replace("l'aide vise", "l'aide exclut")
    if raison.verite == Verite.VRAI:
        message = message.rstrip(".") + " : l'aide est exclue dans ce cas."
    elif raison.verite == Verite.FAUX and "l'aide exclut" not in message:
        message = message.rstrip(".") + " : ce n'est pas un cas d'exclusion."
    return Raison(raison.critere, NON[raison.verite], message, raison.question, raison.alternative)
