"""The facts of one case. `None` everywhere means "not known": predicates then answer unknown, never guess."""
import datetime
from dataclasses import dataclass, field

PROFESSIONS = {
    "medecin-generaliste": "Médecin généraliste",
    "medecin-specialiste": "Médecin spécialiste",
    "chirurgien-dentiste": "Chirurgien-dentiste",
    "infirmier": "Infirmier",
    "masseur-kinesitherapeute": "Masseur-kinésithérapeute",
    "orthophoniste": "Orthophoniste",
    "orthoptiste": "Orthoptiste",
    "pharmacien": "Pharmacien",
    "sage-femme": "Sage-femme",
    "pedicure-podologue": "Pédicure-podologue",
}
ETAPES = {"etudiant": "étudiant", "interne": "interne", "remplacant": "remplaçant",
          "installation": "en cours d'installation ou installé depuis moins d'un an", "installe": "installé"}
MODES = {"liberal": "libéral", "salarie": "salarié", "mixte": "mixte"}
EXERCICES_COORDONNES = {"msp": "maison de santé pluriprofessionnelle", "esp": "équipe de soins primaires",
                        "cds": "centre de santé", "cpts": "CPTS", "aucun": "aucun"}
SECTEURS = {"1": "secteur 1", "2-optam": "secteur 2 avec OPTAM", "2": "secteur 2 sans OPTAM"}
PORTEURS_PROJET = {"msp": "projet de MSP", "cds": "projet de centre de santé", "cpts": "projet de CPTS", "aucun": "aucun"}


@dataclass(frozen=True)
class Situation:
    etape: str | None = None
    mode: str | None = None
    exercice_coordonne: str | None = None
    demi_journees: float | None = None  # per week
    secteur: str | None = None
    premiere_installation: bool | None = None
    age: int | None = None
    maitre_de_stage: bool | None = None
    ipa: bool | None = None
    porteur_projet: str | None = None
    pdsa: bool | None = None  # takes part in the permanence des soins ambulatoires


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
