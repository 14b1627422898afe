"""Import of QPV polygons from the ANCT GeoJSON (properties `code_qp`, `lib_qp` or `nom_qp`). Same rules as zonage
imports: validated whole first, line (feature) numbered errors, nothing written on error, recorded.

A self-intersecting polygon (the shipped 2024 contours were rounded to 4 decimals, which made 43 of Occitanie's 108
invalid) is repaired with `make_valid`, keeping its polygonal parts; each repair is a warning of the report, with its
change of area. A geometry that cannot be repaired into a polygon is an error.

Communes are taken from the file when it names them (e.g. `insee_com`); otherwise from the intersection of the
polygon with the stored commune outlines. A QPV of another region is skipped and counted.
"""
import datetime
from pathlib import Path

from django.db import transaction
from shapely import STRtree, make_valid
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.validation import explain_validity

from noyau import cache_generations
from noyau.fichiers import FichierInvalide
from territoires.models import Commune, CommuneRattachee

from ..models import QPV
from .lecture import lire_qpv
from .validation import RapportZonage, Territoire

UN_JOUR = datetime.timedelta(days=1)
HORS_REGIONS = "QPV hors des régions servies"


def valider_qpv(chemin: Path, territoire: Territoire) -> tuple[RapportZonage, list[dict]]:
    try:
        bruts = lire_qpv(chemin)
    except FichierInvalide as exc:
        return RapportZonage.du_fichier_invalide(exc), []
    rapport = RapportZonage(lignes_lues=len(bruts))
    contours = None
    retenus, vus = [], {}
    for brut in bruts:
        if not brut.code:
            rapport.erreur(brut.ligne, "propriété « code_qp » absente")
            continue
        if brut.code in vus:
            rapport.erreur(brut.ligne, f"{brut.code} : doublon de l'entité {vus[brut.code]}")
            continue
        vus[brut.code] = brut.ligne
        if not brut.nom:
            rapport.erreur(brut.ligne, f"{brut.code} : propriété « lib_qp » (ou « nom_qp ») absente")
            continue
        communes = None
        if brut.communes:
            # The file's communes first: a QPV of another region is skipped before its polygon is checked (a national
            # file's polygon that cannot be repaired, in a region not served, must not refuse the served ones).
            communes = [c for c in brut.communes if territoire.departement_de(c) in territoire.departements_region]
            if not communes:
                rapport.ignores[HORS_REGIONS] += 1
                continue
            communes = _communes_actuelles(brut.code, brut.ligne, communes, territoire, rapport)
            inconnues = [c for c in communes if c not in territoire.communes_region]
            if inconnues:
                rapport.erreur(brut.ligne, f"{brut.code} : commune(s) inconnue(s) {', '.join(inconnues)}")
                continue
        geometrie = brut.geometrie or {}
        if geometrie.get("type") not in {"Polygon", "MultiPolygon"}:
            rapport.erreur(brut.ligne, f"{brut.code} : géométrie {geometrie.get('type')!r}, "
                                       "Polygon ou MultiPolygon attendu")
            continue
        try:
            forme = shape(geometrie)
        except (ValueError, TypeError, IndexError, AttributeError) as exc:
            rapport.erreur(brut.ligne, f"{brut.code} : géométrie illisible ({exc})")
            continue
        if forme.is_empty:
            rapport.erreur(brut.ligne, f"{brut.code} : géométrie vide")
            continue
        if not forme.is_valid:
            forme, message = _reparer(brut.code, forme)
            if forme is None:
                rapport.erreur(brut.ligne, message)
                continue
            rapport.avertir(brut.ligne, message)
            geometrie = mapping(forme)
        if communes is None:
            contours = contours if contours is not None else _contours_region(territoire)
            if contours is None:
                rapport.erreur(brut.ligne, f"{brut.code} : le fichier ne nomme pas les communes et "
                                           "les contours des communes ne sont pas chargés")
                continue
            arbre, codes = contours
            communes = sorted(codes[int(i)] for i in arbre.query(forme, predicate="intersects"))
            if not communes:
                rapport.ignores[HORS_REGIONS] += 1
                continue
        retenus.append({"code": brut.code, "nom": brut.nom, "geometrie": geometrie, "communes": communes})
    for qpv in retenus:
        rapport.retenus[qpv["code"]] = ",".join(qpv["communes"])
    return rapport, retenus


def _communes_actuelles(code_qp: str, ligne: int, communes: list[str], territoire: Territoire,
                        rapport: RapportZonage) -> list[str]:
    """The file's communes with a former code (merged, déléguée) carried to the current commune, which contains the
    quartier as the former one did; a warning says so (the 2024 file names 93059, part of 93066 since 2025)."""
    actuelles = []
    for commune in communes:
        if commune not in territoire.communes_region and commune in territoire.rattachees:
            actuelle, type_ = territoire.rattachees[commune]
            rapport.avertir(ligne, f"{code_qp} : {commune} n'est plus une commune ({CommuneRattachee.Type(type_).label})"
                                   f" : quartier rattaché à la commune actuelle {actuelle}")
            commune = actuelle
        if commune not in actuelles:
            actuelles.append(commune)
    return actuelles


def _reparer(code: str, forme):
    """(repaired polygon or multipolygon, warning) or (None, error)."""
    raison = explain_validity(forme)
    reparee = make_valid(forme, method="structure", keep_collapsed=False)
    if not _polygonale(reparee):
        # The "structure" method empties some rings whose rounding made them touch themselves (QN05602M of the 2024
        # national file); "linework" rebuilds them from their edges, keeping the polygonal parts only.
        reparee = _parties_polygonales(make_valid(forme, method="linework"))
    if not _polygonale(reparee):
        return None, f"{code} : géométrie invalide ({raison}), non réparable en polygone"
    if not forme.area:  # a ring crossing itself: its signed parts cancel out
        surface = "surface du contour d'origine non mesurable"
    else:
        variation = abs(reparee.area - forme.area) / forme.area * 100
        surface = (f"surface modifiée de {variation:.3f} %".replace(".", ",") if round(variation, 3)
                   else "surface inchangée")
    return reparee, f"{code} : géométrie invalide ({raison}) réparée (make_valid) ; {surface}"


def _polygonale(forme) -> bool:
    return forme is not None and not forme.is_empty and forme.geom_type in {"Polygon", "MultiPolygon"} and forme.is_valid


def _parties_polygonales(forme):
    """The polygons of a repaired geometry (a GeometryCollection may add the lines of collapsed parts)."""
    if forme.geom_type in {"Polygon", "MultiPolygon"}:
        return forme
    polygones = [p for g in getattr(forme, "geoms", []) for p in getattr(g, "geoms", [g]) if p.geom_type == "Polygon"]
    return MultiPolygon(polygones) if polygones else None


def _contours_region(territoire: Territoire):
    lignes = list(Commune.objects.filter(code_insee__in=list(territoire.communes_region), contour__isnull=False)
                  .values_list("code_insee", "contour"))
    if not lignes:
        return None
    return STRtree([shape(contour) for _, contour in lignes]), [code for code, _ in lignes]


@transaction.atomic
def ecrire_qpv(retenus: list[dict], valid_from: datetime.date, valid_to: datetime.date | None, enregistrement):
    """Upserts the file's QPV; QPV still open and absent from the file end the day before (a new list replaces
    the previous one)."""
    codes = [q["code"] for q in retenus]
    QPV.objects.filter(valid_to__isnull=True, valid_from__lt=valid_from).exclude(code__in=codes).update(
        valid_to=valid_from - UN_JOUR)
    for q in retenus:
        objet, _ = QPV.objects.update_or_create(code=q["code"], defaults={
            "nom": q["nom"], "geometrie": q["geometrie"], "valid_from": valid_from, "valid_to": valid_to,
            "import_source": enregistrement,
        })
        objet.communes.set(q["communes"])
    cache_generations.invalider("qpv")  # .update() above sends no signal
