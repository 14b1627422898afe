"""What a zonage version does to people before it is published: which aids each commune wins or loses, with which
amounts, the population and professionals concerned, and, for each served region, the share of its population in
each level against the caps the agents entered for that region. Computed on demand from two classifications (the version replaced, the new one), stored
nowhere.

For each scheme whose rule in force on the date reads the kind's levels, each commune whose level changes is
evaluated by the aids engine (aides.simulation) with its level before and after, its other layers as they are on the
date, and a situation left unspecified: a scheme is won where it was excluded and becomes possible, lost the other
way, and its amount may change (10 000 € in ZIP, 5 000 € in ZAC). Professionals: the portal holds no RPPS data, only
the staff of the coordinated structures imported with a count (structures.EffectifProfession); elsewhere the number
is said unknown ("non connu"), never zero.
"""
import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Sum

from aides import catalogue
from aides.simulation import POSSIBLES, Faits, Situation, couches_en_vigueur, evaluer, montant_en_texte
from noyau import csv_sur
from noyau.professions import PROFESSIONS
from noyau.regions import REGIONS_INSEE
from structures.models import EffectifProfession
from territoires.models import Commune
from zonages.consultation import en_vigueur
from zonages.models import QPV, Classement, PlafondRegional, Zonage
from zonages.niveaux import TYPES

GAGNEE, PERDUE, MODIFIEE = "gagnée", "perdue", "montant modifié"
NON_CONNU = "non connu"
SANS_NIVEAU = "sans niveau"
# The national method's pool (reference §8.4): national figures, said as such; the region's caps are the agent's.
VIVIER_NATIONAL = {"medecin": ("méthode nationale du zonage médecins (arrêté du 9 mai 2025) : vivier national",
                               {"ZIP": Decimal("30.2"), "ZAC": Decimal("42")})}


@dataclass(frozen=True)
class Etat:
    """A scheme in one commune at one level: possible (eligible or to be specified) with its amount, or excluded."""

    possible: bool
    montant: str = ""  # "10 000 € (versement unique)", "montant à préciser", "entre … et …"

    @property
    def texte(self) -> str:
        return self.montant if self.possible else "exclue"


@dataclass(frozen=True)
class CommuneTouchee:
    code_insee: str
    nom: str
    departement: str
    departement_nom: str
    population: int | None
    niveau_avant: str | None
    niveau_apres: str | None
    avant: Etat
    apres: Etat
    professionnels: int | None  # None: no count loaded for this commune and these professions

    @property
    def effet(self) -> str:
        if self.apres.possible and not self.avant.possible:
            return GAGNEE
        if self.avant.possible and not self.apres.possible:
            return PERDUE
        return MODIFIEE


@dataclass(frozen=True)
class LigneDepartement:
    code: str
    nom: str
    gagnees: int
    perdues: int
    modifiees: int
    population: int


@dataclass(frozen=True)
class Transition:
    niveau_avant: str | None
    avant: str
    niveau_apres: str | None
    apres: str
    communes: int
    population: int


@dataclass
class EffetDispositif:
    """One scheme (for the professions whose results coincide) in the communes where it changes."""

    code: str
    nom: str
    financeur: str
    professions: tuple[str, ...]
    nom_court: str = ""
    communes: list[CommuneTouchee] = field(default_factory=list)

    @property
    def professions_libelles(self) -> str:
        return ", ".join(PROFESSIONS.get(p, p).lower() for p in self.professions)

    def _de(self, effet: str) -> list[CommuneTouchee]:
        return [c for c in self.communes if c.effet == effet]

    @property
    def gagnees(self) -> list[CommuneTouchee]:
        return self._de(GAGNEE)

    @property
    def perdues(self) -> list[CommuneTouchee]:
        return self._de(PERDUE)

    @property
    def modifiees(self) -> list[CommuneTouchee]:
        return self._de(MODIFIEE)

    @property
    def population(self) -> int:
        return sum(c.population or 0 for c in self.communes)

    @property
    def professionnels(self) -> int | None:
        """Professionals counted in the communes with a count; None when no commune has one."""
        comptes = [c.professionnels for c in self.communes if c.professionnels is not None]
        return sum(comptes) if comptes else None

    @property
    def communes_sans_compte(self) -> int:
        return sum(1 for c in self.communes if c.professionnels is None)

    @property
    def professionnels_texte(self) -> str:
        """ "non connu", or the count where one is loaded and how many communes have none."""
        if self.professionnels is None:
            return f"{NON_CONNU} (aucun effectif chargé pour ces communes ; le portail ne détient pas le RPPS)"
        texte = (f"{self.professionnels} recensé(s) dans les structures d'exercice coordonné dont l'effectif est "
                 "chargé")
        if self.communes_sans_compte:
            texte += f" ; {NON_CONNU} dans {self.communes_sans_compte} commune(s)"
        return texte

    @property
    def transitions(self) -> list[Transition]:
        """The changes grouped by level and amount, before → after, the most frequent first."""
        communes, population = Counter(), Counter()
        for c in self.communes:
            cle = (c.niveau_avant, c.avant.texte, c.niveau_apres, c.apres.texte)
            communes[cle] += 1
            population[cle] += c.population or 0
        return [Transition(*cle, n, population[cle]) for cle, n in communes.most_common()]

    @property
    def par_departement(self) -> list[LigneDepartement]:
        lignes: dict[str, list] = {}
        for c in self.communes:
            ligne = lignes.setdefault(c.departement, [c.departement_nom, 0, 0, 0, 0])
            ligne[{GAGNEE: 1, PERDUE: 2, MODIFIEE: 3}[c.effet]] += 1
            ligne[4] += c.population or 0
        return [LigneDepartement(code, *lignes[code]) for code in sorted(lignes)]


@dataclass(frozen=True)
class PartNiveau:
    """The share of a region's population at one level, before and after, and that region's cap if entered."""

    code: str | None  # None: the communes without a level
    libelle: str
    population_avant: int
    population_apres: int
    part_avant: float
    part_apres: float
    plafond: PlafondRegional | None
    vivier_national: Decimal | None

    @property
    def depasse_avant(self) -> bool:
        return self.plafond is not None and Decimal(str(round(self.part_avant, 2))) > self.plafond.part_maximale

    @property
    def depasse_apres(self) -> bool:
        return self.plafond is not None and Decimal(str(round(self.part_apres, 2))) > self.plafond.part_maximale


@dataclass(frozen=True)
class PartsRegion:
    """One served region: its population and the share of it in each level, with its own caps."""

    code: str
    nom: str
    population: int
    parts: list[PartNiveau]

    @property
    def plafonds_saisis(self) -> bool:
        return any(p.plafond is not None for p in self.parts)

    @property
    def sans_plafond(self) -> str:
        """What is said when none of this region's caps is entered for the kind: never a guessed one."""
        return f"Aucun plafond saisi pour {self.nom} pour ce zonage"  # a sentence without its full stop


@dataclass
class Impact:
    type_code: str
    jour: datetime.date
    avant: Zonage | None  # the version replaced (None: none in force)
    libelle_apres: str
    nb_communes: int  # communes whose level changes
    population: int
    dispositifs: list[EffetDispositif]
    sans_effet: list[str]  # names of the schemes that read the kind and change nowhere
    regions: list[PartsRegion]  # each served region with communes, in code order
    professions_comptees: bool  # some count of professionals is loaded for the professions concerned

    @property
    def type_zonage(self):
        return TYPES[self.type_code]

    @property
    def vivier_national(self) -> str | None:
        vivier = VIVIER_NATIONAL.get(self.type_code)
        if vivier is None:
            return None
        texte, parts = vivier
        return f"{texte} de {' et '.join(f'{_pourcent(p)} de la population en {n}' for n, p in parts.items())}"

    @property
    def plafonds_saisis(self) -> bool:
        """Some cap is entered for some served region."""
        return any(r.plafonds_saisis for r in self.regions)


def _pourcent(valeur, decimales: int = 2) -> str:
    return f"{float(valeur):.{decimales}f}".rstrip("0").rstrip(".").replace(".", ",") + " %"


# --- Computation -------------------------------------------------------------------------------------------------

def _feuilles(condition) -> list[tuple[str, object]]:
    """(predicate, parameter) of every leaf of a condition tree."""
    if not isinstance(condition, dict):
        return []
    feuilles = []
    for cle, valeur in condition.items():
        if cle in ("all", "any"):
            feuilles += [f for sous in valeur for f in _feuilles(sous)]
        elif cle == "not":
            feuilles += _feuilles(valeur)
        else:
            feuilles.append((cle, valeur))
    return feuilles


def _predicats(version) -> list[tuple[str, object]]:
    feuilles = _feuilles(version.conditions)
    for montant in version.montants:
        feuilles += _feuilles(montant.condition)
    return feuilles


def lit_le_zonage(version, type_code: str) -> bool:
    return any(nom == "zonage" and isinstance(p, dict) and p.get("type") == type_code for nom, p in _predicats(version))


def _etat(resultat) -> Etat:
    if resultat is None or resultat.statut not in POSSIBLES:
        return Etat(False)
    if resultat.montant is not None:
        return Etat(True, montant_en_texte(resultat.montant))
    if resultat.montants_possibles:
        return Etat(True, " ou ".join(montant_en_texte(m) for m in resultat.montants_possibles))
    return Etat(True, montant_en_texte(None))


def niveaux_de(zonage: Zonage | None) -> dict[str, str]:
    if zonage is None:
        return {}
    return dict(Classement.objects.filter(zonage=zonage).values_list("commune_id", "niveau"))


def _autres_couches(codes: list[str], type_code: str, jour: datetime.date) -> dict[str, dict[str, str]]:
    """{commune: {kind: level}} of the other kinds in force on the date (the newer version first, as elsewhere)."""
    autres: dict[str, dict[str, str]] = {}
    lignes = (Classement.objects.filter(en_vigueur(jour, "zonage__"), commune_id__in=codes)
              .exclude(zonage__type=type_code).order_by("-zonage__valid_from")
              .values_list("commune_id", "zonage__type", "niveau"))
    for code, type_, niveau in lignes:
        autres.setdefault(code, {}).setdefault(type_, niveau)
    return autres


def _communes_avec_qpv(codes: list[str], jour: datetime.date) -> set[str]:
    en_cours = Q(qpv__valid_to__isnull=True) | Q(qpv__valid_to__gte=jour)
    return set(QPV.communes.through.objects.filter(en_cours, qpv__valid_from__lte=jour, commune_id__in=codes)
               .values_list("commune_id", flat=True))


def _effectifs(codes: list[str], professions: set[str]) -> dict[tuple[str, str], int]:
    return {(c, p): n for c, p, n in EffectifProfession.objects.filter(
        structure__commune_id__in=codes, profession__in=professions).order_by()
        .values_list("structure__commune_id", "profession").annotate(total=Sum("nombre"))
        .values_list("structure__commune_id", "profession", "total")}


def impact_de_version(zonage: Zonage, avant: Zonage | None = None, jour: datetime.date | None = None,
                      comparer_a_la_reference: bool = True) -> Impact:
    """The impact of a stored version against `avant` (by default the version it replaces), on `jour` (by default
    its first day)."""
    from zonages.differences import version_de_reference

    if avant is None and comparer_a_la_reference:
        avant = version_de_reference(zonage)
    return calculer(zonage.type, jour or zonage.valid_from, niveaux_de(avant), niveaux_de(zonage), avant,
                    f"version n° {zonage.pk} ({zonage.reference})")


def calculer(type_code: str, jour: datetime.date, niveaux_avant: dict[str, str], niveaux_apres: dict[str, str],
             version_avant: Zonage | None, libelle_apres: str) -> Impact:
    """The impact of replacing the classification `niveaux_avant` by `niveaux_apres` ({commune: level}) on `jour`."""
    codes = sorted(c for c in niveaux_avant.keys() | niveaux_apres.keys()
                   if niveaux_avant.get(c) != niveaux_apres.get(c))
    communes = {c.code_insee: c for c in Commune.objects.servies()
                .select_related("departement").only("code_insee", "nom", "population", "departement",
                                                    "departement__nom", "departement__region_id")}
    changees = [communes[c] for c in codes if c in communes]
    regles = [d for d in catalogue.dispositifs() if (v := d.version_le(jour)) is not None and lit_le_zonage(v, type_code)]
    effets, sans_effet, professions = _effets(regles, changees, type_code, jour, niveaux_avant, niveaux_apres,
                                              version_avant is not None)
    return Impact(
        type_code=type_code, jour=jour, avant=version_avant, libelle_apres=libelle_apres, nb_communes=len(changees),
        population=sum(c.population or 0 for c in changees), dispositifs=effets, sans_effet=sans_effet,
        regions=_parts_par_region(type_code, communes, niveaux_avant, niveaux_apres),
        professions_comptees=EffectifProfession.objects.filter(profession__in=professions).exists(),
    )


def _effets(regles, changees: list[Commune], type_code: str, jour: datetime.date, niveaux_avant, niveaux_apres,
            avant_charge: bool):
    codes = [c.code_insee for c in changees]
    autres = _autres_couches(codes, type_code, jour)
    avec_qpv = _communes_avec_qpv(codes, jour)
    couches = couches_en_vigueur(jour) - {type_code}
    couches_avant, couches_apres = couches | ({type_code} if avant_charge else set()), couches | {type_code}
    feuilles = {nom for d in regles for nom, _ in _predicats(d.version_le(jour))}
    professions = sorted({p for d in regles for p in d.professions}, key=list(PROFESSIONS).index)
    memo: dict[tuple, dict[str, Etat]] = {}

    def etats(commune: Commune, profession: str, niveau: str | None, couches_chargees) -> dict[str, Etat]:
        zonages = {**autres.get(commune.code_insee, {}), type_code: niveau}
        qpv = (None if commune.code_insee in avec_qpv else False) if "qpv" in couches_chargees else None
        cle = (profession, tuple(sorted(zonages.items(), key=lambda kv: kv[0])), qpv, couches_chargees,
               commune.departement_id if "departement" in feuilles else None,
               commune.population if "population_commune" in feuilles else None)
        if cle not in memo:
            faits = Faits(code_insee=commune.code_insee, nom_commune=commune.nom, departement=commune.departement_id,
                          population=commune.population, profession=profession, date=jour, zonages=zonages, qpv=qpv,
                          situation=Situation(), couches_en_vigueur=couches_chargees)
            resultats = {r.dispositif.code: r for r in evaluer(regles, faits)}
            memo[cle] = {d.code: _etat(resultats.get(d.code)) for d in regles}
        return memo[cle]

    # Per scheme and profession: the communes where it changes, with its state before and after.
    par_profession: dict[tuple[str, str], dict[str, tuple[Etat, Etat]]] = {}
    for commune in changees:
        code = commune.code_insee
        for profession in professions:
            avant = etats(commune, profession, niveaux_avant.get(code), couches_avant)
            apres = etats(commune, profession, niveaux_apres.get(code), couches_apres)
            for d in regles:
                if profession in d.professions and avant[d.code] != apres[d.code]:
                    par_profession.setdefault((d.code, profession), {})[code] = (avant[d.code], apres[d.code])
    effectifs = _effectifs(codes, set(professions))
    par_code = {c.code_insee: c for c in changees}
    resultat, sans_effet = [], []
    for d in regles:
        # Professions whose changes coincide are said once ("médecin généraliste, médecin spécialiste").
        groupes: dict[tuple, list[str]] = {}
        for profession in d.professions:
            changements = par_profession.get((d.code, profession))
            if changements:
                groupes.setdefault(tuple(sorted(changements.items())), []).append(profession)
        if not groupes:
            sans_effet.append(d.nom)
        for changements, groupe in groupes.items():
            effet = EffetDispositif(d.code, d.nom, d.financeur, tuple(groupe), d.nom_court)
            for code, (avant, apres) in changements:
                c = par_code[code]
                comptes = [effectifs[(code, p)] for p in groupe if (code, p) in effectifs]
                effet.communes.append(CommuneTouchee(
                    code, c.nom, c.departement_id, c.departement.nom, c.population, niveaux_avant.get(code),
                    niveaux_apres.get(code), avant, apres, sum(comptes) if comptes else None))
            resultat.append(effet)
    return resultat, sans_effet, professions


def _parts_par_region(type_code: str, communes: dict[str, Commune], niveaux_avant, niveaux_apres) -> list[PartsRegion]:
    """For each served region with communes: the share of its population in each level, before and after, against
    the caps entered for that region (one query for every region's caps)."""
    par_region: dict[str, dict[str, Commune]] = {}
    for code, commune in communes.items():
        par_region.setdefault(commune.departement.region_id, {})[code] = commune
    plafonds: dict[str, dict[str, PlafondRegional]] = {}
    for plafond in PlafondRegional.objects.filter(type=type_code, region__in=list(par_region)):
        plafonds.setdefault(plafond.region, {})[plafond.niveau] = plafond
    return [PartsRegion(region, REGIONS_INSEE.get(region, region), sum(c.population or 0 for c in dans.values()),
                        _parts(type_code, dans, niveaux_avant, niveaux_apres, plafonds.get(region, {})))
            for region, dans in sorted(par_region.items())]


def _parts(type_code: str, communes: dict[str, Commune], niveaux_avant, niveaux_apres,
           plafonds: dict[str, PlafondRegional]) -> list[PartNiveau]:
    """The shares of the population of `communes` (one region's) per level, with that region's `plafonds`."""
    total = sum(c.population or 0 for c in communes.values()) or 1
    type_zonage = TYPES[type_code]
    vivier = VIVIER_NATIONAL.get(type_code, ("", {}))[1]

    def population(niveaux: dict[str, str], code: str | None) -> int:
        return sum(c.population or 0 for k, c in communes.items() if niveaux.get(k) == code)

    parts = []
    for code, libelle in [(n.code, n.libelle) for n in type_zonage.niveaux] + [(None, SANS_NIVEAU)]:
        avant, apres = population(niveaux_avant, code), population(niveaux_apres, code)
        if avant or apres or code in plafonds:
            parts.append(PartNiveau(code, libelle, avant, apres, 100 * avant / total, 100 * apres / total,
                                    plafonds.get(code), vivier.get(code)))
    return parts


# --- CSV export --------------------------------------------------------------------------------------------------

ENTETES_CSV = ["dispositif", "nom du dispositif", "professions", "effet", "code_insee", "commune", "département",
               "population", "niveau_avant", "niveau_après", "aide_avant", "aide_après", "professionnels"]


def ecrire_csv(impact: Impact, flux) -> None:
    """One row per scheme and commune where it changes (UTF-8 with BOM, `;`, formulas neutralised)."""
    flux.write("\ufeff")
    ecrivain = csv_sur.ecrivain(flux, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(ENTETES_CSV)
    for effet in impact.dispositifs:
        for c in effet.communes:
            ecrivain.writerow([
                effet.code, effet.nom, effet.professions_libelles, c.effet, c.code_insee, c.nom, c.departement,
                "" if c.population is None else c.population, c.niveau_avant or SANS_NIVEAU,
                c.niveau_apres or SANS_NIVEAU, c.avant.texte, c.apres.texte,
                NON_CONNU if c.professionnels is None else c.professionnels,
            ])


def nom_fichier_csv(impact: Impact, apres: str) -> str:
    avant = f"v{impact.avant.pk}" if impact.avant else "aucune"
    return f"impact_{impact.type_code}_{avant}_{apres}_{impact.jour:%Y-%m-%d}.csv"


def lignes_texte(impact: Impact) -> list[str]:
    """The impact in French, for the command line."""
    avant = (f"la version n° {impact.avant.pk} ({impact.avant.reference})" if impact.avant
             else "aucune version en vigueur")
    lignes = [f"Impact de {impact.libelle_apres} par rapport à {avant}, au {impact.jour:%d/%m/%Y} "
              "(calculé, rien n'est enregistré).",
              f"Communes qui changent de niveau : {impact.nb_communes} ; population concernée : "
              f"{_nombre(impact.population)} habitants."]
    for effet in impact.dispositifs:
        lignes.append(f"- {effet.nom} [{effet.code}] ({effet.professions_libelles}) : {len(effet.gagnees)} commune(s) "
                      f"gagnée(s), {len(effet.perdues)} perdue(s), {len(effet.modifiees)} au montant modifié ; "
                      f"{_nombre(effet.population)} habitants ; professionnels : {effet.professionnels_texte}.")
        for t in effet.transitions:
            lignes.append(f"    {t.niveau_avant or SANS_NIVEAU} → {t.niveau_apres or SANS_NIVEAU} : {t.avant} → {t.apres} "
                          f"({t.communes} commune(s), {_nombre(t.population)} habitants)")
        for d in effet.par_departement:
            lignes.append(f"    {d.nom} ({d.code}) : {d.gagnees} gagnée(s), {d.perdues} perdue(s), {d.modifiees} "
                          f"modifiée(s), {_nombre(d.population)} habitants")
    if impact.sans_effet:
        lignes.append("Sans changement : " + " ; ".join(impact.sans_effet))
    for region in impact.regions:
        lignes.append(f"Part de la population de la région {region.nom} ({_nombre(region.population)} habitants) "
                      "par niveau :")
        for p in region.parts:
            plafond = (f" ; plafond de la région {_pourcent(p.plafond.part_maximale)} ({p.plafond.source})"
                       + (" : DÉPASSÉ" if p.depasse_apres else "") if p.plafond else "")
            lignes.append(f"- {p.libelle} : {_pourcent(p.part_avant)} → {_pourcent(p.part_apres)}{plafond}")
        if not region.plafonds_saisis:
            lignes.append(f"{region.sans_plafond} (administration : « Plafonds régionaux de population »).")
    if impact.vivier_national:
        lignes.append(f"Pour mémoire, {impact.vivier_national} (chiffres nationaux ; les plafonds d'une région sont "
                      "ceux que son ARS a saisis).")
    return lignes


def _nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")
