"""The public zonage map, without HTTP: simplified outlines, classifications, the table and its CSV.

Geometry and classification are kept apart. Outlines (per département and for the region) are static, simplified
GeoJSON files with only `code`, `nom` and `departement` per commune; the classification of a kind on a date is a small
JSON `{type, date, version, niveaux: {code_insee: level}}`, so a new zonage never resends geometry.

Both are cached under the data generations of noyau/cache_generations.py (territories, zonages, QPV), which signals
and bulk writers replace: a changed zonage is visible at once on the map, in every process.
"""
import datetime
import gzip
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import shapely
from django.db.models import Case, CharField, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from shapely.geometry import mapping, shape

from noyau import csv_sur
from noyau.cache_generations import en_cache
from territoires.models import Commune, Departement
from territoires.regions_servies import cle_des_regions_servies, filtre_region, nom_du_perimetre

from .consultation import en_vigueur, qpv_de_la_commune, zonages_de
from .models import QPV, Classement, Zonage
from .niveaux import TYPES

# Simplification (degrees). The whole region shows at zoom 7-8, where a pixel is about 0.005°: 0.003° (≈ 250-330 m)
# stays under a pixel. A département shows at zoom 9-10 (≈ 0.001-0.002° a pixel).
TOLERANCE_REGION = 0.003
TOLERANCE_DEPARTEMENT = 0.001
TOLERANCE_QPV = 0.0001  # neighbourhoods: a few hundred metres across
DECIMALES = 4  # ≈ 10 m
DECIMALES_QPV = 5

DUREE_CACHE = 7 * 24 * 3600  # seconds; a change of data changes the keys anyway
TYPE_PAR_DEFAUT = "medecin"
TAILLE_PAGE = 50
FORMAT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ParametreInvalide(ValueError):
    """A user-supplied value that the map cannot use; `message` is French and says what is expected."""

    def __init__(self, parametre: str, message: str):
        super().__init__(message)
        self.parametre = parametre
        self.message = message


@dataclass(frozen=True)
class Fichier:
    """A ready-to-serve payload: its bytes, the same gzipped, and a content hash (for ETag and cache busting)."""

    contenu: bytes
    compresse: bytes
    empreinte: str
    nombre: int  # features

    @classmethod
    def depuis(cls, objet: dict, nombre: int = 0) -> "Fichier":
        contenu = json.dumps(objet, ensure_ascii=False, separators=(",", ":")).encode()
        return cls(contenu, gzip.compress(contenu, compresslevel=9, mtime=0),
                   hashlib.sha256(contenu).hexdigest()[:32], nombre)


# --- Overlays -------------------------------------------------------------------------------------------------------
# The map's overlays are declared here only: the form's checkboxes, their states under each box, and the map's
# script (which receives calques_pour_la_carte() in the page) all read these definitions.

@dataclass(frozen=True)
class Hachure:
    """One hatched level of an overlay: `motif` is the id of the page's SVG pattern (templates/zonages/carte.html),
    which the map's canvas copies; `legende` names it, "{nom}" standing for the short name of the kind shown."""
    niveau: str
    motif: str
    legende: str


@dataclass(frozen=True)
class CalqueZonage:
    """Hatches the communes at the levels of `hachures` in a zonage kind. `types`: the kinds it can show, with their
    short names; on a date, the first one with a version in force wins (FRR replaced ZRR on 1 July 2024).
    `etat`: its state when drawn ("{type}": the label of the kind shown); `etat_absent`: when no kind is in force."""
    source: ClassVar[str] = "classement"
    cle: str
    libelle: str
    types: tuple[tuple[str, str], ...]
    hachures: tuple[Hachure, ...]
    etat: str
    etat_absent: str

    def etat_le(self, versions: Mapping[str, Zonage], nombre_qpv: int) -> str:
        montre = next((code for code, _ in self.types if code in versions), None)
        return self.etat.replace("{type}", TYPES[montre].libelle) if montre else self.etat_absent

    def en_dict(self) -> dict:
        return {"cle": self.cle, "libelle": self.libelle, "source": self.source,
                "types": [code for code, _ in self.types], "etat_absent": self.etat_absent,
                "montres": {code: {"etat": self.etat.replace("{type}", TYPES[code].libelle), "hachures": [
                    {"niveau": h.niveau, "motif": h.motif, "legende": h.legende.replace("{nom}", nom)}
                    for h in self.hachures]} for code, nom in self.types}}


@dataclass(frozen=True)
class CalqueQpv:
    """Draws the QPV polygons in force on the date, named `legende`. `etat` / `etat_un`: its state when some / one
    are ("{nombre}": how many); `etat_absent` and the legend's `legende_absent` ("{date}"): when none is."""
    source: ClassVar[str] = "qpv"
    cle: str
    libelle: str
    legende: str
    etat: str
    etat_un: str
    etat_absent: str
    legende_absent: str

    def etat_le(self, versions: Mapping[str, Zonage], nombre_qpv: int) -> str:
        if not nombre_qpv:
            return self.etat_absent
        return (self.etat_un if nombre_qpv == 1 else self.etat).replace("{nombre}", str(nombre_qpv))

    def en_dict(self) -> dict:
        return {"cle": self.cle, "libelle": self.libelle, "source": self.source, "legende": self.legende,
                "etat": self.etat, "etat_un": self.etat_un, "etat_absent": self.etat_absent,
                "legende_absent": self.legende_absent}


CALQUES: dict[str, CalqueZonage | CalqueQpv] = {c.cle: c for c in [
    CalqueZonage("montagne", "Zone de montagne", types=(("montagne", "zone de montagne"),),
                 hachures=(Hachure("C", "motif-montagne", "Classée en {nom}"),),
                 etat="communes classées hachurées", etat_absent="aucune liste en vigueur à cette date"),
    CalqueZonage("zrr", "ZRR / FRR", types=(("frr", "FRR"), ("zrr", "ZRR")),
                 hachures=(Hachure("C", "motif-zrr", "Classée en {nom}"),
                           Hachure("PC", "motif-zrr-partiel", "Partiellement classée en {nom}")),
                 etat="{type} : communes classées hachurées", etat_absent="ni ZRR ni FRR en vigueur à cette date"),
    CalqueQpv("qpv", "Quartiers prioritaires (QPV)", legende="Quartier prioritaire (QPV)",
              etat="{nombre} quartiers en vigueur", etat_un="{nombre} quartier en vigueur",
              etat_absent="aucun QPV en vigueur à cette date dans les données chargées",
              legende_absent="Aucun quartier prioritaire (QPV) n'est en vigueur au {date} dans les données chargées."),
]}


def calques_pour_la_carte() -> list[dict]:
    """Every overlay, in the form's order, as the map's script reads it."""
    return [calque.en_dict() for calque in CALQUES.values()]


# --- Parameters ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Choix:
    type: str
    jour: datetime.date
    departement: str | None = None
    calques: tuple[str, ...] = ()

    @property
    def type_zonage(self):
        return TYPES[self.type]

    def parametres(self, **autres) -> dict:
        """The choice as query parameters (for links), empty values left out."""
        valeurs = {"type": self.type, "date": self.jour.isoformat(), "departement": self.departement or "",
                   "calques": ",".join(self.calques), **autres}
        return {cle: valeur for cle, valeur in valeurs.items() if valeur}


def lire_type(valeur: str | None) -> str:
    valeur = (valeur or "").strip()
    if not valeur:
        return TYPE_PAR_DEFAUT
    if valeur not in TYPES:
        raise ParametreInvalide("type", f"Le type de zonage « {valeur[:50]} » est inconnu. Types possibles : "
                                        f"{', '.join(TYPES)}.")
    return valeur


def lire_date(valeur: str | None, aujourdhui: datetime.date | None = None) -> datetime.date:
    valeur = (valeur or "").strip()
    if not valeur:
        return aujourdhui or timezone.localdate()
    try:
        if not FORMAT_DATE.match(valeur):
            raise ValueError
        return datetime.date.fromisoformat(valeur)
    except ValueError:
        raise ParametreInvalide("date", f"La date « {valeur[:50]} » n'est pas valide : format attendu AAAA-MM-JJ, "
                                        "par exemple 2025-01-31.") from None


def lire_departement(valeur: str | None) -> str | None:
    valeur = (valeur or "").strip().upper()
    if not valeur:
        return None
    if valeur not in departements_de_la_region():
        raise ParametreInvalide("departement", f"« {valeur[:50]} » n'est pas un département de la région "
                                               f"{nom_de_la_region()} : choisissez-en un dans la liste.")
    return valeur


def lire_calques(valeur: str | None) -> tuple[str, ...]:
    demandes = [c.strip() for c in (valeur or "").split(",") if c.strip()]
    inconnus = [c for c in demandes if c not in CALQUES]
    if inconnus:
        raise ParametreInvalide("calques", f"Calque inconnu : « {inconnus[0][:50]} ». Calques possibles : "
                                           f"{', '.join(CALQUES)}.")
    return tuple(c for c in CALQUES if c in demandes)


def lire_choix(parametres: Mapping[str, str], aujourdhui: datetime.date | None = None) -> Choix:
    """type (default medecin), date (default today), departement, calques; raises ParametreInvalide."""
    return Choix(type=lire_type(parametres.get("type")), jour=lire_date(parametres.get("date"), aujourdhui),
                 departement=lire_departement(parametres.get("departement")),
                 calques=lire_calques(parametres.get("calques")))


# --- Territories ----------------------------------------------------------------------------------------------------

def _region() -> str:
    """The served regions as a cache key part ("76", "76-84", "toutes")."""
    return cle_des_regions_servies()


def departements_de_la_region() -> dict[str, str]:
    """{code: nom} of the served regions' départements, in code order."""
    return en_cache(f"carte:departements:{_region()}", ("territoires",), lambda: dict(
        Departement.objects.servis().order_by("code").values_list("code", "nom")), DUREE_CACHE)


def nom_de_la_region() -> str:
    return nom_du_perimetre()


def communes_de_la_region() -> QuerySet:
    return Commune.objects.servies()


# --- Geometry -------------------------------------------------------------------------------------------------------

def simplifier(geometries: list[dict], tolerance: float, decimales: int) -> list[dict]:
    """Douglas-Peucker keeping the topology of each outline, coordinates rounded, repeated points dropped."""
    if not geometries:
        return []
    formes = np.array([shape(g) for g in geometries], dtype=object)
    simples = shapely.simplify(formes, tolerance, preserve_topology=True)
    arrondies = shapely.transform(simples, lambda coords: np.round(coords, decimales))
    resultat = []
    for forme in arrondies:
        try:
            forme = shapely.remove_repeated_points(forme)
        except shapely.errors.GEOSException:  # a ring that rounding shrank below 4 points: keep its repeats
            pass
        resultat.append(mapping(forme))
    return resultat


def _collection(lignes: Iterable[tuple], tolerance: float, decimales: int = DECIMALES) -> Fichier:
    """`lignes`: (properties, geometry) pairs → a FeatureCollection ready to serve."""
    lignes = list(lignes)
    geometries = simplifier([geometrie for _, geometrie in lignes], tolerance, decimales)
    objet = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": proprietes, "geometry": geometrie}
        for (proprietes, _), geometrie in zip(lignes, geometries)
    ]}
    return Fichier.depuis(objet, len(lignes))


def _contours_communes(tolerance: float, departement: str | None = None) -> Fichier:
    communes = communes_de_la_region().exclude(contour=None)
    if departement:
        communes = communes.filter(departement_id=departement)
    lignes = communes.order_by("code_insee").values_list("code_insee", "nom", "departement_id", "contour")
    return _collection((({"code": code, "nom": nom, "departement": dep}, contour)
                        for code, nom, dep, contour in lignes.iterator(chunk_size=500)), tolerance)


def contours_region() -> Fichier:
    return en_cache(f"carte:contours:region:{_region()}", ("territoires",),
                    lambda: _contours_communes(TOLERANCE_REGION), DUREE_CACHE)


def contours_departement(code: str) -> Fichier:
    """Raises ParametreInvalide for a code that is not a département of the region."""
    code = lire_departement(code)
    if code is None:
        raise ParametreInvalide("departement", "Précisez un département.")
    return en_cache(f"carte:contours:departement:{code}", ("territoires",),
                    lambda: _contours_communes(TOLERANCE_DEPARTEMENT, code), DUREE_CACHE)


def limites_departements() -> Fichier:
    """The départements' outlines, drawn over the communes to find one's way when no tile can be loaded."""
    def construire():
        lignes = (Departement.objects.servis().exclude(contour=None).order_by("code")
                  .values_list("code", "nom", "contour"))
        return _collection((({"code": code, "nom": nom}, contour) for code, nom, contour in lignes), TOLERANCE_REGION)
    return en_cache(f"carte:contours:limites:{_region()}", ("territoires",), construire, DUREE_CACHE)


def jeton_contours() -> str:
    """Changes whenever any outline file changes (every commune is in the region file): the page adds it to the
    outline URLs, which browsers may then keep for long."""
    empreintes = contours_region().empreinte + limites_departements().empreinte
    return hashlib.sha256(empreintes.encode()).hexdigest()[:12]


def _qpv_du_jour(jour: datetime.date) -> QuerySet:
    return QPV.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=jour), valid_from__lte=jour)


def nombre_qpv(jour: datetime.date) -> int:
    return _qpv_du_jour(jour).count()


def qpv_en_vigueur(jour: datetime.date) -> Fichier:
    """The QPV polygons in force on `jour` (possibly none), properties code and nom."""
    qpv = _qpv_du_jour(jour)
    codes = list(qpv.order_by("code").values_list("code", flat=True))
    cle = hashlib.sha256(",".join(codes).encode()).hexdigest()[:32]

    def construire():
        lignes = qpv.order_by("code").values_list("code", "nom", "geometrie")
        return _collection((({"code": code, "nom": nom}, geometrie) for code, nom, geometrie in lignes),
                           TOLERANCE_QPV, DECIMALES_QPV)
    return en_cache(f"carte:qpv:{cle}", ("qpv", "territoires"), construire, DUREE_CACHE)


# --- Classification -------------------------------------------------------------------------------------------------

def versions_en_vigueur(jour: datetime.date, types: Iterable[str] | None = None) -> dict[str, Zonage]:
    """The published version in force on `jour` of each kind that has one, in one query."""
    zonages = Zonage.objects.filter(en_vigueur(jour))
    if types is not None:
        zonages = zonages.filter(type__in=list(types))
    versions: dict[str, Zonage] = {}
    for zonage in zonages.order_by("type", "-valid_from"):
        versions.setdefault(zonage.type, zonage)
    return versions


def etats_calques(jour: datetime.date, versions: dict[str, Zonage], qpv: int) -> dict[str, str]:
    """What each overlay shows on `jour`, or that there is nothing to show (the map's script words a later change
    from the same definitions)."""
    return {cle: calque.etat_le(versions, qpv) for cle, calque in CALQUES.items()}


def version_en_dict(zonage: Zonage | None) -> dict | None:
    if zonage is None:
        return None
    return {"id": zonage.pk, "reference": zonage.reference, "valid_from": zonage.valid_from.isoformat(),
            "valid_to": zonage.valid_to.isoformat() if zonage.valid_to else None, "note_source": zonage.note_source}


def classement(type_zonage: str, jour: datetime.date, version: Zonage | None | bool = False) -> dict:
    """{type, date, version, niveaux: {code_insee: level code}} of one kind on one date, for the communes of the
    served regions (a national version holds all of France's: a portal serving one region reads, caches and sends
    only that region's). `version`, when the caller already knows it (None: no version in force), saves a query.
    Cached per version and served regions."""
    if version is False:
        version = versions_en_vigueur(jour, [type_zonage]).get(type_zonage)
    entete = {"type": type_zonage, "date": jour.isoformat()}
    if version is None:
        return {**entete, "version": None, "niveaux": {}}
    cle = (f"carte:classement:{_region()}:{version.pk}:{version.publie_le and version.publie_le.isoformat()}:"
           f"{version.valid_to}")
    contenu = en_cache(cle, ("territoires", "zonages"), lambda: {
        "version": version_en_dict(version),
        "niveaux": dict(Classement.objects.filter(zonage_id=version.pk, **filtre_region("commune__departement__region_id"))
                        .order_by("commune_id").values_list("commune_id", "niveau")),
    }, DUREE_CACHE)
    return {**entete, **contenu}


def fichier_classement(type_zonage: str, jour: datetime.date) -> Fichier:
    """The classification ready to serve (raw, gzipped, content hash), cached per kind and date under the zonages'
    and territories' generations, and kept in the process: a request that hits it makes no query."""
    def construire():
        return Fichier.depuis(classement(type_zonage, jour, versions_en_vigueur(jour, [type_zonage]).get(type_zonage)))
    return en_cache(f"carte:fichier-classement:{_region()}:{type_zonage}:{jour.isoformat()}",
                                      ("zonages", "territoires"), construire, DUREE_CACHE, memo=True)


def niveaux_de_la_commune(code_insee: str, jour: datetime.date) -> dict | None:
    """Every kind's level for one commune of the region on `jour`, and its QPV (the map's popup). None: unknown."""
    commune = (communes_de_la_region().select_related("departement").filter(code_insee=code_insee.upper())
               .only("code_insee", "nom", "departement__code", "departement__nom").first())
    if commune is None:
        return None
    zonages = zonages_de(commune.code_insee, jour)
    return {
        "code": commune.code_insee, "nom": commune.nom, "date": jour.isoformat(),
        "departement": {"code": commune.departement.code, "nom": commune.departement.nom},
        "niveaux": [{
            "type": z.type, "type_libelle": z.type_libelle, "niveau": z.niveau, "libelle": z.libelle,
            "couleur": couleur_niveau(z.type, z.niveau), "reference": z.zonage.reference if z.zonage else None,
        } for z in zonages.values()],
        "qpv": [{"code": q.code, "nom": q.nom} for q in qpv_de_la_commune(commune.code_insee, jour)],
    }


def legende(type_zonage: str) -> list[dict]:
    return [{"code": n.code, "libelle": n.libelle, "couleur": n.couleur} for n in TYPES[type_zonage].niveaux]


def types_pour_la_carte() -> dict[str, dict]:
    """Every kind with its label, family and levels (the map's selector and legend)."""
    return {t.code: {"libelle": t.libelle, "famille": t.famille, "niveaux": legende(t.code)} for t in TYPES.values()}


# --- Table and CSV --------------------------------------------------------------------------------------------------

TRIS = {
    "commune": "Commune",
    "departement": "Département",
    "population": "Population",
    "niveau": "Niveau",
}
TRI_PAR_DEFAUT = "commune"
SANS_NIVEAU = "Non classée dans cette version"


def lire_tri(valeur: str | None) -> str:
    valeur = (valeur or "").strip()
    if not valeur:
        return TRI_PAR_DEFAUT
    if valeur.removeprefix("-") not in TRIS:
        raise ParametreInvalide("tri", f"Tri « {valeur[:50]} » inconnu. Tris possibles : "
                                       f"{', '.join(TRIS)}, précédés de « - » pour l'ordre décroissant.")
    return valeur


def _ordre(tri: str) -> list:
    decroissant = tri.startswith("-")
    cle = tri.removeprefix("-")

    def sens(expression):
        return expression.desc(nulls_last=True) if decroissant else expression.asc(nulls_last=True)
    colonnes = {
        "commune": [sens(F("nom_normalise")), sens(F("code_insee"))],
        "departement": [sens(F("departement_id")), F("nom_normalise").asc(), F("code_insee").asc()],
        "population": [sens(F("population")), F("nom_normalise").asc(), F("code_insee").asc()],
        "niveau": [sens(F("rang_niveau")), F("nom_normalise").asc(), F("code_insee").asc()],
    }
    return colonnes[cle]


def communes_classees(choix: Choix, version: Zonage | None, tri: str = TRI_PAR_DEFAUT) -> QuerySet:
    """The region's communes (or a département's) with `niveau` (level code or None) and `rang_niveau` (the level's
    rank in the kind's vocabulary, most in need first), sorted by `tri` (a key of TRIS, "-" for descending)."""
    communes = (communes_de_la_region().select_related("departement")
                .only("code_insee", "nom", "nom_normalise", "population", "departement__code", "departement__nom"))
    if choix.departement:
        communes = communes.filter(departement_id=choix.departement)
    if version is None:
        communes = communes.annotate(niveau=Value(None, output_field=CharField()),
                                     rang_niveau=Value(None, output_field=IntegerField()))
    else:
        niveaux = choix.type_zonage.niveaux
        communes = communes.annotate(niveau=Subquery(
            Classement.objects.filter(zonage_id=version.pk, commune_id=OuterRef("pk")).values("niveau")[:1]))
        communes = communes.annotate(rang_niveau=Case(
            *[When(niveau=n.code, then=Value(rang)) for rang, n in enumerate(niveaux)],
            default=Value(None), output_field=IntegerField()))
    return communes.order_by(*_ordre(tri))


def libelle_niveau(type_zonage: str, code: str | None, version: Zonage | None) -> str:
    if version is None:
        return "Aucune version en vigueur"
    if not code:
        return SANS_NIVEAU
    niveau = TYPES[type_zonage].niveau(code)
    return niveau.libelle if niveau else code


def couleur_niveau(type_zonage: str, code: str | None) -> str | None:
    niveau = TYPES[type_zonage].niveau(code) if code else None
    return niveau.couleur if niveau else None


def teinte_niveau(type_zonage: str, code: str | None) -> str:
    """Name of the level's colour, for the pages' CSS classes (pastille-niveau--<teinte>)."""
    niveau = TYPES[type_zonage].niveau(code) if code else None
    return niveau.teinte if niveau else "gris"


ENTETES_CSV = ["code_insee", "commune", "code_departement", "departement", "population", "code_niveau", "niveau"]


def tableau_csv(choix: Choix, version: Zonage | None, tri: str = TRI_PAR_DEFAUT) -> bytes:
    """UTF-8 with a BOM and `;` separators, as French spreadsheets expect; no cell reads as a formula."""
    sortie = io.StringIO()
    sortie.write("\ufeff")
    ecrivain = csv_sur.ecrivain(sortie, delimiter=";", lineterminator="\r\n")
    ecrivain.writerow(ENTETES_CSV)
    for commune in communes_classees(choix, version, tri).iterator(chunk_size=1000):
        ecrivain.writerow([commune.code_insee, commune.nom, commune.departement.code, commune.departement.nom,
                           "" if commune.population is None else commune.population, commune.niveau or "",
                           libelle_niveau(choix.type, commune.niveau, version)])
    return sortie.getvalue().encode("utf-8")


def nom_fichier_csv(choix: Choix) -> str:
    return f"zonage_{choix.type}_{choix.jour.isoformat()}{'_' + choix.departement if choix.departement else ''}.csv"

