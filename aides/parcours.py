"""The guided simulator « Mes aides », without HTTP: a person's answers (the page's query string) become one or two
simulations, the one question to ask next, and the results grouped as she reads them.

Steps: the place and the profession, then the questions that still change an answer, most decisive first — the
stage of her career and her practice mode lead, as they frame every other answer. Each question is a declared fact
(aides/eligibilite/vocabulaire.py: its label, help and unit). Two things are the page's own:
- « je termine mon internat » is not a stage of the rules: it runs the interne and the installation cases and keeps,
  for each scheme, the better answer (an intern about to settle sees both kinds of aid);
- the place of practice is asked as « in which of the commune's priority neighbourhoods (QPV), if any? », never as
  coordinates: the answer becomes a point inside that QPV, or outside all of them, for the engine.
"""
import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.utils import timezone
from shapely.geometry import shape
from shapely.ops import unary_union

from territoires.models import Commune
from zonages.consultation import qpv_de_la_commune
from zonages.models import QPV
from zonages.niveaux import TYPES

from . import catalogue
from .eligibilite.faits import ETAPES, MODES, PROFESSIONS
from .eligibilite.logique import Verite
from .eligibilite.moteur import (
    A_PRECISER,
    AU_CHOIX,
    ELIGIBLE,
    NON_ELIGIBLE,
    ORDRE,
    POSSIBLES,
    ResultatAide,
)
from .eligibilite.regles import AIDE, OBLIGATION, UNITES
from .eligibilite.vocabulaire import CHOIX, FAITS, LIEU, OUI_NON, QUESTION_DU_LIEU
from .formulaires import SimulationForm
from .simulation import RANGS, Simulation, simuler

FIN_INTERNAT = "fin_internat"
QUARTIER, HORS_QPV = "quartier", "hors"  # the page's question on the place of practice, and its "none" answer
LIEU_ET_METIER = "lieu"  # the first step: commune and profession
# Parameters of the page's state that are not answers.
PARAMETRES_DE_PAGE = {"question", "passer", "impression", "partiel"}
# The stage and the practice mode are asked first whatever else is open: they frame the other answers.
EN_TETE = {"etape": 0, "mode": 1}

DESCRIPTIONS_ETAPES = {
    "etudiant": "Vous êtes en formation, avant votre diplôme (pour les médecins : avant l'internat).",
    "interne": "Vous êtes interne (troisième cycle), y compris docteur junior.",
    FIN_INTERNAT: "Votre internat s'achève et vous préparez votre installation : le portail cherche à la fois les "
                  "aides de l'internat et celles de l'installation.",
    "remplacant": "Vous remplacez des praticiens, sans cabinet à vous.",
    "installation": "Votre cabinet ouvre bientôt, ou a ouvert il y a moins d'un an.",
    "installe": "Vous exercez déjà ici ou ailleurs depuis plus d'un an.",
}
LIBELLE_FIN_INTERNAT = "je termine mon internat"
DESCRIPTIONS_MODES = {
    "liberal": "À votre compte : en cabinet, seul ou en groupe, ou en maison de santé.",
    "salarie": "Employé par un centre de santé, un hôpital, une collectivité…",
    "mixte": "Une activité libérale et une activité salariée.",
}
MOMENTS = {"interne": "pendant l'internat", "installation": "à l'installation"}


@dataclass(frozen=True)
class Choix:
    valeur: str
    libelle: str
    description: str = ""


@dataclass(frozen=True)
class QuestionPosee:
    """The question shown now: its field, its text, help and unit, the choices offered, and how many schemes still
    turn on it."""

    champ: str
    texte: str
    libelle: str
    aide: str = ""
    unite: str = ""
    nature: str = CHOIX
    choix: tuple[Choix, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    nombre_de_dispositifs: int = 0

    @property
    def a_choix(self) -> bool:
        return bool(self.choix)


@dataclass(frozen=True)
class Ligne:
    """One scheme in the results: its answer, from which case, and what decides it when it is to be checked."""

    resultat: ResultatAide
    simulation: Simulation
    moment: str = ""  # "pendant l'internat" / "à l'installation" when both cases were run
    decisif: str = ""  # A_PRECISER: the question, or the document, that settles it
    champ_decisif: str = ""  # the field of that question, if it is one

    @property
    def dispositif(self):
        return self.resultat.dispositif

    @property
    def contact(self) -> dict:
        return self.simulation.contact(self.resultat)

    @property
    def financeur(self) -> str:
        return self.dispositif.nom_du_financeur(self.simulation.faits.region)


@dataclass(frozen=True)
class Reponse:
    champ: str
    libelle: str
    valeur: str


@dataclass
class Parcours:
    """What the page shows for one query string."""

    donnees: dict[str, str]  # the state, without the page's own parameters
    commune: Commune | None = None
    profession: str = ""
    jour: datetime.date | None = None
    simulations: list[Simulation] = field(default_factory=list)
    formulaire: SimulationForm | None = None  # the first case's, for errors and the place step
    erreurs: dict[str, list[str]] = field(default_factory=dict)
    passees: tuple[str, ...] = ()
    demandee: str = ""  # a question she asked to change ("Modifier")

    # --- the step ------------------------------------------------------------------------------------------------

    @property
    def lance(self) -> bool:
        return bool(self.simulations)

    @property
    def etape_du_parcours(self) -> str:
        return self.donnees.get("etape", "")

    @property
    def question(self) -> QuestionPosee | None:
        """The question to ask now: the one she asked to change, else the most decisive one still open that she
        did not pass; None when nothing she could answer changes a result."""
        if not self.lance:
            return None
        if self.demandee and self.demandee != LIEU_ET_METIER:
            return self._poser(self.demandee, self._comptes.get(self.demandee, 0))
        for champ, nombre in self.questions_ouvertes:
            # An answer that settles nothing (a neighbourhood the portal could not place) is not asked again.
            if champ not in self.passees and champ not in self.donnees:
                return self._poser(champ, nombre)
        return None

    @property
    def questions_ouvertes(self) -> list[tuple[str, int]]:
        """(field, number of schemes that turn on it), most decisive first."""
        # The declaration's order is the facts' decisiveness (the number of rule files that read each).
        return sorted(self._comptes.items(), key=lambda c: (EN_TETE.get(c[0], len(EN_TETE)),
                                                            RANGS.get(_champ_du_moteur(c[0]), len(RANGS))))

    @property
    def questions_restantes(self) -> int:
        return sum(1 for champ, _ in self.questions_ouvertes if champ not in self.passees and champ not in self.donnees)

    @cached_property
    def _comptes(self) -> Counter:
        comptes = Counter()
        for ligne in self.lignes:
            if ligne.resultat.statut == A_PRECISER and ligne.resultat.nature in {AIDE, OBLIGATION}:
                for champ in dict.fromkeys(_champ_de_la_page(q.champ) for q in ligne.resultat.questions):
                    comptes[champ] += 1
        if self.etape_du_parcours == FIN_INTERNAT:
            comptes.pop("etape", None)
        return comptes

    def _poser(self, champ: str, nombre: int) -> QuestionPosee | None:
        if champ == QUARTIER:
            return self._question_du_quartier(nombre)
        fait = FAITS.get(champ)
        if fait is None:
            return None
        choix = ()
        if champ == "etape":
            choix = tuple(Choix(code, libelle, DESCRIPTIONS_ETAPES.get(code, ""))
                          for code, libelle in etapes_proposees(self.profession, self.jour).items())
        elif champ == "mode":
            choix = tuple(Choix(code, libelle, DESCRIPTIONS_MODES.get(code, "")) for code, libelle in MODES.items())
        elif fait.nature == CHOIX:
            choix = tuple(Choix(code, libelle) for code, libelle in fait.choix.items())
        elif fait.nature == OUI_NON:
            choix = (Choix("oui", "Oui"), Choix("non", "Non"))
        region = self.commune.departement.region_id
        return QuestionPosee(champ, fait.question_pour(region), fait.libelle, fait.aide_pour(region), fait.unite,
                             fait.nature, choix, fait.minimum, fait.maximum, nombre)

    def _question_du_quartier(self, nombre: int) -> QuestionPosee | None:
        quartiers = qpv_de_la_commune(self.commune.code_insee, self.jour)
        if not quartiers:
            return None
        choix = tuple(Choix(q.code, f"Oui, dans le quartier « {q.nom} »") for q in quartiers)
        return QuestionPosee(
            QUARTIER, f"Exercerez-vous dans l'un des quartiers prioritaires (QPV) de {self.commune.nom} ?",
            "Lieu d'exercice", f"{self.commune.nom} compte {len(quartiers)} quartier{'s' if len(quartiers) > 1 else ''}"
            " prioritaire" + ("s" if len(quartiers) > 1 else "") + " de la politique de la ville ; certaines aides "
            "en dépendent. Une adresse se vérifie sur sig.ville.gouv.fr.",
            choix=(*choix, Choix(HORS_QPV, "Non, hors de ces quartiers")), nombre_de_dispositifs=nombre)

    # --- the results ---------------------------------------------------------------------------------------------

    @cached_property
    def lignes(self) -> list[Ligne]:
        """Each scheme once: with two cases (end of internship), its better answer."""
        meilleures: dict[str, list[Ligne]] = {}
        for simulation in self.simulations:
            for resultat in (*simulation.aides, *simulation.obligations):
                ligne = Ligne(resultat, simulation)
                actuelles = meilleures.setdefault(resultat.dispositif.code, [])
                if not actuelles or ORDRE[resultat.statut] < ORDRE[actuelles[0].resultat.statut]:
                    meilleures[resultat.dispositif.code] = [ligne]
                elif ORDRE[resultat.statut] == ORDRE[actuelles[0].resultat.statut]:
                    actuelles.append(ligne)
        lignes = [self._avec_decisif(self._avec_moment(egales)) for egales in meilleures.values()]
        return sorted(lignes, key=lambda l: (ORDRE[l.resultat.statut], l.dispositif.nom_court.lower()))

    def _avec_moment(self, egales: list[Ligne]) -> Ligne:
        """With two cases, when the scheme is for: the stage among those it targets where its answer is best
        (none said when it is as good at both)."""
        if len(self.simulations) < 2:
            return egales[0]
        moments = [l for l in egales if l.simulation.faits.situation.etape in l.dispositif.etapes]
        if len(moments) != 1:
            return egales[0]
        ligne = moments[0]
        return Ligne(ligne.resultat, ligne.simulation, MOMENTS[ligne.simulation.faits.situation.etape])

    def _avec_decisif(self, ligne: Ligne) -> Ligne:
        """What settles a scheme to be checked: its most decisive open question, else the fact the portal lacks."""
        if ligne.resultat.statut != A_PRECISER:
            return ligne
        questions = sorted(ligne.resultat.questions, key=lambda q: RANGS.get(q.champ, len(RANGS)))
        if questions:
            champ = _champ_de_la_page(questions[0].champ)
            texte = (f"indiquer si vous exercerez dans un quartier prioritaire (QPV) de {self.commune.nom}"
                     if champ == QUARTIER else questions[0].texte)
            return Ligne(ligne.resultat, ligne.simulation, ligne.moment, texte, champ)
        inconnue = next((r for r in ligne.resultat.raisons if r.verite == Verite.INCONNU), None)
        return Ligne(ligne.resultat, ligne.simulation, ligne.moment, inconnue.message if inconnue else "")

    def _de_statut(self, statut: str, nature: str = AIDE) -> list[Ligne]:
        return [l for l in self.lignes if l.resultat.statut == statut and l.resultat.nature == nature]

    @property
    def droits(self) -> list[Ligne]:
        return self._de_statut(ELIGIBLE)

    @property
    def a_verifier(self) -> list[Ligne]:
        return self._de_statut(A_PRECISER)

    @property
    def non(self) -> list[Ligne]:
        return self._de_statut(NON_ELIGIBLE)

    @property
    def obligations(self) -> list[Ligne]:
        return [l for l in self.lignes if l.resultat.nature == OBLIGATION and l.resultat.statut in POSSIBLES]

    @property
    def groupes_au_choix(self) -> list[list[Ligne]]:
        """Schemes all eligible that exclude each other, one group per set, the one worth most first."""
        par_code = {l.dispositif.code: l for l in self._de_statut(AU_CHOIX)}
        groupes, vus = [], set()
        for code in par_code:
            groupe, a_voir = [], [code]
            while a_voir:
                courant = a_voir.pop()
                if courant in vus or courant not in par_code:
                    continue
                vus.add(courant)
                groupe.append(par_code[courant])
                a_voir += [n.code for n in par_code[courant].resultat.non_cumuls]
            if groupe:
                groupes.append(sorted(groupe, key=lambda l: -(l.resultat.montant.valeur or 0)
                                      if l.resultat.montant else 0))
        return groupes

    @property
    def fermes(self) -> list[ResultatAide]:
        vus = {}
        for simulation in self.simulations:
            for resultat in simulation.fermes:
                vus.setdefault(resultat.dispositif.code, resultat)
        return list(vus.values())

    def _montant_certain(self, ligne) -> bool:
        """An amount the reference confirms, of a version in force (not only announced)."""
        montant = ligne.resultat.montant
        return bool(montant and montant.valeur is not None and montant.verifie and not ligne.resultat.version.annonce)

    @property
    def hors_total(self) -> int:
        """How many aids she is entitled to have an amount left out of the certain total (unconfirmed or announced)."""
        return sum(1 for ligne in self.droits if ligne.resultat.montant and ligne.resultat.montant.valeur is not None
                   and ligne.resultat.montant.unite != "pourcentage" and not self._montant_certain(ligne))

    @property
    def total_certain(self) -> str:
        """ "13 000 € en une fois et 300 € par mois": the confirmed amounts of the aids she is entitled to, by unit."""
        sommes: dict[str, float] = {}
        for ligne in self.droits:
            montant = ligne.resultat.montant
            if self._montant_certain(ligne) and montant.unite != "pourcentage":
                sommes[montant.unite] = sommes.get(montant.unite, 0) + montant.valeur
        parties = [f"{_euros(valeur)} {'en une fois' if unite == 'unique' else UNITES[unite]}"
                   for unite, valeur in sorted(sommes.items(), key=lambda s: list(UNITES).index(s[0]))]
        return " et ".join(parties)

    @property
    def avertissements(self) -> list[dict]:
        vus = {}
        for simulation in self.simulations:
            for avertissement in simulation.avertissements:
                vus.setdefault(avertissement["couche"], avertissement)
        return list(vus.values())

    @property
    def zonage_en_clair(self) -> str:
        """ "Zonage des médecins généralistes : zone d'action complémentaire", or why it is unknown."""
        zonage = self.simulations[0].zonage_profession if self.simulations else None
        if zonage is None:
            return ""
        if zonage["niveau"] is None:
            return zonage["message"]
        niveau = TYPES[zonage["type"]].niveau(zonage["niveau"])
        libelle = niveau.libelle if niveau else zonage["niveau"]
        return f"Zonage des {zonage['libelle'][:1].lower()}{zonage['libelle'][1:]} : {libelle[:1].lower()}{libelle[1:]}."

    # --- what she said -------------------------------------------------------------------------------------------

    @property
    def reponses(self) -> list[Reponse]:
        """Her answers in the order of the questions, in words (« Mode d'exercice : libéral »)."""
        reponses = []
        for nom, fait in FAITS.items():
            valeur = self.donnees.get(nom, "")
            if valeur == "":
                continue
            if nom == "etape" and valeur == FIN_INTERNAT:
                texte = LIBELLE_FIN_INTERNAT
            elif fait.nature == CHOIX:
                texte = fait.choix.get(valeur, valeur)
            elif fait.nature == OUI_NON:
                texte = {"oui": "oui", "non": "non", "true": "oui", "false": "non"}.get(valeur, valeur)
            else:
                texte = f"{valeur.replace('.', ',')} {fait.unite_pour(_nombre(valeur))}".strip()
            reponses.append(Reponse(nom, fait.libelle, texte))
        quartier = self.donnees.get(QUARTIER, "")
        if quartier and self.commune:
            noms = {q.code: q.nom for q in qpv_de_la_commune(self.commune.code_insee, self.jour)}
            texte = "hors des quartiers prioritaires" if quartier == HORS_QPV else f"quartier « {noms.get(quartier, quartier)} »"
            reponses.append(Reponse(QUARTIER, "Lieu d'exercice", texte))
        return reponses

    def lien(self, **changements) -> str:
        """The query string of this state with `changements` (None removes a parameter)."""
        donnees = {**self.donnees, **{k: v for k, v in changements.items() if v is not None}}
        for cle, valeur in changements.items():
            if valeur is None:
                donnees.pop(cle, None)
        return urlencode({k: v for k, v in donnees.items() if v != ""})

    def caches(self, sauf: set[str] = frozenset()) -> list[tuple[str, str]]:
        """The state as hidden inputs of the question's form, without the fields it asks."""
        return [(cle, valeur) for cle, valeur in self.donnees.items() if cle not in sauf and valeur != ""]


def _nombre(texte: str) -> float:
    try:
        return float(texte.replace(",", "."))
    except ValueError:
        return 0.0


def _euros(valeur: float) -> str:
    return f"{valeur:,.0f}".replace(",", "\u202f") + " €"


def _champ_de_la_page(champ: str) -> str:
    """The engine asks the place as coordinates; the page as a neighbourhood."""
    return QUARTIER if champ in LIEU else champ


def _champ_du_moteur(champ: str) -> str:
    return QUESTION_DU_LIEU if champ == QUARTIER else champ


def etapes_proposees(profession: str, jour: datetime.date | None) -> dict[str, str]:
    """The stages offered to a profession: those some open scheme of the profession targets, and always the
    installation; « je termine mon internat » after « interne »."""
    jour = jour or timezone.localdate()
    visees = {e for d in catalogue.dispositifs() if profession in d.professions and d.version_le(jour)
              for e in d.etapes} | {"installation", "installe"}
    etapes = {}
    for code, libelle in ETAPES.items():
        if code in visees:
            etapes[code] = libelle
            if code == "interne":
                etapes[FIN_INTERNAT] = LIBELLE_FIN_INTERNAT
    return etapes


def etapes_du_moteur(etape: str) -> list[str]:
    return ["interne", "installation"] if etape == FIN_INTERNAT else [etape]


# --- the place of practice as a point ---------------------------------------------------------------------------

def point_du_quartier(commune: Commune, jour: datetime.date, reponse: str) -> tuple[float, float] | None:
    """A point inside the QPV answered, or inside the commune and outside all its QPV (« hors »); None when it
    cannot be made (unknown QPV, no outline)."""
    quartiers = {q.code: q for q in QPV.objects.filter(code__in=[q.code for q in qpv_de_la_commune(
        commune.code_insee, jour)]).only("code", "geometrie")}
    if reponse == HORS_QPV:
        contour = Commune.objects.filter(pk=commune.pk).values_list("contour", flat=True).first()
        if not contour:
            return None
        reste = shape(contour)
        if quartiers:
            reste = reste.difference(unary_union([shape(q.geometrie) for q in quartiers.values()]))
        if reste.is_empty:
            return None
        point = reste.representative_point()
        return point.x, point.y
    quartier = quartiers.get(reponse)
    if quartier is None:
        return None
    point = shape(quartier.geometrie).representative_point()
    return point.x, point.y


# --- from the query string -------------------------------------------------------------------------------------

def construire(donnees: Mapping[str, str]) -> Parcours:
    """The page's state → its simulations. An answer out of bounds is asked again with its error; a place or a
    profession the portal does not know sends back to the first step with it."""
    etat = {cle: valeur for cle, valeur in donnees.items() if cle not in PARAMETRES_DE_PAGE and valeur != ""}
    passees = tuple(p for p in etat.get("passees", "").split(",") if p)
    demandee = donnees.get("question", "")
    parcours = Parcours(etat, passees=passees,
                        demandee=demandee if demandee in {*FAITS, QUARTIER, LIEU_ET_METIER} else "")
    reponses = dict(etat)
    for etape in etapes_du_moteur(etat.get("etape", "")):
        formulaire = SimulationForm({**reponses, "etape": etape})
        if not formulaire.is_valid():
            erreurs = {cle: list(messages) for cle, messages in formulaire.errors.items()}
            if erreurs and set(erreurs) <= set(FAITS) | set(LIEU):
                # Asked again, with its error, on a case without that answer.
                parcours.erreurs.update(erreurs)
                parcours.demandee = parcours.demandee or next(iter(erreurs))
                reponses = {cle: valeur for cle, valeur in reponses.items() if cle not in erreurs}
                formulaire = SimulationForm({**reponses, "etape": etape})
            if not formulaire.is_valid():
                # A missing commune or profession is the first step, not an error; anything else is said.
                parcours.erreurs = {cle: list(messages) for cle, messages in formulaire.errors.items()
                                    if not (cle in {"commune", "profession"} and not etat.get(cle))}
                parcours.formulaire, parcours.simulations = formulaire, []
                parcours.profession = etat.get("profession", "") if etat.get("profession") in PROFESSIONS else ""
                return parcours
        donnees_propres = formulaire.cleaned_data
        parcours.commune, parcours.profession, parcours.jour = (donnees_propres["commune"],
                                                                donnees_propres["profession"], formulaire.jour)
        lon, lat = donnees_propres.get("lon"), donnees_propres.get("lat")
        if etat.get(QUARTIER) and lon is None:
            point = point_du_quartier(parcours.commune, parcours.jour, etat[QUARTIER])
            lon, lat = point if point else (None, None)
        parcours.formulaire = parcours.formulaire or formulaire
        parcours.simulations.append(simuler(parcours.commune, parcours.profession, parcours.jour,
                                            formulaire.situation, lon, lat,
                                            bool(donnees_propres.get("toutes_professions"))))
    return parcours
