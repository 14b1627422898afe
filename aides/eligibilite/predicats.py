"""Registered predicates: each reads one fact and answers true, false or unknown, with a sentence in plain French
and, when unknown, the question that would settle it. Rule files name predicates by their registered name."""
from collections.abc import Callable
from dataclasses import dataclass

from zonages.niveaux import TYPES

from .faits import ETAPES, EXERCICES_COORDONNES, MODES, PORTEURS_PROJET, PROFESSIONS, SECTEURS, Faits
from .logique import Verite


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


OUI_NON = {"oui": "oui", "non": "non"}
QUESTIONS = {
    "etape": Question("etape", "Où en êtes-vous de votre parcours ?", ETAPES),
    "mode": Question("mode", "Quel sera votre mode d'exercice ?", MODES),
    "exercice_coordonne": Question("exercice_coordonne", "Exercez-vous (ou exercerez-vous) en exercice coordonné ?",
                                   EXERCICES_COORDONNES),
    "demi_journees": Question("demi_journees", "Combien de demi-journées par semaine exercerez-vous dans la commune ?"),
    "secteur": Question("secteur", "Dans quel secteur conventionnel exercez-vous ?", SECTEURS),
    "premiere_installation": Question("premiere_installation", "S'agit-il de votre première installation en libéral ?", OUI_NON),
    "age": Question("age", "Quel est votre âge ?"),
    "maitre_de_stage": Question("maitre_de_stage", "Êtes-vous maître de stage universitaire ?", OUI_NON),
    "ipa": Question("ipa", "Êtes-vous (ou serez-vous) infirmier en pratique avancée ?", OUI_NON),
    "porteur_projet": Question("porteur_projet", "Portez-vous un projet de structure ?", PORTEURS_PROJET),
    "pdsa": Question("pdsa", "Participerez-vous à la permanence des soins ambulatoires (PDSA) ?", OUI_NON),
    "lon": Question("lon", "Où exercerez-vous précisément ? (adresse ou point sur la carte, pour savoir si c'est en QPV)"),
    "exercice_en_groupe": Question("exercice_en_groupe", "Exercez-vous (ou exercerez-vous) en cabinet de groupe ?", OUI_NON),
    "cabinet_secondaire": Question("cabinet_secondaire", "S'agit-il d'un cabinet secondaire, en plus de votre cabinet "
                                                         "principal ?", OUI_NON),
    "jours_par_an_en_zip": Question("jours_par_an_en_zip", "Combien de jours par an exercez-vous (ou exercerez-vous) en "
                                                           "zone d'intervention prioritaire ?"),
    "accueil_jeune_medecin": Question("accueil_jeune_medecin", "Accueillez-vous à votre cabinet un médecin de moins de "
                                                               "50 ans installé en libéral depuis moins d'un an ?", OUI_NON),
    "licence_remplacement": Question("licence_remplacement", "Êtes-vous titulaire d'une licence de remplacement ?", OUI_NON),
    "mois_depuis_inscription_ordre": Question("mois_depuis_inscription_ordre", "Depuis combien de mois (révolus) êtes-vous "
                                                                               "inscrit au tableau de l'Ordre ?"),
    "annees_depuis_these": Question("annees_depuis_these", "Depuis combien d'années (révolues) avez-vous soutenu votre "
                                                           "thèse ?"),
    "annee_etudes": Question("annee_etudes", "En quelle année d'études êtes-vous (1 pour la première année) ?"),
    "cycle_etudes": Question("cycle_etudes", "Dans quel cycle d'études êtes-vous (1, 2 ou 3 ; 3 pour l'internat) ?"),
    "distance_km": Question("distance_km", "À combien de kilomètres le lieu de stage est-il de votre UFR et de votre "
                                           "domicile ? (indiquez la plus courte des deux distances)"),
    "paie_hebergement": Question("paie_hebergement", "Payez-vous un logement pour ce stage ?", OUI_NON),
    "projet_de_sante_valide": Question("projet_de_sante_valide", "Le projet de santé de la structure a-t-il été validé "
                                                                 "par l'ARS ?", OUI_NON),
    "medecins_generalistes": Question("medecins_generalistes", "Combien de médecins généralistes exerceront dans la "
                                                               "structure ?"),
    "regime_reel": Question("regime_reel", "Êtes-vous imposé au régime réel (déclaration contrôlée) plutôt qu'au régime "
                                           "micro (micro-BNC) ?", OUI_NON),
    "population_cpts": Question("population_cpts", "Combien d'habitants compte le territoire couvert par la CPTS ?"),
}

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
                                             "le lieu d'exercice pour savoir s'il en fait partie.", QUESTIONS["lon"])
    dedans = "est" if faits.qpv else "n'est pas"
    return Raison("qpv", Verite.de(faits.qpv == attendu), f"Le lieu d'exercice {dedans} dans un quartier prioritaire (QPV).")


def _choix(champ: str, dictionnaire: dict[str, str], sujet: str):
    def evaluer(faits: Faits, valeurs: list[str]) -> Raison:
        valeur = getattr(faits.situation, champ)
        attendu = _libelles(valeurs, dictionnaire)
        if valeur is None:
            return Raison(champ, Verite.INCONNU, f"{sujet} : l'aide demande {attendu} ; à préciser.", QUESTIONS[champ])
        ok = valeur in valeurs
        suite = "." if ok else f" ; l'aide demande {attendu}."
        return Raison(champ, Verite.de(ok), f"{sujet} : {dictionnaire[valeur]}{suite}")
    return evaluer


for _champ, _dico, _sujet in [("etape", ETAPES, "Parcours"), ("mode", MODES, "Mode d'exercice"),
                              ("exercice_coordonne", EXERCICES_COORDONNES, "Exercice coordonné"),
                              ("secteur", SECTEURS, "Secteur conventionnel"),
                              ("porteur_projet", PORTEURS_PROJET, "Projet porté")]:
    predicat(_champ, _liste_de(_dico))(_choix(_champ, _dico, _sujet))


def _oui_non(champ: str, vrai: str, faux: str):
    def evaluer(faits: Faits, attendu: bool) -> Raison:
        valeur = getattr(faits.situation, champ)
        if valeur is None:
            return Raison(champ, Verite.INCONNU, f"{vrai if attendu else faux} : à préciser.", QUESTIONS[champ])
        return Raison(champ, Verite.de(valeur == attendu), (vrai if valeur else faux) + ".")
    return evaluer


for _champ, _vrai, _faux in [("premiere_installation", "Première installation en libéral", "Pas une première installation"),
                             ("maitre_de_stage", "Maître de stage universitaire", "Pas maître de stage universitaire"),
                             ("ipa", "Infirmier en pratique avancée", "Pas infirmier en pratique avancée"),
                             ("pdsa", "Participation à la permanence des soins (PDSA)",
                              "Pas de participation à la permanence des soins (PDSA)")]:
    predicat(_champ, _booleen)(_oui_non(_champ, _vrai, _faux))





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


# Facts added for the full catalogue (aides-reference.md): same patterns as above.
for _champ, _vrai, _faux in [
        ("exercice_en_groupe", "Exercice en cabinet de groupe", "Pas d'exercice en cabinet de groupe"),
        ("cabinet_secondaire", "Cabinet secondaire", "Cabinet principal, pas un cabinet secondaire"),
        ("accueil_jeune_medecin", "Accueil d'un médecin de moins de 50 ans installé depuis moins d'un an",
         "Pas d'accueil d'un médecin de moins de 50 ans installé depuis moins d'un an"),
        ("licence_remplacement", "Titulaire d'une licence de remplacement", "Pas de licence de remplacement"),
        ("paie_hebergement", "Logement payé pour le stage", "Pas de logement payé pour le stage"),
        ("projet_de_sante_valide", "Projet de santé validé par l'ARS", "Projet de santé pas encore validé par l'ARS"),
        ("regime_reel", "Imposition au régime réel (déclaration contrôlée)",
         "Imposition au régime micro, pas au régime réel")]:
    predicat(_champ, _booleen)(_oui_non(_champ, _vrai, _faux))


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


def _mesure(champ: str, sujet: str, unite: str):
    """A number of the situation within thresholds; unknown when not given."""
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


for _champ, _sujet, _unite in [
        ("jours_par_an_en_zip", "Activité en zone d'intervention prioritaire", "jours par an"),
        ("mois_depuis_inscription_ordre", "Ancienneté d'inscription au tableau de l'Ordre", "mois"),
        ("annees_depuis_these", "Ancienneté de la thèse", "ans"),
        ("annee_etudes", "Année d'études en cours", ""),
        ("cycle_etudes", "Cycle d'études", ""),
        ("distance_km", "Distance du lieu de stage à l'UFR et au domicile", "km"),
        ("medecins_generalistes", "Médecins généralistes de la structure", "")]:
    predicat(_champ, _seuils)(_mesure(_champ, _sujet, _unite))

predicat("population_cpts", _seuils)(_mesure("population_cpts", "Population du territoire de la CPTS", "habitants"))


predicat("demi_journees", _seuils)(_mesure("demi_journees", "Activité", "demi-journées par semaine"))
predicat("age", _seuils)(_mesure("age", "Âge", "ans"))
