"""The facts of one case. `None` everywhere means "not known": predicates then answer unknown, never guess."""
import datetime
from dataclasses import dataclass, field

from noyau.professions import PROFESSIONS  # noqa: F401  re-exported: the engine's vocabulary

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
    population_cpts: int | None = None  # inhabitants of the CPTS's territory (ACI CPTS funding bracket)
    # Added for the full catalogue (aides-reference.md). Numbers are whole numbers, as the simulation form asks them.
    exercice_en_groupe: bool | None = None  # cabinet de groupe (COSCOM, infirmiers' contracts)
    cabinet_secondaire: bool | None = None  # the commune is that of a secondary cabinet (AM 2026 aid, CFE)
    jours_par_an_en_zip: int | None = None  # days per year worked in a ZIP (CSTM)
    accueil_jeune_medecin: bool | None = None  # hosts a doctor under 50 installed for less than a year (COTRAM)
    licence_remplacement: bool | None = None  # holds a licence de remplacement (PTMR, CDE)
    mois_depuis_inscription_ordre: int | None = None  # whole months on the Ordre's register (CDE)
    annees_depuis_these: int | None = None  # whole years since the thèse (PTMR)
    annee_etudes: int | None = None  # current year of studies, 1 = first year (CESP)
    cycle_etudes: int | None = None  # 1, 2 or 3 (3 = internat) (transport, hébergement)
    distance_km: int | None = None  # from the stage to the UFR and to home, the shorter of the two (transport)
    paie_hebergement: bool | None = None  # pays for housing during the stage (hébergement)
    projet_de_sante_valide: bool | None = None  # the structure's projet de santé is validated (MSP, ACI)
    medecins_generalistes: int | None = None  # number of MGs in the structure (centre de santé start-up)
    regime_reel: bool | None = None  # taxed under the réel regime (déclaration contrôlée), not micro (ZRR, ZFRR)


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
    # Population of the territory covered by the CPTS (ACI CPTS brackets); None: not known.
