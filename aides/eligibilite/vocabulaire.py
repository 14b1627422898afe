"""The facts of a situation, each declared once: its kind, its plain-French label, the question that settles it, a
short help text, its unit and bounds, its choices, and for a yes/no fact the sentences of a reason. The `Situation`
dataclass, the engine's questions and predicates, the simulation form and the API's parameters are derived from
this list; a fact added here is asked, checked and documented everywhere.

Order: most decisive first (by the number of rule files whose conditions read the fact, in December 2026; ties
grouped by theme), so the form, the questions and the API documentation open with what settles most schemes."""
from dataclasses import dataclass, field

CHOIX, OUI_NON, ENTIER, NOMBRE = "choix", "oui_non", "entier", "nombre"
TYPES_PYTHON = {CHOIX: str, OUI_NON: bool, ENTIER: int, NOMBRE: float}
REPONSES_OUI_NON = {"oui": "oui", "non": "non"}


@dataclass(frozen=True)
class Fait:
    nom: str
    nature: str  # CHOIX, OUI_NON, ENTIER or NOMBRE
    libelle: str  # the form's label, and the fact's name in the conditions shown on a scheme's page
    question: str  # asked when the fact is unknown and would change a result
    aide: str  # one short sentence under the field
    sujet: str = ""  # first words of a reason's sentence ("Parcours : étudiant."); the label when empty
    unite: str = ""  # numbers: said after the value in a reason ("3 ans")
    unite_singulier: str = ""  # the unit after 0 or 1 ("1 an"); the unit itself when empty
    minimum: float | None = None  # numbers: inclusive bounds the form enforces
    maximum: float | None = None
    choix: dict[str, str] | None = None  # CHOIX: allowed values and their labels
    si_vrai: str = ""  # OUI_NON: the reason's sentence when the fact is true, and when it is false
    si_faux: str = ""
    # For a fact whose wording depends on the commune's region (INSEE code): {"question": …, "aide": …} asked
    # there instead of the question and help, which must then be true in every region.
    par_region: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self):
        assert self.nature in TYPES_PYTHON, f"{self.nom} : nature inconnue {self.nature!r}"
        assert (self.nature == CHOIX) == bool(self.choix), f"{self.nom} : choix attendus pour un fait à choix seulement"
        assert (self.nature == OUI_NON) == bool(self.si_vrai and self.si_faux), f"{self.nom} : phrases oui/non"
        numerique = self.nature in {ENTIER, NOMBRE}
        assert numerique or (self.minimum is None and self.maximum is None and not self.unite), f"{self.nom} : bornes"
        assert None in {self.minimum, self.maximum} or self.minimum <= self.maximum, f"{self.nom} : bornes inversées"
        assert all(set(t) == {"question", "aide"} for t in self.par_region.values()), f"{self.nom} : par_region"

    @property
    def type_python(self) -> type:
        return TYPES_PYTHON[self.nature]

    def unite_pour(self, valeur: float) -> str:
        """The unit after `valeur`, singular below 2 as French writes it ("1 an", "0,5 jour")."""
        return self.unite_singulier if self.unite_singulier and abs(valeur) < 2 else self.unite

    def question_pour(self, region: str | None) -> str:
        return self.par_region.get(region, {}).get("question", self.question)

    def aide_pour(self, region: str | None) -> str:
        return self.par_region.get(region, {}).get("aide", self.aide)

    @property
    def sujet_raison(self) -> str:
        return self.sujet or self.libelle

    @property
    def valeurs(self) -> dict[str, str] | None:
        """The answers offered with the question: the choices, oui/non, or none for a number."""
        return self.choix if self.nature == CHOIX else REPONSES_OUI_NON if self.nature == OUI_NON else None


_FAITS = (
    Fait("etape", CHOIX, "Étape du parcours", "Où en êtes-vous de votre parcours ?",
         "Votre situation à la date de la simulation.",
         sujet="Parcours",
         choix={"etudiant": "étudiant", "interne": "interne", "remplacant": "remplaçant",
                "installation": "en cours d'installation ou installé depuis moins d'un an", "installe": "installé"}),
    Fait("mode", CHOIX, "Mode d'exercice", "Quel sera votre mode d'exercice ?",
         "Mixte : une activité libérale et une activité salariée.",
         choix={"liberal": "libéral", "salarie": "salarié", "mixte": "mixte"}),
    Fait("exercice_coordonne", CHOIX, "Exercice coordonné", "Exercez-vous (ou exercerez-vous) en exercice coordonné ?",
         "La structure d'exercice coordonné dont vous faites (ou ferez) partie.",
         choix={"msp": "maison de santé pluriprofessionnelle", "esp": "équipe de soins primaires",
                "cds": "centre de santé", "cpts": "CPTS", "aucun": "aucun"}),
    Fait("secteur", CHOIX, "Secteur conventionnel", "Dans quel secteur conventionnel exercez-vous ?",
         "OPTAM : option pratique tarifaire maîtrisée, que peuvent signer les médecins de secteur 2.",
         choix={"1": "secteur 1", "2-optam": "secteur 2 avec OPTAM", "2": "secteur 2 sans OPTAM"}),
    Fait("premiere_installation", OUI_NON, "Première installation en libéral",
         "S'agit-il de votre première installation en libéral ?",
         "Non si vous avez déjà été installé en libéral, ici ou ailleurs.",
         si_vrai="Première installation en libéral", si_faux="Pas une première installation"),
    Fait("pdsa", OUI_NON, "Participation à la permanence des soins (PDSA)",
         "Participerez-vous à la permanence des soins ambulatoires (PDSA) ?",
         "Les gardes aux heures où les cabinets sont fermés : soirs, nuits, week-ends et jours fériés.",
         si_vrai="Participation à la permanence des soins (PDSA)",
         si_faux="Pas de participation à la permanence des soins (PDSA)"),
    Fait("demi_journees", NOMBRE, "Demi-journées par semaine",
         "Combien de demi-journées par semaine exercerez-vous dans la commune ?",
         "Dans la commune ; une journée compte deux demi-journées.",
         sujet="Activité", unite="demi-journées par semaine", unite_singulier="demi-journée par semaine", minimum=0,
         maximum=14),
    Fait("porteur_projet", CHOIX, "Projet porté", "Portez-vous un projet de structure ?",
         "La création d'une maison de santé, d'un centre de santé ou d'une CPTS, si vous la portez.",
         choix={"msp": "projet de MSP", "cds": "projet de centre de santé", "cpts": "projet de CPTS",
                "aucun": "aucun"}),
    Fait("exercice_en_groupe", OUI_NON, "Exercice en cabinet de groupe",
         "Exercez-vous (ou exercerez-vous) en cabinet de groupe ?",
         "Un cabinet partagé avec d'autres professionnels de santé.",
         si_vrai="Exercice en cabinet de groupe", si_faux="Pas d'exercice en cabinet de groupe"),
    Fait("projet_de_sante_valide", OUI_NON, "Projet de santé validé par l'ARS",
         "Le projet de santé de la structure a-t-il été validé par l'ARS ?",
         "Le projet de santé de la maison de santé ou de la CPTS que vous portez.",
         si_vrai="Projet de santé validé par l'ARS", si_faux="Projet de santé pas encore validé par l'ARS"),
    Fait("cabinet_secondaire", OUI_NON, "Cabinet secondaire",
         "S'agit-il d'un cabinet secondaire, en plus de votre cabinet principal ?",
         "Un lieu d'exercice dans cette commune, en plus de votre cabinet principal.",
         si_vrai="Cabinet secondaire", si_faux="Cabinet principal, pas un cabinet secondaire"),
    Fait("regime_reel", OUI_NON, "Imposition au régime réel",
         "Êtes-vous imposé au régime réel (déclaration contrôlée) plutôt qu'au régime micro (micro-BNC) ?",
         "La déclaration contrôlée (formulaire 2035), et non le régime micro-BNC.",
         si_vrai="Imposition au régime réel (déclaration contrôlée)",
         si_faux="Imposition au régime micro, pas au régime réel"),
    Fait("licence_remplacement", OUI_NON, "Licence de remplacement",
         "Êtes-vous titulaire d'une licence de remplacement ?",
         "Délivrée par le conseil départemental de l'Ordre, elle permet à un étudiant de remplacer un praticien.",
         si_vrai="Titulaire d'une licence de remplacement", si_faux="Pas de licence de remplacement"),
    Fait("cycle_etudes", ENTIER, "Cycle d'études",
         "Dans quel cycle d'études êtes-vous (1, 2 ou 3 ; 3 pour l'internat) ?",
         "1, 2 ou 3 ; le troisième cycle est l'internat.", minimum=1, maximum=3),
    Fait("mois_depuis_inscription_ordre", ENTIER, "Mois depuis l'inscription à l'Ordre",
         "Depuis combien de mois (révolus) êtes-vous inscrit au tableau de l'Ordre ?",
         "Mois révolus depuis votre inscription au tableau de l'Ordre.",
         sujet="Ancienneté d'inscription au tableau de l'Ordre", unite="mois", minimum=0),
    Fait("annees_depuis_these", ENTIER, "Années depuis la thèse",
         "Depuis combien d'années (révolues) avez-vous soutenu votre thèse ?",
         "Années révolues depuis la soutenance de votre thèse.",
         sujet="Ancienneté de la thèse", unite="ans", unite_singulier="an", minimum=0),
    Fait("annee_etudes", ENTIER, "Année d'études", "En quelle année d'études êtes-vous (1 pour la première année) ?",
         "L'année en cours : 1 pour la première année.", sujet="Année d'études en cours", minimum=1, maximum=15),
    Fait("distance_km", ENTIER, "Distance du lieu de stage, en km",
         "À combien de kilomètres le lieu de stage est-il de votre UFR et de votre domicile ? (indiquez la plus courte "
         "des deux distances)",
         "La plus courte des deux : du lieu de stage à votre UFR, ou à votre domicile.",
         sujet="Distance du lieu de stage à l'UFR et au domicile", unite="km", minimum=0),
    Fait("paie_hebergement", OUI_NON, "Logement payé pour le stage", "Payez-vous un logement pour ce stage ?",
         "Un logement à votre charge pendant la durée du stage.",
         si_vrai="Logement payé pour le stage", si_faux="Pas de logement payé pour le stage"),
    Fait("jours_par_an_en_zip", ENTIER, "Jours par an en zone d'intervention prioritaire",
         "Combien de jours par an exercez-vous (ou exercerez-vous) en zone d'intervention prioritaire ?",
         "Jours d'exercice sur une année dans une ou plusieurs zones d'intervention prioritaire (ZIP).",
         sujet="Activité en zone d'intervention prioritaire", unite="jours par an", unite_singulier="jour par an",
         minimum=0, maximum=366),
    Fait("maitre_de_stage", OUI_NON, "Maître de stage universitaire", "Êtes-vous maître de stage universitaire ?",
         "Praticien agréé pour accueillir des étudiants en stage.",
         si_vrai="Maître de stage universitaire", si_faux="Pas maître de stage universitaire"),
    Fait("ipa", OUI_NON, "Infirmier en pratique avancée", "Êtes-vous (ou serez-vous) infirmier en pratique avancée ?",
         "Titulaire, ou futur titulaire, du diplôme d'État d'infirmier en pratique avancée.",
         si_vrai="Infirmier en pratique avancée", si_faux="Pas infirmier en pratique avancée"),
    Fait("accueil_jeune_medecin", OUI_NON, "Accueil d'un jeune médecin",
         "Accueillez-vous à votre cabinet un médecin de moins de 50 ans installé en libéral depuis moins d'un an ?",
         "Un médecin de moins de 50 ans, installé en libéral depuis moins d'un an, qui exerce à votre cabinet.",
         si_vrai="Accueil d'un médecin de moins de 50 ans installé depuis moins d'un an",
         si_faux="Pas d'accueil d'un médecin de moins de 50 ans installé depuis moins d'un an"),
    Fait("aide_installation_10_ans", OUI_NON, "Aide à l'installation reçue depuis moins de 10 ans",
         "Avez-vous reçu une aide à l'installation de la même catégorie depuis moins de 10 ans ?",
         "Une aide de l'Assurance Maladie ou d'une collectivité pour une installation ; le décret 2025-231 exclut une "
         "seconde aide de la même catégorie avant 10 ans.",
         si_vrai="Aide à l'installation de la même catégorie reçue depuis moins de 10 ans",
         si_faux="Pas d'aide à l'installation de la même catégorie reçue depuis moins de 10 ans"),
    Fait("jours_remplacement_trimestre", ENTIER, "Jours de remplacement par trimestre",
         "Combien de jours de remplacement faites-vous (ou ferez-vous) par trimestre ?",
         "Tous vos jours de remplacement sur un trimestre, où qu'ils aient lieu.",
         sujet="Remplacements", unite="jours par trimestre", unite_singulier="jour par trimestre", minimum=0,
         maximum=92),
    Fait("part_remplacements_en_zone", ENTIER, "Part des remplacements en zone sous-dense (%)",
         "Quelle part de vos jours de remplacement a lieu en zone d'intervention prioritaire ou d'action "
         "complémentaire (en %) ?",
         "En pourcentage de vos jours de remplacement du trimestre.",
         sujet="Part des remplacements en zone d'intervention prioritaire ou d'action complémentaire", unite="%",
         minimum=0, maximum=100),
    Fait("docteur_junior", OUI_NON, "Docteur junior de médecine générale",
         "Êtes-vous docteur junior de médecine générale (quatrième année du DES) ?",
         "La quatrième année du diplôme d'études spécialisées de médecine générale.",
         si_vrai="Docteur junior de médecine générale", si_faux="Pas docteur junior de médecine générale"),
    Fait("accueil_docteur_junior", OUI_NON, "Accueil d'un docteur junior en stage",
         "Accueillez-vous (ou accueillerez-vous) un docteur junior de médecine générale en stage ?",
         "Un docteur junior de médecine générale en stage ambulatoire auprès de vous.",
         si_vrai="Accueil d'un docteur junior de médecine générale en stage",
         si_faux="Pas d'accueil d'un docteur junior de médecine générale en stage"),
    Fait("consultations_zone_prioritaire_pacte", OUI_NON, "Consultations dans une zone prioritaire du Pacte",
         "Ferez-vous des consultations, jusqu'à 2 jours par mois, dans une zone prioritaire du Pacte de lutte contre "
         "les déserts médicaux ?",
         "Le portail ne détient pas la liste des zones prioritaires : renseignez-vous auprès de l'agence régionale "
         "de santé de votre région (https://www.ars.sante.fr).",
         si_vrai="Consultations dans une zone prioritaire du Pacte de lutte contre les déserts médicaux",
         si_faux="Pas de consultations dans une zone prioritaire du Pacte de lutte contre les déserts médicaux",
         par_region={"76": {  # aides-reference.md §8.3: 28 priority zones in Occitanie, listed by its ARS
             "question": "Ferez-vous des consultations, jusqu'à 2 jours par mois, dans l'une des 28 zones prioritaires "
                         "du Pacte de lutte contre les déserts médicaux en Occitanie ?",
             "aide": "La liste des 28 zones (des intercommunalités) est publiée par l'ARS Occitanie "
                     "(https://www.occitanie.ars.sante.fr) ; le portail ne la détient pas."}}),
    Fait("emploi_assistant_medical", CHOIX, "Emploi d'un assistant médical",
         "Employez-vous (ou emploierez-vous) un assistant médical ?",
         "Un assistant médical salarié de votre cabinet, et son temps de travail.",
         sujet="Assistant médical",
         choix={"temps_plein": "à temps plein", "mi_temps": "à mi-temps", "aucun": "aucun"}),
    Fait("age", ENTIER, "Âge", "Quel est votre âge ?", "En années révolues.", unite="ans", unite_singulier="an",
         minimum=0, maximum=120),
    Fait("medecins_generalistes", ENTIER, "Médecins généralistes de la structure",
         "Combien de médecins généralistes exerceront dans la structure ?",
         "Pour un projet de centre de santé : le nombre de médecins généralistes qui y exerceront.", minimum=0),
    Fait("population_cpts", ENTIER, "Habitants du territoire de la CPTS",
         "Combien d'habitants compte le territoire couvert par la CPTS ?",
         "La population du territoire couvert par la CPTS ; elle fixe la tranche de son financement (ACI).",
         sujet="Population du territoire de la CPTS", unite="habitants", unite_singulier="habitant", minimum=0),
)
FAITS: dict[str, Fait] = {f.nom: f for f in _FAITS}
assert len(FAITS) == len(_FAITS), "un fait est déclaré deux fois"

# The place of practice: not part of the situation, it tells whether the place is in a QPV (a point, both or neither).
_QUESTION_LIEU = ("Où exercerez-vous précisément ? Indiquez la longitude et la latitude du lieu d'exercice, pour "
                  "savoir s'il est dans un quartier prioritaire (QPV).")
LIEU: dict[str, Fait] = {f.nom: f for f in (
    Fait("lon", NOMBRE, "Longitude du lieu d'exercice", _QUESTION_LIEU,
         "En degrés décimaux (WGS 84), avec la latitude.", minimum=-180, maximum=180),
    Fait("lat", NOMBRE, "Latitude du lieu d'exercice", _QUESTION_LIEU,
         "En degrés décimaux (WGS 84), avec la longitude.", minimum=-90, maximum=90),
)}
QUESTION_DU_LIEU = "lon"  # the field the engine names when the QPV is unknown; the form asks the whole point
