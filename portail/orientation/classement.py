"""The communes of « Où m'installer ? » for one profile, without HTTP: filtered (a département, around a commune),
sorted, and said the same way by the API, its CSV, the page's table and its map.

The API's JSON is written from pieces: what each commune says whatever the profile (its name, its zonages) is
encoded once per date and profession, what each group of communes gets once per request."""
import datetime
import io
from dataclasses import dataclass
from urllib.parse import urlencode

import orjson
from django.urls import reverse

from aides.eligibilite.faits import Situation
from aides.eligibilite.regles import UNITES
from aides.region import UNITES_SOMMABLES, Bilan, Lieu, ReponseRegion, evaluer_les_communes, lieux_de_la_profession
from noyau import csv_sur
from noyau.cache_generations import MemoireLocale
from territoires.models import Commune
from territoires.proximite import autour_de
from territoires.regions_servies import cle_des_regions_servies
from zonages.niveaux import TYPES

# What the map colours, from most support to none; unknown is never « aucune ».
CATEGORIES = {
    "certaines": "Au moins une aide certaine",
    "a_verifier": "Des aides à vérifier, aucune certaine",
    "aucune": "Aucune aide pour ce profil",
}


def categorie(bilan: Bilan) -> str:
    if bilan.certaines:
        return "certaines"
    return "a_verifier" if bilan.a_verifier else "aucune"


@dataclass(frozen=True)
class Teinte:
    """One colour of the map: a category, the aids to check split in bands where they are the whole answer."""

    cle: str  # the CSS class's suffix (pastille-categorie--<cle>)
    libelle: str
    nombre: int  # communes
    minimum: int | None = None  # bands of « à vérifier »: the number of aids to check, inclusive
    maximum: int | None = None


BANDES = 3  # of « à vérifier »


def teintes(recherche: "Recherche") -> tuple[list[Teinte], dict[str, str]]:
    """The map's colours and {code INSEE: its colour}. Where no aid is certain for this profile (common without
    a full situation), the communes with aids to check are told apart by how many they have: three bands of about
    as many communes each, from the fewest to the most."""
    bilans = {lieu.code_insee: recherche.bilan(lieu) for lieu in recherche.lieux}
    a_verifier = sorted(b.a_verifier for b in bilans.values() if categorie(b) == "a_verifier")
    valeurs = sorted(set(a_verifier))
    if len(valeurs) <= BANDES:
        bornes = [(v, v) for v in valeurs]
    else:  # bands start at the smallest value and at the values of the communes' tertiles
        debuts = sorted({valeurs[0], *(a_verifier[len(a_verifier) * k // BANDES] for k in range(1, BANDES))})
        fins = [max(v for v in valeurs if v < debut) for debut in debuts[1:]] + [valeurs[-1]]
        bornes = list(zip(debuts, fins))

    def bande(n: int) -> int:
        return next(i for i, (bas, haut) in enumerate(bornes) if bas <= n <= haut)
    cles = {}
    for code, b in bilans.items():
        cle = categorie(b)
        cles[code] = f"a_verifier-{bande(b.a_verifier) + 1}" if cle == "a_verifier" else cle
    comptes = {}
    for cle in cles.values():
        comptes[cle] = comptes.get(cle, 0) + 1
    liste = [Teinte("certaines", CATEGORIES["certaines"], comptes.get("certaines", 0))]
    for i, (bas, haut) in reversed(list(enumerate(bornes))):
        cle = f"a_verifier-{i + 1}"
        quantite = f"{bas} aide{'s' if bas > 1 else ''}" if bas == haut else f"De {bas} à {haut} aides"
        liste.append(Teinte(cle, f"{quantite} à vérifier, aucune certaine", comptes.get(cle, 0), bas, haut))
    liste.append(Teinte("aucune", CATEGORIES["aucune"], comptes.get("aucune", 0)))
    return liste, cles


@dataclass(frozen=True)
class Recherche:
    region: ReponseRegion
    lieux: list[Lieu]  # sorted
    distances: dict[str, float] | None  # {code INSEE: km from `autour`}
    departement: str | None
    autour: Commune | None
    rayon_km: float | None
    tri: str
    profil: str  # the profile as query parameters (parametres_du_profil), for links to the simulator

    def bilan(self, lieu: Lieu) -> Bilan:
        return self.region.bilans[lieu.code_insee]

    def distance(self, lieu: Lieu) -> float | None:
        return self.distances.get(lieu.code_insee) if self.distances is not None else None


def rechercher(profession: str, jour: datetime.date, situation: Situation, departement: str | None = None,
               autour: Commune | None = None, rayon_km: float | None = None, tri: str = "") -> Recherche:
    """The region's communes (of `departement`; within `rayon_km` of `autour`), each with what the profile gets."""
    distances = None
    if autour is not None:
        distances = {v.code_insee: v.distance_km for v in autour_de(autour.code_insee, rayon_km) or []}
    codes = list(distances) if distances is not None else None
    if departement is not None:  # its communes only are summed up (all of France's otherwise, to keep one département)
        tous = lieux_de_la_profession(jour, profession)
        codes = [c for c in (tous if codes is None else codes) if c in tous and tous[c].departement == departement]
    region = evaluer_les_communes(profession, jour, situation, codes=codes)
    lieux = [lieu for lieu in region.lieux if departement is None or lieu.departement == departement]
    tri = tri or "aides"
    return Recherche(region, trier(lieux, tri, region.bilans, distances), distances, departement, autour, rayon_km,
                     tri, urlencode(parametres_du_profil(profession, jour, situation)))


def trier(lieux: list[Lieu], tri: str, bilans: dict[str, Bilan], distances: dict[str, float] | None) -> list[Lieu]:
    """`tri`: a key of orientation.formulaires.TRIS, "-" in front for the reverse order; then by name."""
    distances = distances or {}
    loin = float("inf")
    cles = {
        "aides": lambda lieu: (bilans[lieu.code_insee].rang, distances.get(lieu.code_insee, 0)),
        "distance": lambda lieu: distances.get(lieu.code_insee, loin),
        "commune": lambda lieu: 0,
        "departement": lambda lieu: lieu.departement,
        "population": lambda lieu: -(lieu.population or 0),
    }
    cle = cles[tri.removeprefix("-")]
    par_nom = sorted(lieux, key=lambda lieu: (lieu.nom_normalise, lieu.code_insee))
    return sorted(par_nom, key=cle, reverse=tri.startswith("-"))


# --- Said the same way everywhere ----------------------------------------------------------------------------------

def parametres_du_profil(profession: str, jour: datetime.date, situation: Situation) -> dict[str, str]:
    """The profile as query parameters (the simulator's own names), facts left unknown left out."""
    parametres = {"profession": profession, "date": jour.isoformat()}
    for nom, valeur in situation.__dict__.items():
        if valeur is not None:
            parametres[nom] = ("oui" if valeur else "non") if isinstance(valeur, bool) else str(valeur)
    return parametres


def lien_simulation(recherche: Recherche, code_insee: str = "{code_insee}") -> str:
    """The simulator for this profile at this commune; by default the address with « {code_insee} » to replace."""
    return f"{reverse('mes_aides')}?commune={code_insee}&{recherche.profil}"


def montants_en_texte(total: dict[str, float]) -> str:
    """{"unique": 10000, "mois": 300} → "10 000 € (versement unique) ; 300 € (par mois)": never one sum."""
    return " ; ".join(f"{_euros(valeur)} ({UNITES[unite]})" for unite, valeur in total.items())


def _euros(valeur: float) -> str:
    texte = f"{valeur:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    return f"{texte} €"


def bilan_en_dict(bilan: Bilan) -> dict:
    return {"aides": {"certaines": bilan.certaines, "au_choix": bilan.au_choix, "a_verifier": bilan.a_verifier,
                      "non_chiffrees": bilan.non_chiffrees},
            "contraintes": {"s_appliquent": bilan.contraintes, "a_preciser": bilan.contraintes_a_preciser},
            "total_certain": bilan.total_certain, "total_possible": bilan.total_possible,
            "categorie": categorie(bilan)}


def lieu_en_dict(region: ReponseRegion, lieu: Lieu) -> dict:
    return {"code_insee": lieu.code_insee, "nom": lieu.nom, "departement": lieu.departement,
            "population": lieu.population, "zonages": {t: lieu.zonages.get(t) for t in region.types_utiles},
            "zonage_profession": region.zonage_profession(lieu)}


def ligne_en_dict(recherche: Recherche, lieu: Lieu) -> dict:
    """One commune as the API says it (the pieces `lignes_en_json` assembles)."""
    return {**lieu_en_dict(recherche.region, lieu), "distance_km": recherche.distance(lieu),
            **bilan_en_dict(recherche.bilan(lieu))}


def en_json(valeur) -> str:
    """Compact JSON, non-ASCII kept, as json.dumps(…, ensure_ascii=False, separators=(",", ":")) writes it (orjson:
    a sixth of the standard encoder's time for a commune's line, half of a whole region's assembling, cold)."""
    return orjson.dumps(valeur).decode()


_lieux_en_json = MemoireLocale(16)


def lignes_en_json(recherche: Recherche, lieux: list[Lieu]) -> str:
    """A JSON array of `ligne_en_dict` for `lieux`, from pieces."""
    region = recherche.region

    def construire():  # what each commune says whatever the situation: once per date and profession, for all of them
        return {lieu.code_insee: en_json(lieu_en_dict(region, lieu))[:-1]
                for lieu in lieux_de_la_profession(region.date, region.profession).values()}
    statiques = _lieux_en_json.obtenir(f"orientation:lieux:{cle_des_regions_servies()}:{region.date.isoformat()}:"
                                       f"{region.profession}",
                                       ("territoires", "zonages", "qpv", "aides"), construire)
    # Read through locals, not Recherche's methods: a call per commune was a third of this loop.
    bilans, distances = region.bilans, recherche.distances or {}
    par_bilan: dict[int, str] = {}
    morceaux = []
    for lieu in lieux:
        code = lieu.code_insee
        bilan = bilans[code]
        commun = par_bilan.get(id(bilan))
        if commun is None:
            commun = par_bilan[id(bilan)] = en_json(bilan_en_dict(bilan))[1:]
        statique = statiques.get(code) or en_json(lieu_en_dict(region, lieu))[:-1]
        distance = distances.get(code)  # mostly none: not worth an encoder's call
        morceaux.append(f'{statique},"distance_km":{"null" if distance is None else en_json(distance)},{commun}')
    return "[" + ",".join(morceaux) + "]"


def entete_en_dict(recherche: Recherche) -> dict:
    region = recherche.region
    return {
        "profession": region.profession, "date": region.date.isoformat(),
        "couches_en_vigueur": sorted(region.couches),
        "types_zonage": [{"type": t, "libelle": TYPES[t].libelle} for t in region.types_utiles],
        "departement": recherche.departement,
        "autour": {"code_insee": recherche.autour.code_insee, "nom": recherche.autour.nom,
                   "rayon_km": recherche.rayon_km} if recherche.autour else None,
        "tri": recherche.tri, "groupes_evalues": region.groupes,
        # The simulator for this profile in one commune: « {code_insee} » to replace.
        "simulation": lien_simulation(recherche),
    }


def unites_presentes(recherche: Recherche) -> list[str]:
    bilans = {id(b): b for b in map(recherche.bilan, recherche.lieux)}.values()  # one per group
    presentes = {u for bilan in bilans for total in (bilan.total_certain, bilan.total_possible) for u in total}
    return [u for u in UNITES_SOMMABLES if u in presentes]


def en_csv(recherche: Recherche) -> bytes:
    """UTF-8 with a BOM and `;` separators, as French spreadsheets expect; no cell reads as a formula. The totals in
    one column per unit: they are never added across units."""
    types, unites = recherche.region.types_utiles, unites_presentes(recherche)
    sortie = io.StringIO()
    sortie.write("\ufeff")
    ecrivain = csv_sur.ecrivain(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(["code_insee", "commune", "code_departement", "population", "distance_km",
                       *(f"zonage_{t}" for t in types), "aides_certaines", "groupes_au_choix", "aides_a_verifier",
                       "aides_non_chiffrees", "contraintes", "contraintes_a_preciser",
                       *(f"total_certain_{u}" for u in unites), *(f"total_possible_{u}" for u in unites)])
    for lieu in recherche.lieux:
        bilan, distance = recherche.bilan(lieu), recherche.distance(lieu)
        ecrivain.writerow([
            lieu.code_insee, lieu.nom, lieu.departement, "" if lieu.population is None else lieu.population,
            "" if distance is None else distance,
            *(niveau_en_texte(lieu, t, recherche.region.couches) for t in types),
            bilan.certaines, bilan.au_choix, bilan.a_verifier, bilan.non_chiffrees, bilan.contraintes,
            bilan.contraintes_a_preciser, *(bilan.total_certain.get(u, 0) for u in unites),
            *(bilan.total_possible.get(u, 0) for u in unites)])
    return sortie.getvalue().encode("utf-8")


def niveau_en_texte(lieu: Lieu, type_zonage: str, couches: frozenset[str]) -> str:
    """The level's code; « inconnu » when no version is loaded or the version does not class the commune (never
    an empty cell that would read as « none »)."""
    niveau = lieu.zonages.get(type_zonage)
    if niveau:
        return niveau
    return "inconnu (non classée)" if type_zonage in couches else "inconnu (non chargé)"


def nom_fichier_csv(recherche: Recherche) -> str:
    morceaux = ["ou-m-installer", recherche.region.profession, recherche.region.date.isoformat()]
    if recherche.departement:
        morceaux.append(recherche.departement)
    if recherche.autour:
        morceaux.append(f"{recherche.autour.code_insee}-{recherche.rayon_km:g}km")
    return "_".join(morceaux) + ".csv"
