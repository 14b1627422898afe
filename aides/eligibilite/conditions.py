"""Condition trees: `{all: [...]}`, `{any: [...]}`, `{not: {...}}`, or a leaf `{<predicate>: <parameter>}`."""
from dataclasses import replace

from .faits import Faits
from .logique import Verite, non, tous, un_au_moins
from .predicats import REGISTRE, VERIFICATIONS, Question, Raison

OPERATEURS = {"all", "any", "not"}


def verifier(condition, chemin: str = "conditions") -> list[str]:
    """Every problem of a condition tree, each with its path in the rule file."""
    if not isinstance(condition, dict) or len(condition) != 1:
        return [f"{chemin} : un dictionnaire à une seule clé est attendu (all, any, not ou un prédicat)"]
    (cle, valeur), = condition.items()
    if cle in {"all", "any"}:
        if not isinstance(valeur, list) or not valeur:
            return [f"{chemin}.{cle} : une liste non vide est attendue"]
        return [p for i, sous in enumerate(valeur) for p in verifier(sous, f"{chemin}.{cle}[{i}]")]
    if cle == "not":
        return verifier(valeur, f"{chemin}.not")
    if cle not in REGISTRE:
        return [f"{chemin} : prédicat inconnu « {cle} » (connus : {', '.join(sorted(REGISTRE))})"]
    erreur = VERIFICATIONS[cle](valeur)
    return [f"{chemin}.{cle} : {erreur}"] if erreur else []


def evaluer(condition: dict, faits: Faits) -> tuple[Verite, list[Raison], list[Question]]:
    """The truth of the tree, the reasons of its leaves in order (a `not` reverses its leaves' verdicts), and the
    questions that could still change the answer: none from a branch already decided (an `all` with a false part,
    an `any` with a true part)."""
    (cle, valeur), = condition.items()
    if cle in {"all", "any"}:
        resultats = [evaluer(sous, faits) for sous in valeur]
        verite = (tous if cle == "all" else un_au_moins)(v for v, _, _ in resultats)
        if cle == "any" and verite == Verite.VRAI:
            # Satisfied alternatives explain the result; the branches that failed would only read as objections.
            resultats = [r for r in resultats if r[0] == Verite.VRAI]
        elif cle == "any" and verite == Verite.INCONNU:
            # A failed alternative does not make the answer "no" while another is unknown: it is said as such.
            resultats = [(v, [replace(r, alternative=True) for r in rs] if v == Verite.FAUX else rs, qs)
                         for v, rs, qs in resultats]
        raisons = [r for _, raisons, _ in resultats for r in raisons]
        questions = [] if verite != Verite.INCONNU else [q for _, _, qs in resultats for q in qs]
        return verite, raisons, questions
    if cle == "not":
        verite, raisons, questions = evaluer(valeur, faits)
        return non(verite), [_inverser(r) for r in raisons], questions
    raison = REGISTRE[cle](faits, valeur)
    return raison.verite, [raison], [raison.question] if raison.verite == Verite.INCONNU and raison.question else []


def _inverser(raison: Raison) -> Raison:
    """A leaf under `not`: its verdict flips, and its message says the aid excludes what the leaf describes."""
    message = raison.message.replace("l'aide demande", "l'aide exclut").replace("l'aide vise", "l'aide exclut")
    if raison.verite == Verite.VRAI:
        message = message.rstrip(".") + " : l'aide est exclue dans ce cas."
    elif raison.verite == Verite.FAUX and "l'aide exclut" not in message:
        message = message.rstrip(".") + " : ce n'est pas un cas d'exclusion."
    return Raison(raison.critere, non(raison.verite), message, raison.question, raison.alternative)
