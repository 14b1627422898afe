"""Writing validated territories to the database: one transaction, only what differs is written.

A second load of the same files writes nothing and says so. Records that have disappeared from the source are
kept (zonages and structures may point to them) and counted in the report.
"""
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from shapely.geometry import shape

from noyau import cache_generations
from noyau.fichiers import Probleme

from ..models import EPCI, CodePostal, Commune, CommuneRattachee, Departement, Region
from ..normalisation import normaliser_nom
from ..regions_servies import regions_servies
from .lecture import Territoires, lire_territoires
from .sources import trouver_source

TAILLE_LOT = 2000


@dataclass
class Compte:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    supprimes: int = 0
    absents_de_la_source: int = 0

    @property
    def changements(self) -> int:
        return self.crees + self.modifies + self.supprimes


@dataclass
class RapportChargement:
    comptes: dict[str, Compte] = field(default_factory=dict)
    ignores: dict[str, int] = field(default_factory=dict)
    avertissements: list[Probleme] = field(default_factory=list)
    fichiers: list[Path] = field(default_factory=list)  # every file read

    @property
    def changements(self) -> int:
        return sum(c.changements for c in self.comptes.values())

    def lignes(self) -> list[str]:
        lignes = []
        for nom, c in self.comptes.items():
            ligne = f"{nom} : {c.crees} créé(s), {c.modifies} modifié(s), {c.inchanges} inchangé(s)"
            if c.supprimes:
                ligne += f", {c.supprimes} supprimé(s)"
            if c.absents_de_la_source:
                ligne += f", {c.absents_de_la_source} en base absent(s) de la source (conservé(s))"
            lignes.append(ligne)
        lignes += [f"Ignorés : {n} {raison}" for raison, n in self.ignores.items()]
        lignes += [f"Avertissement : {a}" for a in self.avertissements]
        lignes.append("Aucun changement : les référentiels étaient déjà à jour." if not self.changements
                      else f"{self.changements} changement(s) enregistré(s).")
        return lignes


def _synchroniser(modele, cle: str, voulus: dict[str, dict], champs: list[str]) -> Compte:
    """Creates or updates `modele` rows so that each key of `voulus` has the given field values."""
    compte = Compte()
    noms_champs = [champ.removesuffix("_id") for champ in champs]
    existants = {getattr(obj, cle): obj for obj in modele.objects.only(cle, *noms_champs)}
    a_creer, a_modifier = [], []
    for code, valeurs in voulus.items():
        obj = existants.get(code)
        if obj is None:
            a_creer.append(modele(**{cle: code}, **valeurs))
        elif any(getattr(obj, champ) != valeurs[champ] for champ in champs):
            for champ in champs:
                setattr(obj, champ, valeurs[champ])
            a_modifier.append(obj)
        else:
            compte.inchanges += 1
    modele.objects.bulk_create(a_creer, batch_size=TAILLE_LOT)
    if a_modifier:
        modele.objects.bulk_update(a_modifier, champs, batch_size=500)
    compte.crees, compte.modifies = len(a_creer), len(a_modifier)
    compte.absents_de_la_source = len(set(existants) - set(voulus))
    return compte


def _point_representatif(geometrie: dict | None) -> tuple[float | None, float | None]:
    if not geometrie:
        return None, None
    point = shape(geometrie).representative_point()  # always inside the outline, unlike the centroid
    return round(point.x, 6), round(point.y, 6)


def _ecrire(t: Territoires) -> RapportChargement:
    rapport = RapportChargement(ignores=dict(t.ignores), avertissements=list(t.avertissements))
    regions = {code: {"nom": r.nom} for code, r in t.regions.items()}
    champs_region = ["nom"]
    if t.contours_regions is not None:
        for code, valeurs in regions.items():
            valeurs["contour"] = t.contours_regions.get(code)
        champs_region.append("contour")
    rapport.comptes["Régions"] = _synchroniser(Region, "code", regions, champs_region)

    departements = {code: {"nom": d.nom, "region_id": d.region, "chef_lieu": d.chef_lieu} for code, d in t.departements.items()}
    champs_dep = ["nom", "region_id", "chef_lieu"]
    if t.contours_departements is not None:
        for code, valeurs in departements.items():
            valeurs["contour"] = t.contours_departements.get(code)
        champs_dep.append("contour")
    rapport.comptes["Départements"] = _synchroniser(Departement, "code", departements, champs_dep)

    epcis = {code: {"nom": e.nom, "type": e.type, "mode_financement": e.mode_financement, "population": e.population}
             for code, e in t.epci.items()}
    rapport.comptes["EPCI"] = _synchroniser(EPCI, "code", epcis, ["nom", "type", "mode_financement", "population"])

    communes = {
        code: {"nom": c.nom, "nom_normalise": normaliser_nom(c.nom), "departement_id": c.departement,
               "epci_id": c.epci, "population": c.population}
        for code, c in t.communes.items()
    }
    champs_commune = ["nom", "nom_normalise", "departement_id", "epci_id", "population"]
    if t.contours_communes is not None:  # a source without outlines leaves the stored ones alone
        for code, valeurs in communes.items():
            contour = t.contours_communes.get(code)
            valeurs["contour"] = contour
            valeurs["longitude"], valeurs["latitude"] = _point_representatif(contour)
        champs_commune += ["contour", "longitude", "latitude"]
    rapport.comptes["Communes"] = _synchroniser(Commune, "code_insee", communes, champs_commune)

    rapport.comptes["Codes postaux"] = _synchroniser_codes_postaux(t)
    rattachees = {code: {"nom": r.nom, "type": r.type, "commune_id": r.parent} for code, r in t.rattachees.items()}
    rapport.comptes["Communes rattachées"] = _synchroniser(CommuneRattachee, "code", rattachees, ["nom", "type", "commune_id"])
    return rapport


def _synchroniser_codes_postaux(t: Territoires) -> Compte:
    voulus = {(cp, code) for code, c in t.communes.items() for cp in c.codes_postaux}
    existants = {(cp, code): pk for pk, cp, code in CodePostal.objects.values_list("pk", "code", "commune_id")}
    obsoletes = [pk for (cp, code), pk in existants.items() if code in t.communes and (cp, code) not in voulus]
    nouveaux = [CodePostal(code=cp, commune_id=code) for cp, code in voulus - set(existants)]
    CodePostal.objects.bulk_create(nouveaux, batch_size=TAILLE_LOT)
    for debut in range(0, len(obsoletes), TAILLE_LOT):
        CodePostal.objects.filter(pk__in=obsoletes[debut:debut + TAILLE_LOT]).delete()
    return Compte(crees=len(nouveaux), supprimes=len(obsoletes), inchanges=len(voulus) - len(nouveaux))


def charger_territoires(dossier) -> RapportChargement:
    """Validates every territory file of `dossier`, then writes those of the served regions in one transaction."""
    source = trouver_source(dossier)
    territoires = lire_territoires(source, regions_servies())  # raises FichierInvalide before any write
    with transaction.atomic():
        rapport = _ecrire(territoires)
        rapport.fichiers = source.fichiers()
        if rapport.changements:
            # Bulk writes send no signal: what is built from territories (map outlines…) is rebuilt.
            cache_generations.invalider("territoires")
        return rapport
