"""The commune page without HTTP. What it says when a zonage is not known for the commune on the chosen date (no
version loaded, a version that gives the commune no level, a version no longer in force: unknown is said as unknown,
with where the official classification is, never "no"); and what answers "can I settle here?": the structures,
CPTS and offers of the commune or nearby, and the map of its neighbours coloured by a profession's zonage."""
import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import formats

from cpts.consultation import en_vigueur as en_vigueur_cpts
from cpts.models import TerritoireCpts
from noyau.cache_generations import en_cache
from structures.models import Offre, Statut, Structure, Type
from territoires.models import Commune
from territoires.proximite import autour_de
from zonages.carte import DECIMALES, TOLERANCE_DEPARTEMENT, classement, simplifier, versions_en_vigueur
from zonages.consultation import ZonageCommune
from zonages.models import Zonage
from zonages.niveaux import TYPES, TypeZonage


@dataclass(frozen=True)
class ZonageInconnu:
    type_zonage: TypeZonage
    nom_commune: str
    jour: datetime.date
    version: Zonage | None = None  # in force, but without a level for the commune
    terminee: Zonage | None = None  # the latest version, ended before the date

    @property
    def detail(self) -> str:
        """Why the level is not known, without the kind's name (the page's table row already names it)."""
        if self.version:  # its note, shown with it, often says why (a commune created since the file…)
            return f"La version en vigueur ({self.version.reference}) ne donne pas de niveau pour {self.nom_commune}."
        if self.terminee:
            fin = formats.date_format(self.terminee.valid_to, "j F Y")
            return f"Dernière version en vigueur jusqu'au {fin} ; aucune le {formats.date_format(self.jour, 'j F Y')}."
        return f"Aucune version n'est chargée dans le portail pour le {formats.date_format(self.jour, 'j F Y')}."

    @property
    def message(self) -> str:
        return f"{self.type_zonage.libelle} : {self.detail[0].lower()}{self.detail[1:]}"

    @property
    def a_verifier(self) -> bool:
        """Whether the classification exists and is only unknown here (an ended kind is not)."""
        return self.terminee is None

    @property
    def ou_verifier(self) -> str:
        return self.type_zonage.ou_verifier


def zonages_inconnus(nom_commune: str, zonages: dict[str, ZonageCommune],
                     jour: datetime.date) -> dict[str, ZonageInconnu]:
    """{kind: ZonageInconnu} for each kind without a level for the commune on `jour` (two queries at most)."""
    manquants = [code for code, z in zonages.items() if z.niveau is None]
    if not manquants:
        return {}
    en_vigueur = versions_en_vigueur(jour, manquants)
    terminees: dict[str, Zonage] = {}
    for version in (Zonage.objects.filter(type__in=[c for c in manquants if c not in en_vigueur],
                                          statut=Zonage.Statut.PUBLIE, valid_to__lt=jour).order_by("type", "-valid_to")):
        terminees.setdefault(version.type, version)
    return {code: ZonageInconnu(TYPES[code], nom_commune, jour, en_vigueur.get(code), terminees.get(code))
            for code in manquants}


# --- "Can I settle here?": what is around the commune ----------------------------------------------------------------

RAYON_STRUCTURES_KM = 15
RAYON_OFFRES_KM = 30
RAYON_CARTE_KM = 15
NOMBRE_VOISINES_CARTE = 40
NOMBRE_STRUCTURES = 8


@dataclass(frozen=True)
class Proche:
    """Something near the commune (a structure, a CPTS, an offer) and how far its commune is."""

    objet: object
    distance_km: float
    commune_nom: str

    @property
    def ici(self) -> bool:
        return self.distance_km == 0


def _distances(commune: Commune, rayon_km: float) -> dict[str, float]:
    return {v.code_insee: v.distance_km for v in autour_de(commune.code_insee, rayon_km) or ()} or {
        commune.code_insee: 0.0}


def structures_proches(commune: Commune, jour: datetime.date) -> list[Proche]:
    """The MSP and centres de santé (not closed) of the commune or within RAYON_STRUCTURES_KM, nearest first."""
    distances = _distances(commune, RAYON_STRUCTURES_KM)
    structures = (Structure.objects.avec_statut(jour).filter(commune_id__in=distances,
                                                             type__in=[Type.MSP, Type.CENTRE_SANTE])
                  .exclude(statut_actuel=Statut.FERMEE).select_related("commune").defer("commune__contour"))
    proches = [Proche(s, distances[s.commune_id], s.commune.nom) for s in structures]
    return sorted(proches, key=lambda p: (p.distance_km, p.objet.nom))[:NOMBRE_STRUCTURES]


def cpts_proches(commune: Commune, jour: datetime.date) -> list[Proche]:
    """The CPTS whose territory holds the commune (0 km) or a commune within RAYON_STRUCTURES_KM, nearest first."""
    distances = _distances(commune, RAYON_STRUCTURES_KM)
    plus_proches: dict[int, Proche] = {}
    for territoire in (TerritoireCpts.objects.filter(en_vigueur_cpts(jour), commune_id__in=distances)
                       .select_related("cpts", "commune").only("cpts__nom", "cpts__stade", "commune__nom",
                                                               "commune_id", "cpts_id")):
        proche = Proche(territoire.cpts, distances[territoire.commune_id], territoire.commune.nom)
        if territoire.cpts_id not in plus_proches or proche.distance_km < plus_proches[territoire.cpts_id].distance_km:
            plus_proches[territoire.cpts_id] = proche
    return sorted(plus_proches.values(), key=lambda p: (p.distance_km, p.objet.nom))


def offres_proches(commune: Commune, jour: datetime.date, profession: str = "") -> list[Proche]:
    """The job offers in force in the commune or within RAYON_OFFRES_KM (of the profession, if given)."""
    distances = _distances(commune, RAYON_OFFRES_KM)
    offres = Offre.objects.visibles(jour).filter(commune_id__in=distances).select_related("commune", "structure")
    if profession:
        offres = offres.filter(profession=profession)
    return sorted((Proche(o, distances[o.commune_id], o.commune.nom) for o in offres),
                  key=lambda p: (p.distance_km, -p.objet.publiee_le.toordinal()))


def carte_du_voisinage(commune: Commune, type_zonage: str, jour: datetime.date) -> dict | None:
    """For the commune page's map: the outlines of the commune and its nearest neighbours (simplified), their levels
    in `type_zonage` on `jour`, and the legend. None when the commune has no outline."""
    def contours():
        distances = _distances(commune, RAYON_CARTE_KM)
        codes = sorted(distances, key=distances.get)[:NOMBRE_VOISINES_CARTE]
        lignes = list(Commune.objects.filter(code_insee__in=codes).exclude(contour=None)
                      .values_list("code_insee", "nom", "contour"))
        if commune.code_insee not in {code for code, _, _ in lignes}:
            return None
        geometries = simplifier([contour for _, _, contour in lignes], TOLERANCE_DEPARTEMENT, DECIMALES)
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": geometrie,
             "properties": {"code": code, "nom": nom, "distance_km": distances[code]}}
            for (code, nom, _), geometrie in zip(lignes, geometries)]}
    collection = en_cache(f"portail:voisinage:{commune.code_insee}", ("territoires",), contours)
    if collection is None:
        return None
    version = versions_en_vigueur(jour, [type_zonage]).get(type_zonage)
    niveaux = classement(type_zonage, jour, version)["niveaux"] if version else {}
    codes = {f["properties"]["code"] for f in collection["features"]}
    return {"contours": collection, "classement": {"niveaux": {c: n for c, n in niveaux.items() if c in codes}},
            "legende": {n.code: {"libelle": n.libelle, "couleur": n.couleur} for n in TYPES[type_zonage].niveaux},
            "commune": reverse("commune", args=["CODE"]), "surbrillance": commune.code_insee}
