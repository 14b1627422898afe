"""Registered predicates: each reads one fact and answers true, false or unknown, with a sentence in plain French
and, when unknown, the question that would settle it. Rule files name predicates by their registered name."""
import functools
from collections.abc import Callable
from dataclasses import dataclass

from zonages.niveaux import TYPES, VERIFIER_QPV

from .faits import COUCHE_QPV, PROFESSIONS, Faits
from .logique import Verite
from .vocabulaire import CHOIX, FAITS, LIEU, OUI_NON, QUESTION_DU_LIEU, Fait


@dataclass(frozen=True)
class Question:
    champ: str
    texte: str
    choix: dict[str, str] | None = None  # allowed values and their labels; None for numbers

    def en_dict(self) -> dict:
        return {"champ": self.champ, "texte": self.texte, "choix": self._choix}

    @functools.cached_property
    def _choix(self) -> list[dict] | None:
        """Built once per question (the place's question has many): every answer that asks it shares it, read
        only (serialised)."""
        return [{"valeur": v, "libelle": l} for v, l in self.choix.items()] if self.choix else None


@dataclass(frozen=True)
class Raison:
    critere: str
    verite: Verite
    message: str
    question: Question | None = None
    # From an alternative that failed while another one is still unknown: "not this way", not "not met".
    alternative: bool = False

    def en_dict(self) -> dict:
        return {"critere": self.critere, "statut": {"vrai": "rempli", "faux": "non_rempli", "inconnu": "inconnu"}[
            self.verite.value], "message": self.message, "alternative": self.alternative}


# The question of each declared fact, and of the place of practice (asked when the QPV is unknown).
QUESTIONS = {f.nom: Question(f.nom, f.question, f.valeurs) for f in (*FAITS.values(), LIEU[QUESTION_DU_LIEU])}

Predicat = Callable[[Faits, object], Raison]
REGISTRE: dict[str, Predicat] = {}
# How each predicate's parameter is checked when rule files are validated: a function returning an error or None.
VERIFICATIONS: dict[str, Callable[[object], str | None]] = {}


@dataclass(frozen=True)
class Lecture:
    """What a predicate reads of the facts, as one hashable value: two cases with the same value get the same answer
    (the compiled conditions keep it: conditions.py). A predicate declares all it reads, the words of its sentences
    included (the commune's name, the date). Leaves whose readings have the same name read the same value: it is
    read once per case."""

    nom: str
    lire: Callable[[Faits], object]
    du_lieu: bool = False  # it reads facts of the place (zonages, QPV, département, population), not of the person


# Each predicate's reading for a parameter: parameter → Lecture.
LECTURES: dict[str, Callable[[object], Lecture]] = {}


def predicat(nom: str, verification: Callable[[object], str | None], lecture: Callable[[object], Lecture]):
    def enregistrer(fonction: Predicat) -> Predicat:
        REGISTRE[nom] = fonction
        VERIFICATIONS[nom] = verification
        LECTURES[nom] = lecture
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


@predicat("profession", _liste_de(PROFESSIONS), lambda _: Lecture("profession", lambda faits: faits.profession))
def profession(faits: Faits, professions: list[str]) -> Raison:
    attendu = _libelles(professions, PROFESSIONS)
    ok = faits.profession in professions
    message = (f"Profession : {PROFESSIONS[faits.profession].lower()}" + ("." if ok else f" ; l'aide vise : {attendu.lower()}."))
    return Raison("profession", Verite.de(ok), message)


# Levels whose plain-French designation is not their label in lower case (a superposition's "Non classée" needs
# its kind: "non classée en zone de montagne").
DESIGNATIONS = {("montagne", "NC"): "non classée en zone de montagne", ("zrr", "PC"): "partiellement classée en ZRR",
                ("zrr", "NC"): "non classée en ZRR", ("frr", "NC"): "non classée France Ruralités Revitalisation"}
MOIS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre")


def date_en_francais(jour) -> str:
    """2026-03-01 → "1er mars 2026"."""
    return f"{'1er' if jour.day == 1 else jour.day} {MOIS[jour.month - 1]} {jour.year}"


def minuscule(texte: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless it begins an acronym ("CPTS …", "FRR+")."""
    return texte if texte[1:2].isupper() else texte[:1].lower() + texte[1:]


def designation(type_zonage, code: str) -> str:
    """What a level is called in a sentence: "zone d'intervention prioritaire", "zone très sous-dotée",
    "classée en zone de montagne", "non classée en ZRR"."""
    if (type_zonage.code, code) in DESIGNATIONS:
        return DESIGNATIONS[type_zonage.code, code]
    niveau = type_zonage.niveau(code)
    libelle = minuscule(niveau.libelle if niveau else code)
    if type_zonage.famille == "profession" and not libelle.startswith(("zone", "hors")):
        return "zone " + libelle
    return libelle


def etat_de_la_commune(type_zonage, code: str) -> str:
    """ "est en zone d'intervention prioritaire", "est classée en zone de montagne", "n'est pas classée en ZRR"."""
    nom = designation(type_zonage, code)
    if nom.startswith("non classée"):
        return "n'est pas classée" + nom[len("non classée"):]
    return ("est en " if nom.startswith("zone") else "est ") + nom


@functools.lru_cache(maxsize=1024)
def _niveaux_attendus(code: str, niveaux: tuple[str, ...]) -> str:
    """ "zone d'intervention prioritaire ou zone d'action complémentaire": what a rule asks, said once per rule."""
    return _libelles([designation(TYPES[code], n) for n in niveaux], {})


def _lecture_zonage(parametre: dict) -> Lecture:
    code = parametre["type"]
    return Lecture(f"zonage:{code}", lambda faits: (faits.zonages.get(code), faits.couche_chargee(code),
                                                    faits.nom_commune, faits.date), du_lieu=True)


@predicat("zonage", _verifier_zonage, _lecture_zonage)
def zonage(faits: Faits, parametre: dict) -> Raison:
    type_zonage = TYPES[parametre["type"]]
    attendu = _niveaux_attendus(type_zonage.code, tuple(parametre["niveaux"]))
    niveau = faits.zonages.get(type_zonage.code)
    critere = f"zonage:{type_zonage.code}"
    if niveau is None:
        # Unknown, never "no": a layer not loaded, or a loaded version that does not list the commune.
        if faits.couche_chargee(type_zonage.code):
            constat = f"la version en vigueur le {date_en_francais(faits.date)} ne classe pas {faits.nom_commune}"
        else:
            constat = f"aucun zonage en vigueur le {date_en_francais(faits.date)} n'est chargé dans le portail"
        return Raison(critere, Verite.INCONNU, f"{type_zonage.libelle} : {constat} ; l'aide demande : {attendu}. "
                                               f"Vérifiez {type_zonage.ou_verifier}.")
    etat = f"{type_zonage.libelle} : {faits.nom_commune} {etat_de_la_commune(type_zonage, niveau)}"
    if niveau in parametre["niveaux"]:
        return Raison(critere, Verite.VRAI, etat + ".")
    return Raison(critere, Verite.FAUX, f"{etat} ; l'aide demande : {attendu}.")


@predicat("qpv", _booleen, lambda _: Lecture("qpv", lambda faits: (faits.qpv, faits.couche_chargee(COUCHE_QPV),
                                                                     faits.nom_commune, faits.date), du_lieu=True))
def qpv(faits: Faits, attendu: bool) -> Raison:
    if faits.qpv is None:
        if not faits.couche_chargee(COUCHE_QPV):
            return Raison("qpv", Verite.INCONNU, "Quartiers prioritaires (QPV) : aucune liste de quartiers prioritaires "
                                                 f"en vigueur le {date_en_francais(faits.date)} n'est chargée dans le "
                                                 f"portail ; vérifiez sur {VERIFIER_QPV}.")
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


def _question(fait: Fait, faits: Faits) -> Question:
    """The fact's question, in the words of the commune's region when it has its own (Fait.par_region)."""
    if faits.region in fait.par_region:
        return Question(fait.nom, fait.question_pour(faits.region), fait.valeurs)
    return QUESTIONS[fait.nom]


def _oui_non(fait: Fait):
    champ, vrai, faux = fait.nom, fait.si_vrai, fait.si_faux

    def evaluer(faits: Faits, attendu: bool) -> Raison:
        valeur = getattr(faits.situation, champ)
        demande = vrai if attendu else faux
        if valeur is None:
            return Raison(champ, Verite.INCONNU, f"{demande} : à préciser.", _question(fait, faits))
        constat = vrai if valeur else faux
        if valeur == attendu:
            return Raison(champ, Verite.VRAI, constat + ".")
        return Raison(champ, Verite.FAUX, f"{constat} ; l'aide demande : {minuscule(demande)}.")
    return evaluer


def _codes_departement(parametre) -> str | None:
    if not isinstance(parametre, list) or not parametre or not all(isinstance(c, str) for c in parametre):
        return "une liste non vide de codes de département (texte, ex. \"09\") est attendue"
    return None


@predicat("departement", _codes_departement,
          lambda _: Lecture("departement", lambda faits: (faits.departement, faits.nom_commune), du_lieu=True))
def departement(faits: Faits, codes: list[str]) -> Raison:
    ok = faits.departement in codes
    vises = codes[0] if len(codes) == 1 else ", ".join(codes[:-1]) + " et " + codes[-1]
    return Raison("departement", Verite.de(ok), f"{faits.nom_commune} est dans le département {faits.departement}"
                  + ("." if ok else f" ; l'aide vise le{'s' if len(codes) > 1 else ''} département"
                                    f"{'s' if len(codes) > 1 else ''} {vises}."))


def _texte_non_vide(parametre) -> str | None:
    return None if isinstance(parametre, str) and parametre.strip() else "une phrase expliquant la donnée manquante est attendue"


@predicat("donnee_indisponible", _texte_non_vide, lambda _: Lecture("rien", lambda faits: None))
def donnee_indisponible(faits: Faits, explication: str) -> Raison:
    """A condition on data the portal does not hold (e.g. a perimeter not published): always unknown, and says so."""
    return Raison("donnee_indisponible", Verite.INCONNU, explication.strip())


SEUILS = {"min": "au moins", "max": "au plus", "plus_de": "plus de", "moins_de": "moins de"}


def _seuils(parametre) -> str | None:
    """Bounds, inclusive or strict: {min, max, plus_de, moins_de} (e.g. "more than 15 km": {plus_de: 15})."""
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


def _avec_unite(nombre, unite: str) -> str:
    return f"{_en_francais(nombre)} {unite}" if unite else _en_francais(nombre)


def _seuils_en_francais(seuils: dict, unite_pour) -> str:
    """{min: 4, max: 6} → "au moins 4 et au plus 6 demi-journées par semaine": the unit once, after the last bound."""
    bornes = [(SEUILS[cle], seuils[cle]) for cle in SEUILS if cle in seuils]
    *debut, (mot, dernier) = bornes
    return " et ".join([*(f"{m} {_en_francais(v)}" for m, v in debut), f"{mot} {_avec_unite(dernier, unite_pour(dernier))}"])


def _mesure(fait: Fait):
    """A number of the situation within thresholds; unknown when not given."""
    champ, sujet = fait.nom, fait.sujet_raison

    def evaluer(faits: Faits, seuils: dict) -> Raison:
        valeur = getattr(faits.situation, champ)
        attendu = _seuils_en_francais(seuils, fait.unite_pour)
        if valeur is None:
            return Raison(champ, Verite.INCONNU, f"{sujet} : l'aide demande {attendu} ; à préciser.", QUESTIONS[champ])
        ok = _dans_les_seuils(valeur, seuils)
        return Raison(champ, Verite.de(ok), f"{sujet} : {_avec_unite(valeur, fait.unite_pour(valeur))}"
                      + ("." if ok else f" ; l'aide demande {attendu}."))
    return evaluer


def _habitants(nombre) -> str:
    return "habitant" if abs(nombre) < 2 else "habitants"


def _lecture_population(seuils: dict) -> Lecture:
    """Only which side of the thresholds the population is on (and the name): the sentence says no more, so that
    the communes on the same side answer alike (aides/reponse_eligibilite.py shares their answers)."""
    return Lecture(f"population_commune:{sorted(seuils.items())!r}", lambda faits: (
        None if faits.population is None else _dans_les_seuils(faits.population, seuils), faits.nom_commune),
        du_lieu=True)


@predicat("population_commune", _seuils, _lecture_population)
def population_commune(faits: Faits, seuils: dict) -> Raison:
    attendu = _seuils_en_francais(seuils, _habitants)
    if faits.population is None:
        return Raison("population_commune", Verite.INCONNU, f"Population de {faits.nom_commune} inconnue du portail ; "
                                                            f"l'aide demande une commune de {attendu}.")
    if _dans_les_seuils(faits.population, seuils):
        return Raison("population_commune", Verite.VRAI, f"{faits.nom_commune} est une commune de {attendu}.")
    return Raison("population_commune", Verite.FAUX, f"{faits.nom_commune} n'est pas une commune de {attendu}, ce "
                                                     "que l'aide demande.")


def _lecture_de(fait: Fait):
    champ, regions = fait.nom, set(fait.par_region)
    if regions:  # its question depends on the region: read too
        lecture = Lecture(f"situation:{champ}", lambda faits: (getattr(faits.situation, champ),
                                                               faits.region if faits.region in regions else None))
    else:
        lecture = Lecture(f"situation:{champ}", lambda faits: getattr(faits.situation, champ))
    return lambda _: lecture


# One predicate per declared fact, named after it; it reads that fact of the situation only.
for _fait in FAITS.values():
    if _fait.nature == CHOIX:
        predicat(_fait.nom, _liste_de(_fait.choix), _lecture_de(_fait))(_choix(_fait))
    elif _fait.nature == OUI_NON:
        predicat(_fait.nom, _booleen, _lecture_de(_fait))(_oui_non(_fait))
    else:
        predicat(_fait.nom, _seuils, _lecture_de(_fait))(_mesure(_fait))
