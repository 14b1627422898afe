"""Regional and departmental indicators, computed from the database and cached until the data change: structures,
CPTS and their coverage, médecins zonage, montagne and ZRR, open job offers. Nothing here is typed in.

The figures cover one département, one served region (a département counts in its own region), or, when neither
is asked, every served region together (PAPS_REGIONS).

The cache key carries the generations (noyau/cache_generations.py) of territories, zonages, structures and CPTS: a
saved structure, offer, CPTS or zonage shows on the next request, in every process."""
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from cpts.consultation import en_vigueur as territoire_en_vigueur
from cpts.models import Cpts, Stade, TerritoireCpts
from indicateurs import consultation as apl
from indicateurs.consultation import DistributionApl
from noyau.cache_generations import en_cache
from noyau.regions import REGIONS_INSEE
from structures.consultation import registres
from structures.models import Offre, SousType, Statut, Structure, Type
from territoires.models import Commune, Departement
from territoires.regions_servies import (
    RegionNonServie,
    cle_des_regions_servies,
    codes_des_regions_servies,
    filtre_region,
    lire_region,
)
from zonages.consultation import en_vigueur
from zonages.models import Classement
from zonages.niveaux import TYPES

DUREE_CACHE = 24 * 3600  # seconds; the key changes with the data and the day anyway
DOMAINES = ("territoires", "zonages", "structures", "cpts", "indicateurs")


@dataclass(frozen=True)
class Portee:
    """What the figures cover: a département, else a region (INSEE code), else every served region."""

    departement: str | None = None
    region: str | None = None

    def filtre(self, chemin: str) -> dict:
        """Keyword arguments restricting a queryset through `chemin`, its path to a département
        ("commune__departement", or "departements" for a many-to-many)."""
        if self.departement:
            return {f"{chemin}__code": self.departement}
        if self.region:
            return {f"{chemin}__region_id": self.region}
        return filtre_region(f"{chemin}__region_id")

    @property
    def cle(self) -> str:
        """« 48 », « region-84 », « region » (every served region): cache keys and the CSV's file name."""
        return self.departement or (f"region-{self.region}" if self.region else "region")


@dataclass
class Tableau:
    """One chart and its data table: rows of (label, value), with the total the bars are drawn against."""

    titre: str
    lignes: list[tuple[str, int]]
    unite: str = ""
    note: str = ""

    @property
    def maximum(self) -> int:
        return max([v for _, v in self.lignes] + [1])


@dataclass
class Indicateurs:
    perimetre: str
    jour: datetime.date
    population: int
    communes: int
    tableaux: list[Tableau] = field(default_factory=list)
    annee_apl: int | None = None
    apl: list[DistributionApl] = field(default_factory=list)

    def lignes_csv(self):
        yield ["indicateur", "libellé", "valeur", "unité"]
        for tableau in self.tableaux:
            for libelle, valeur in tableau.lignes:
                yield [tableau.titre, libelle, valeur, tableau.unite]
        for d in self.apl:
            titre = f"APL aux médecins généralistes {self.annee_apl} (DREES), {d.nom}"
            for libelle, valeur in [("communes", d.communes), ("minimum", d.minimum), ("médiane", d.mediane),
                                    ("maximum", d.maximum), ("moyenne pondérée par la population", d.moyenne_ponderee)]:
                yield [titre, libelle, "" if valeur is None else round(valeur, 3),
                       "" if libelle == "communes" else "consultations par an et par habitant"]


def _communes(portee: Portee):
    return Commune.objects.servies().filter(**portee.filtre("departement"))


def _structures(portee: Portee, jour: datetime.date) -> list[Tableau]:
    structures = Structure.objects.avec_statut(jour).filter(**portee.filtre("commune__departement"))
    comptes = Counter((s["type"], s["sous_type"], s["statut_actuel"]) for s in structures.values("type", "sous_type", "statut_actuel"))
    actives = {Statut.LABELLISEE, Statut.OUVERTE}

    def nombre(type_, statuts, sous_type=None):
        return sum(n for (t, st, statut), n in comptes.items()
                   if t == type_ and statut in statuts and (sous_type is None or st == sous_type))


    def source(type_) -> str:
        """Which of them a register gave, and of what date: its structures are those of that day."""
        issues = registres(structures.filter(type=type_))
        if not issues:
            return ""
        return ("Dont " + ", ".join(f"{n} du {libelle}" for libelle, n in issues)
                + " : les structures ouvertes depuis n'y figurent pas.")

    return [
        Tableau("Maisons de santé pluriprofessionnelles", [
            ("ouvertes ou labellisées", nombre(Type.MSP, actives)), ("en projet", nombre(Type.MSP, {Statut.PROJET}))],
            note=source(Type.MSP)),
        Tableau("Centres de santé ouverts ou labellisés, par type",
                [(libelle, nombre(Type.CENTRE_SANTE, actives, code)) for code, libelle in SousType.choices],
                note=source(Type.CENTRE_SANTE)),
        Tableau("Équipes de soins primaires et PTA", [
            ("ESP", nombre(Type.ESP, actives | {Statut.PROJET})), ("PTA", nombre(Type.PTA, actives | {Statut.PROJET}))]),
    ]


def _cpts(portee: Portee, jour: datetime.date, population: int) -> list[Tableau]:
    # A CPTS counts in each of its départements (and so in their regions): by primary key, so that one with two
    # départements of the region counts once.
    cpts = Cpts.objects.filter(pk__in=Cpts.objects.filter(**portee.filtre("departements")).values("pk"))
    par_stade = Counter(cpts.values_list("stade", flat=True))
    couverte = (TerritoireCpts.objects.filter(territoire_en_vigueur(jour), cpts__in=cpts)
                .filter(**portee.filtre("commune__departement"))
                .values("commune").distinct().aggregate(p=Sum("commune__population"))["p"] or 0)
    part = round(100 * couverte / population) if population else 0
    return [
        Tableau("CPTS par stade", [(libelle, par_stade.get(code, 0)) for code, libelle in Stade.choices]),
        Tableau("Population couverte par une CPTS", [("part de la population", part)], unite="%",
                note="Communes rattachées à une CPTS dans le portail, à la date du tableau de bord."),
    ]


def _zonages(portee: Portee, jour: datetime.date) -> list[Tableau]:
    classements = Classement.objects.filter(en_vigueur(jour, "zonage__"), **portee.filtre("commune__departement"))
    lignes = {(t, n): (c, p or 0) for t, n, c, p in classements.values_list("zonage__type", "niveau")
              .annotate(c=Count("pk"), p=Sum("commune__population")).values_list("zonage__type", "niveau", "c", "p")}

    def tableaux_de(type_code: str, titre: str, unite_pop: bool):
        type_zonage = TYPES[type_code]
        if not any(t == type_code for t, _ in lignes):
            return [Tableau(titre, [], note="Aucune version de ce zonage en vigueur à cette date.")]
        communes = [(n.libelle, lignes.get((type_code, n.code), (0, 0))[0]) for n in type_zonage.niveaux
                    if (type_code, n.code) in lignes]
        resultat = [Tableau(f"{titre} : communes", communes)]
        if unite_pop:
            resultat.append(Tableau(f"{titre} : population", [(n.libelle, lignes[(type_code, n.code)][1])
                                                              for n in type_zonage.niveaux if (type_code, n.code) in lignes],
                                    unite="habitants"))
        return resultat

    return (tableaux_de("medecin", "Zonage médecins généralistes", True) + tableaux_de("montagne", "Zone de montagne", False)
            + tableaux_de("zrr", "Zones de revitalisation rurale", False))


def _offres(portee: Portee, jour: datetime.date) -> list[Tableau]:
    offres = Offre.objects.visibles(jour).filter(**portee.filtre("commune__departement"))
    comptes = dict(offres.values_list("type").annotate(n=Count("pk")).values_list("type", "n"))
    from structures.models import TypeOffre
    return [Tableau("Offres d'emploi en cours", [(libelle, comptes.get(code, 0)) for code, libelle in TypeOffre.choices])]


def region_du_tableau(demandee: str | None, departement: Departement | None, departements: list[Departement]) -> str:
    """The region the dashboard shows: the département's own, else the one asked (?region=84), else the first served
    region with data (of `departements`, the served ones), else the first served one. Raises
    ValueError (a French message) for a value that is no region's code, RegionNonServie for a region outside the
    served ones or one the département is not in."""
    region = lire_region(demandee)
    if departement is not None:
        if region not in (None, departement.region_id):
            sienne = REGIONS_INSEE.get(departement.region_id, departement.region_id)
            raise RegionNonServie(f"Aucun département « {departement.code} » dans la région {REGIONS_INSEE[region]} : "
                                  f"{departement.nom} est dans la région {sienne}.")
        return departement.region_id
    return region or min((d.region_id for d in departements), default=codes_des_regions_servies()[0])


def indicateurs(departement: str | None = None, jour: datetime.date | None = None,
                region: str | None = None) -> Indicateurs:
    """The figures of `departement`, else of the region `region`, else of every served region, on `jour`."""
    jour = jour or timezone.localdate()
    portee = Portee(departement, None if departement else region)

    def construire():
        totaux = _communes(portee).aggregate(n=Count("pk"), p=Sum("population"))
        resultat = Indicateurs(portee.cle, jour, totaux["p"] or 0, totaux["n"])
        resultat.tableaux = (_structures(portee, jour) + _cpts(portee, jour, resultat.population)
                             + _zonages(portee, jour) + _offres(portee, jour))
        if annees := apl.annees():
            resultat.annee_apl = annees[0]
            resultat.apl = apl.distribution_par_departement(annees[0], portee.departement, portee.region)
        return resultat
    # The served regions are in the key: a change of PAPS_REGIONS changes what « every served region » covers.
    return en_cache(f"tableau-de-bord:{cle_des_regions_servies()}:{portee.cle}:{jour.isoformat()}", DOMAINES,
                    construire, DUREE_CACHE)
