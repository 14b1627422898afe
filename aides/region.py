"""Every commune of the served region for one profile (issue 16, « Où m'installer ? »), without HTTP.

The facts of every place are read in three queries (the communes, the levels of the versions in force, the QPV),
kept in the process. Communes whose facts agree on everything the
profession's rules read of a place (each such condition as true, false or unknown: predicats.Lecture.du_lieu) get
the same statuses and amounts: the engine runs once per such group, a few dozen for the region, not once per
commune. Unknown is never no: a commune whose zonage is unknown has its aids « à vérifier ».

What a profile gets somewhere is summed up (`Bilan`): how many aids are certain, au choix or to check, and the total
of their amounts per unit (one-off, per month, per year… never added together), exclusive aids counted once (the
best combination allowed)."""
import datetime
import functools
import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection

from noyau import cache_generations
from territoires.models import Commune
from territoires.regions_servies import cle_des_regions_servies
from zonages.carte import versions_en_vigueur
from zonages.models import QPV, Classement
from zonages.niveaux import TYPES

from . import catalogue
from .eligibilite.faits import COUCHE_QPV, Faits, Situation
from .eligibilite.moteur import A_PRECISER, AU_CHOIX, ELIGIBLE, FERME, ResultatAide, evaluer, feuilles_du_lieu
from .eligibilite.predicats import LECTURES, REGISTRE
from .eligibilite.regles import AIDE, OBLIGATION, UNITES
from .simulation import (
    COMMUNE_ABSENTE,
    CONNU,
    NON_CHARGEE,
    ZONAGE_DE_LA_PROFESSION,
    couches_en_vigueur,
    groupes_exclusifs,
)

# Units whose amounts add up (a percentage does not).
UNITES_SOMMABLES = tuple(u for u in UNITES if u != "pourcentage")
NOM_NEUTRE = "la commune"  # the name given to the facts that only decide groups (their sentences are not read)


class Lieu(NamedTuple):
    """What the engine reads of a commune on a date. (A tuple: 4,446 built per region read, a frozen dataclass's
    __init__ took a sixth of the read.)"""

    code_insee: str
    nom: str
    nom_normalise: str  # for sorting by name
    departement: str
    population: int | None
    zonages: dict[str, str | None]  # level of each kind with a version in force (None: not classed in it)
    qpv: bool | None  # False: no QPV in force there (the layer loaded); None: it has some, or no layer is loaded
    region: str = ""  # where a regional scheme applies or not


@dataclass(frozen=True)
class Bilan:
    """What one profile gets at one place."""

    certaines: int  # aids plainly eligible, and each group of aids « au choix » (one of them)
    au_choix: int  # those groups
    a_verifier: int  # aids to be specified (a fact of the person or of the place unknown)
    contraintes: int  # constraints of the place that apply (regulated conventionnement)
    contraintes_a_preciser: int
    total_certain: dict[str, float]  # {unit: amount} of the certain aids, exclusive ones counted once
    total_possible: dict[str, float]  # the same with the aids to check (their highest possible amount)
    non_chiffrees: int  # certain or possible aids whose amount is unknown or not a sum (a percentage)

    @functools.cached_property
    def rang(self) -> tuple:
        """Most support first: certain aids, then their one-off total, then aids to check, then the possible
        one-off total."""
        return (-self.certaines, -self.total_certain.get("unique", 0), -self.a_verifier,
                -self.total_possible.get("unique", 0))


@dataclass(frozen=True)
class ReponseRegion:
    profession: str
    date: datetime.date
    couches: frozenset[str]
    types_utiles: list[str]  # the zonage kinds the answer turns on for this profession, its own first
    groupes: int  # distinct sets of facts evaluated
    lieux: list[Lieu]  # the communes asked
    bilans: dict[str, Bilan]  # {code INSEE: what the profile gets there}; one Bilan object per group

    def zonage_profession(self, lieu: Lieu) -> dict | None:
        """{niveau, etat}: the profession's own zonage at this place, or why it is unknown (etat: see simulation)."""
        type_zonage = ZONAGE_DE_LA_PROFESSION.get(self.profession)
        if type_zonage is None:
            return None
        niveau = lieu.zonages.get(type_zonage)
        etat = CONNU if niveau is not None else COMMUNE_ABSENTE if type_zonage in self.couches else NON_CHARGEE
        return {"niveau": niveau, "etat": etat}


# --- Facts of every place ---------------------------------------------------------------------------------------

_lieux = cache_generations.MemoireLocale(12)
_groupes = cache_generations.MemoireLocale(32)
_lectures = cache_generations.MemoireLocale(64)
DOMAINES_LIEUX = ("territoires", "zonages", "qpv")


def lieux_de_la_region(jour: datetime.date, types: Iterable[str] | None = None) -> dict[str, Lieu]:
    """{code INSEE: Lieu} of every commune of the served region on `jour`, in code order. `types`: only the levels of
    these zonage kinds are read (a profession's: `types_utiles`); the others are absent from `Lieu.zonages`, which the
    engine reads as a commune that a kind does not class: unknown, never no. All kinds by default."""
    choisis = None if types is None else sorted(set(types))
    nom_des_types = "*" if choisis is None else ",".join(choisis)
    return _lieux.obtenir(f"aides:lieux:{jour.isoformat()}:{cle_des_regions_servies()}:{nom_des_types}",
                          DOMAINES_LIEUX, lambda: _lire_les_lieux(jour, choisis))


def lieux_de_la_profession(jour: datetime.date, profession: str) -> dict[str, Lieu]:
    """The region's places with the zonage kinds the profession's answer turns on (half the levels or fewer: a
    whole region read cold spends most of its time reading levels)."""
    return lieux_de_la_region(jour, types_utiles(jour, profession))


def types_utiles(jour: datetime.date, profession: str) -> list[str]:
    """The zonage kinds the profession's answer turns on on `jour`: its own first, then those its rules read."""
    propre = ZONAGE_DE_LA_PROFESSION.get(profession)
    lus = {p["type"] for nom, p in _feuilles(jour, profession) if nom == "zonage"}
    return ([propre] if propre else []) + [t for t in TYPES if t in lus and t != propre]


def _feuilles(jour: datetime.date, profession: str) -> list[tuple[str, object]]:
    """The profession's leaves that read the place (moteur.feuilles_du_lieu), walked once for the kinds to read and
    the grouping. The served regions in the key: the catalogue holds their regional schemes."""
    return _lectures.obtenir(f"aides:feuilles:{jour.isoformat()}:{profession}:{cle_des_regions_servies()}",
                             ("aides",), lambda: feuilles_du_lieu(catalogue.dispositifs(), jour, profession))


def _lire_les_lieux(jour: datetime.date, types: list[str] | None) -> dict[str, Lieu]:
    """Three queries whatever the number of kinds: the communes, the levels of the versions in force (of `types`),
    the communes with a QPV in force. (One query per kind whose rows each became a dictionary took twice as long; one
    query with a subquery per kind and commune depends on the planner's statistics, absent just after an import.)"""
    versions = {type_: version for type_, version in versions_en_vigueur(jour).items()
                if types is None or type_ in types}
    qpv_charges = COUCHE_QPV in couches_en_vigueur(jour)
    communes = list(Commune.objects.servies().order_by("code_insee").values_list(
        "code_insee", "nom", "nom_normalise", "departement_id", "population", "departement__region_id"))
    vides = dict.fromkeys(versions)  # a kind read, in force, that does not class a commune: None
    niveaux = {ligne[0]: dict(vides) for ligne in communes}
    type_de = {version.pk: type_ for type_, version in versions.items()}
    for zonage_id, code, niveau in _classements(list(type_de)):
        if code in niveaux:  # a national version also classes the communes of regions not served
            niveaux[code][type_de[zonage_id]] = niveau
    en_vigueur = QPV.objects.filter(valid_from__lte=jour).exclude(valid_to__lt=jour)
    avec_qpv = set(QPV.communes.through.objects.filter(qpv__in=en_vigueur).values_list("commune_id", flat=True))
    return {code: Lieu(code, nom, normalise, departement, population, niveaux[code],
                       None if not qpv_charges or code in avec_qpv else False, region)
            for code, nom, normalise, departement, population, region in communes}


def _classements(versions: list[int]) -> list[tuple[int, str, str]]:
    """(version, commune, level) of every row of `versions`: some 35,000 for the region. In SQL: the ORM's
    conversion of each row took a third more time than the query."""
    if not versions:
        return []
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT zonage_id, commune_id, niveau FROM {Classement._meta.db_table} "  # noqa: S608
                        f"WHERE zonage_id IN ({', '.join(['%s'] * len(versions))})", versions)
        return curseur.fetchall()


def faits_du_lieu(lieu: Lieu, profession: str, jour: datetime.date, situation: Situation,
                  couches: frozenset[str], nom: str | None = None) -> Faits:
    return Faits(code_insee=lieu.code_insee, nom_commune=nom or lieu.nom, departement=lieu.departement,
                 population=lieu.population, profession=profession, date=jour, zonages=lieu.zonages, qpv=lieu.qpv,
                 situation=situation, couches_en_vigueur=couches, region=lieu.region or None)


def _au_lieu(modele: Faits, lieu: Lieu) -> Faits:
    """`modele` at `lieu` (its name, profession and situation kept): the same as faits_du_lieu, without the dataclass's
    __init__ (frozen: one object.__setattr__ per field, three quarters of the grouping's time for 4,446 places).
    tests/portail/orientation/test_region.py checks that both give equal facts."""
    faits = object.__new__(Faits)
    faits.__dict__.update(modele.__dict__, code_insee=lieu.code_insee, departement=lieu.departement,
                          population=lieu.population, zonages=lieu.zonages, qpv=lieu.qpv, region=lieu.region or None)
    return faits


# --- Groups of places that answer alike --------------------------------------------------------------------------

@dataclass(frozen=True)
class _Groupes:
    groupe_de: dict[str, int]  # {code INSEE: group}
    representants: list[str]  # a commune of each group


def _grouper(jour: datetime.date, profession: str) -> _Groupes:
    def construire():
        lieux, couches = lieux_de_la_profession(jour, profession), couches_en_vigueur(jour)
        feuilles = _feuilles(jour, profession)
        # Leaves whose readings have the same name read the same value: each reading is read once per place.
        lectures: dict[str, object] = {}
        for nom, parametre in feuilles:
            lecture = LECTURES[nom](parametre)
            lectures.setdefault(lecture.nom, lecture.lire)
        rang = {nom: i for i, nom in enumerate(lectures)}
        lu_de = [rang[LECTURES[nom](parametre).nom] for nom, parametre in feuilles]
        lires = list(lectures.values())
        verdicts: list[dict] = [{} for _ in feuilles]  # per leaf, by what it reads: its truth
        groupe_des_lus: dict[tuple, int] = {}  # the same readings, the same truths: the group found once
        groupe_de, signatures, representants = {}, {}, []
        modele = faits_du_lieu(next(iter(lieux.values())), profession, jour, Situation(), couches, nom=NOM_NEUTRE)
        for code, lieu in lieux.items():
            faits = _au_lieu(modele, lieu)
            lus = (lieu.region, *(lire(faits) for lire in lires))  # the region: its regional schemes offered there
            numero = groupe_des_lus.get(lus)
            if numero is None:
                signature = [lieu.region]
                for i, (nom, parametre) in enumerate(feuilles):
                    lu = lus[1 + lu_de[i]]
                    verite = verdicts[i].get(lu)
                    if verite is None:
                        verite = verdicts[i][lu] = REGISTRE[nom](faits, parametre).verite
                    signature.append(verite)
                numero = groupe_des_lus[lus] = signatures.setdefault(tuple(signature), len(signatures))
                if numero == len(representants):
                    representants.append(code)
            groupe_de[code] = numero
        return _Groupes(groupe_de, representants)
    return _groupes.obtenir(f"aides:groupes:{jour.isoformat()}:{profession}:{cle_des_regions_servies()}",
                            (*DOMAINES_LIEUX, "aides"), construire)


def evaluer_les_communes(profession: str, jour: datetime.date, situation: Situation,
                         codes: Iterable[str] | None = None) -> ReponseRegion:
    """Every commune of the region (or those of `codes`, in their order), each with what the profile gets there:
    the engine runs once per group of communes whose facts answer alike."""
    lieux, couches = lieux_de_la_profession(jour, profession), couches_en_vigueur(jour)
    groupes = _grouper(jour, profession)
    choisis = [lieux[c] for c in codes if c in lieux] if codes is not None else list(lieux.values())
    dispositifs = catalogue.dispositifs()
    par_groupe: dict[int, Bilan] = {}
    bilans = {}
    for lieu in choisis:
        numero = groupes.groupe_de[lieu.code_insee]
        trouve = par_groupe.get(numero)
        if trouve is None:
            representant = lieux[groupes.representants[numero]]
            trouve = par_groupe[numero] = bilan(evaluer(dispositifs, faits_du_lieu(
                representant, profession, jour, situation, couches)))
        bilans[lieu.code_insee] = trouve
    return ReponseRegion(profession, jour, couches, types_utiles(jour, profession), len(par_groupe), choisis,
                         bilans)


# --- What a profile gets at a place -------------------------------------------------------------------------------

def bilan(resultats: list[ResultatAide]) -> Bilan:
    """The summary of one simulation's answers."""
    aides = [r for r in resultats if r.nature == AIDE and r.statut != FERME]
    certaines = [r for r in aides if r.statut in {ELIGIBLE, AU_CHOIX}]
    a_verifier = [r for r in aides if r.statut == A_PRECISER]
    obligations = [r for r in resultats if r.nature == OBLIGATION and r.statut != FERME]
    groupes_au_choix = len(groupes_exclusifs([r for r in certaines if r.statut == AU_CHOIX]))
    non_chiffrees = sum(1 for r in certaines + a_verifier if not _montants_par_unite(r))
    return Bilan(
        certaines=sum(1 for r in certaines if r.statut == ELIGIBLE) + groupes_au_choix, au_choix=groupes_au_choix,
        a_verifier=len(a_verifier), contraintes=sum(1 for r in obligations if r.statut == ELIGIBLE),
        contraintes_a_preciser=sum(1 for r in obligations if r.statut == A_PRECISER),
        total_certain=_total(certaines), total_possible=_total(certaines + a_verifier), non_chiffrees=non_chiffrees)


def _montants_par_unite(resultat: ResultatAide) -> dict[str, float]:
    """{unit: amount}: the amount when known, else the highest of the possible amounts in each unit; percentages
    and amounts to be specified left out."""
    montants = [resultat.montant] if resultat.montant is not None else list(resultat.montants_possibles)
    par_unite: dict[str, float] = {}
    for montant in montants:
        if montant.valeur is not None and montant.unite in UNITES_SOMMABLES:
            par_unite[montant.unite] = max(par_unite.get(montant.unite, 0), montant.valeur)
    return par_unite


MEMBRES_ENUMERES = 12  # exclusive aids linked together: every allowed combination is tried up to this many


def _total(resultats: list[ResultatAide]) -> dict[str, float]:
    """{unit: the highest total an allowed combination of these aids reaches in that unit} (aids that exclude
    each other never both counted)."""
    total: dict[str, float] = {}
    for groupe in groupes_exclusifs(resultats):
        montants = {r.dispositif.code: _montants_par_unite(r) for r in groupe}
        exclus = {r.dispositif.code: {n.code for n in r.non_cumuls} for r in groupe}
        for unite in {u for m in montants.values() for u in m}:
            poids = {code: m[unite] for code, m in montants.items() if unite in m}
            total[unite] = total.get(unite, 0) + _meilleure_combinaison(poids, exclus)
    return {u: total[u] for u in UNITES_SOMMABLES if total.get(u)}


def _meilleure_combinaison(poids: dict[str, float], exclus: dict[str, set[str]]) -> float:
    codes = list(poids)
    if len(codes) > MEMBRES_ENUMERES:  # never seen: say no more than the best single aid
        return max(poids.values())
    meilleur = 0.0
    for taille in range(1, len(codes) + 1):
        for combinaison in itertools.combinations(codes, taille):
            if all(b not in exclus.get(a, ()) and a not in exclus.get(b, ())
                   for a, b in itertools.combinations(combinaison, 2)):
                meilleur = max(meilleur, sum(poids[c] for c in combinaison))
    return meilleur
