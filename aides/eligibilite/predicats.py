"""Registered predicates: each reads one fact and answers true, false or unknown, with a sentence in plain French
and, when unknown, the question that would settle it. Rule files name predicates by their registered name."""
from collections.abc import Callable
from dataclasses import dataclass

from zonages.niveaux import TYPES

from .faits import PROFESSIONS, Faits
from .logique import Verite
from .vocabulaire import CHOIX, FAITS, LIEU, OUI_NON, QUESTION_DU_LIEU, Fait


@dataclass(frozen=True)
class Question:
    champ: str
    texte: str
    choix: dict[str, str] | None = None  # allowed values and their labels; None for numbers

    def en_dict(self) -> dict:
        return {"champ": self.champ, "texte": self.texte,
                "choix": [{"valeur": v, "libelle": l} for v, l in self.choix.items()] if self.choix else None}


@dataclass(frozen=True)
class Raison:
    critere: str
    verite: Verite
    message: str
    question: Question | None = None

    def en_dict(self) -> dict:
        return {"critere": self.critere, "statut": {"vrai": "rempli", "faux": "non_rempli", "inconnu": "inconnu"}[
            self.verite.value], "message": self.message}


# The question of each declared fact, and of the place of practice (asked when the QPV is unknown).
QUESTIONS = {f.nom: Question(f.nom, f.question, f.valeurs) for f in (*FAITS.values(), LIEU[QUESTION_DU_LIEU])}

Predicat = Callable[[Faits, object], Raison]
REGISTRE: dict[str, Predicat] = {}
# How each predicate's parameter is checked when rule files are validated: a function returning an error or None.
VERIFICATIONS: dict[str, Callable[[object], str | None]] = {}


def predicat(nom: str, verification: Callable[[object], str | None]):
    def enregistrer(fonction: Predicat) -> Predicat:
        REGISTRE[nom] = fonction
        VERIFICATIONS[nom] = verification
        return fonction
    return enregistrer


def _liste_de(valeurs: dict):
    def verifier(parametre) -> str | None:
        if not isinstance(parametre, list) or not parametre:
            return "une liste non vide est attendue"
        inconnues = [v for v in parametre if v not in valeurs]
        return f"valeur(s) inconnue(s) {inconnues} (permises : {', '.join(valeurs)})" if inconnues else None
    return verifier


def _booleen(parametre) -> str | None:
    return None if isinstance(parametre, bool) else "true ou false est attendu"


def _bornes(parametre) -> str | None:
    if not isinstance(parametre, dict) or not set(parametre) <= {"min", "max"} or not parametre:
        return "un dictionnaire {min: …, max: …} est attendu"
    return None if all(isinstance(v, (int, float)) for v in parametre.values()) else "min et max doivent être des nombres"


def _verifier_zonage(parametre) -> str | None:
    if not isinstance(parametre, dict) or set(parametre) != {"type", "niveaux"}:
        return "{type: …, niveaux: [...]} est attendu"
    type_zonage = TYPES.get(parametre["type"])
    if type_zonage is None:
        return f"type de zonage inconnu {parametre['type']!r} (permis : {', '.join(TYPES)})"
    return _liste_de({n.code: n.libelle for n in type_zonage.niveaux})(parametre["niveaux"])


def _libelles(valeurs: list[str], dictionnaire: dict[str, str]) -> str:
    libelles = [dictionnaire.get(v, v) for v in valeurs]
    return libelles[0] if len(libelles) == 1 else ", ".join(libelles[:-1]) + " ou " + libelles[-1]


@predicat("profession", _liste_de(PROFESSIONS))
def profession(faits: Faits, professions: list[str]) -> Raison:
    attendu = _libelles(professions, PROFESSIONS)
    ok = faits.profession in professions
    message = (f"Profession : {PROFESSIONS[faits.profession].lower()}" + ("." if ok else f" ; l'aide vise : {attendu.lower()}."))
    return Raison("profession", Verite.de(ok), message)


@predicat("zonage", _verifier_zonage)
def zonage(faits: Faits, parametre: dict) -> Raison:
    type_zonage = TYPES[parametre["type"]]
    libelles = {n.code: n.libelle for n in type_zonage.niveaux}
    attendu = _libelles(parametre["niveaux"], libelles)
    niveau = faits.zonages.get(type_zonage.code)
    critere = f"zonage:{type_zonage.code}"
    if niveau is None:
        return Raison(critere, Verite.INCONNU, f"{type_zonage.libelle} : aucun zonage connu pour {faits.nom_commune} à "
                                               f"cette date ; l'aide demande : {attendu.lower()}.")
    ok = niveau in parametre["niveaux"]
    actuel = libelles.get(niveau, niveau)
    if ok:
        return Raison(critere, Verite.VRAI, f"{type_zonage.libelle} : {faits.nom_commune} est classée « {actuel} ».")
    return Raison(critere, Verite.FAUX, f"{type_zonage.libelle} : {faits.nom_commune} est classée « {actuel} » ; "
                                        f"l'aide demande : {attendu.lower()}.")


@predicat("qpv", _booleen)
def qpv(faits: Faits, attendu: bool) -> Raison:
    if faits.qpv is None:
        return Raison("qpv", Verite.INCONNU, f"{faits.nom_commune} compte des quartiers prioritaires (QPV) : indiquez "
                                             "le lieu d'exercice pour savoir s'il en fait partie.", QUESTIONS[QUESTION_DU_LIEU])
    dedans = "est" if faits.qpv else "n'est pas"
    return Raison("qpv", Verite.de(faits.qpv == attendu), f"Le lieu d'exercice {dedans} dans un quartier prioritaire (QPV).")


def _choix(fait: Fait):
    champ, dictionnaire, sujet = fait.nom, fait.choix, fait.sujet_raison

    def evaluer(faits: Faits, valeurs: list[str]) -> Raison:
        valeur = getattr(faits.situation, champ)
        attendu = _libelles(valeurs, dictionnaire)
        if valeur is None:
            return Raison(champ, Verite.INCONNU, f"{sujet} : l'aide demande {attendu} ; à préciser.", QUESTIONS[champ])
        ok = valeur in valeurs
        suite = "." if ok else f" ; l'aide demande {attendu}."
        return Raison(champ, Verite.de(ok), f"{sujet} : {dictionnaire[valeur]}{suite}")
    return evaluer


def _oui_non(fait: Fait):
    champ, vrai, faux = fait.nom, fait.si_vrai, fait.si_faux

    def evaluer(faits: Faits, attendu: bool) -> Raison:
        valeur = getattr(faits.situation, champ)
        if valeur is None:
            return Raison(champ, Verite.INCONNU, f"{vrai if attendu else faux} : à préciser.", QUESTIONS[champ])
        return Raison(champ, Verite.de(valeur == attendu), (vrai if valeur else faux) + ".")
    return evaluer


@predicat("population_commune", _bornes)
def population_commune(faits: Faits, bornes: dict) -> Raison:
    if faits.population is None:
        return Raison("population_commune", Verite.INCONNU, f"Population de {faits.nom_commune} inconnue.")
    ok = bornes.get("min", faits.population) <= faits.population <= bornes.get("max", faits.population)
    return Raison("population_commune", Verite.de(ok), f"{faits.nom_commune} compte {faits.population} habitants.")


def _codes_departement(parametre) -> str | None:
    if not isinstance(parametre, list) or not parametre or not all(isinstance(c, str) for c in parametre):
        return "une liste non vide de codes de département (texte, ex. \"09\") est attendue"
    return None


@predicat("departement", _codes_departement)
def departement(faits: Faits, codes: list[str]) -> Raison:
    ok = faits.departement in codes
    return Raison("departement", Verite.de(ok), f"{faits.nom_commune} est dans le département {faits.departement}"
                  + ("." if ok else f" ; l'aide vise : {', '.join(codes)}."))


def _texte_non_vide(parametre) -> str | None:
    return None if isinstance(parametre, str) and parametre.strip() else "une phrase expliquant la donnée manquante est attendue"


@predicat("donnee_indisponible", _texte_non_vide)
def donnee_indisponible(faits: Faits, explication: str) -> Raison:
    """A condition on data the portal does not hold (e.g. a perimeter not published): always unknown, and says so."""
    return Raison("donnee_indisponible", Verite.INCONNU, explication.strip())


SEUILS = {"min": "au moins", "max": "au plus", "plus_de": "plus de", "moins_de": "moins de"}


def _seuils(parametre) -> str | None:
    """Like `_bornes`, with strict bounds too: {min, max, plus_de, moins_de} (e.g. "more than 15 km": {plus_de: 15})."""
    if not isinstance(parametre, dict) or not parametre or not set(parametre) <= set(SEUILS):
        return "un dictionnaire {min: …, max: …, plus_de: …, moins_de: …} (au moins une clé) est attendu"
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in parametre.values())
    return None if ok else "les bornes doivent être des nombres"


def _en_francais(nombre) -> str:
    if float(nombre).is_integer():
        return f"{int(nombre):,}".replace(",", "\u202f")
    return f"{nombre:g}".replace(".", ",")


def _dans_les_seuils(valeur, seuils: dict) -> bool:
    return (seuils.get("min", valeur) <= valeur <= seuils.get("max", valeur)
            and ("plus_de" not in seuils or valeur > seuils["plus_de"])
            and ("moins_de" not in seuils or valeur < seuils["moins_de"]))


def _mesure(fait: Fait):
    """A number of the situation within thresholds; unknown when not given."""
    champ, sujet, unite = fait.nom, fait.sujet_raison, fait.unite

    def evaluer(faits: Faits, seuils: dict) -> Raison:
        valeur = getattr(faits.situation, champ)
        suffixe = f" {unite}" if unite else ""
        attendu = " et ".join(f"{SEUILS[cle]} {_en_francais(seuils[cle])}" for cle in SEUILS if cle in seuils) + suffixe
        if valeur is None:
            return Raison(champ, Verite.INCONNU, f"{sujet} : l'aide demande {attendu} ; à préciser.", QUESTIONS[champ])
        ok = _dans_les_seuils(valeur, seuils)
        return Raison(champ, Verite.de(ok), f"{sujet} : {_en_francais(valeur)}{suffixe}"
                      + ("." if ok else f" ; l'aide demande {attendu}."))
    return evaluer


# One predicate per declared fact, named after it.
for _fait in FAITS.values():
    if _fait.nature == CHOIX:
        predicat(_fait.nom, _liste_de(_fait.choix))(_choix(_fait))
    elif _fait.nature == OUI_NON:
        predicat(_fait.nom, _booleen)(_oui_non(_fait))
    else:
        predicat(_fait.nom, _seuils)(_mesure(_fait))
