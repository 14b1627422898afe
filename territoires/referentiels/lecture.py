"""Reading and validating territory files into plain records. Nothing here touches the database.

Every problem is collected with its file and record position; if any is found, `FichierInvalide` is raised
with all of them, so a bad file is rejected whole.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from shapely.geometry import shape
from shapely.validation import explain_validity

from noyau.fichiers import FichierInvalide, Probleme, lire_json, lire_octets, suffixe

CODE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
CODE_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|9[78]\d)$")  # 97x: DROM, 98x: collectivités d'outre-mer
CODE_POSTAL = re.compile(r"^\d{5}$")
CODE_REGION = re.compile(r"^\d{2,3}$")
SIREN = re.compile(r"^\d{9}$")


@dataclass
class RegionLue:
    code: str
    nom: str


@dataclass
class DepartementLu:
    code: str
    nom: str
    region: str
    chef_lieu: str


@dataclass
class EpciLu:
    code: str
    nom: str
    type: str
    mode_financement: str
    population: int | None
    membres: list[str]


@dataclass
class CommuneLue:
    code_insee: str
    nom: str
    departement: str
    population: int | None
    codes_postaux: list[str]
    anciens_codes: list[str] = field(default_factory=list)
    epci: str | None = None  # set by the cross-check with the EPCI file
    position: int | None = None  # record number in the file, for error messages


@dataclass
class RattacheeLue:
    code: str
    nom: str
    type: str  # deleguee, associee, ancienne
    parent: str


@dataclass
class Territoires:
    regions: dict[str, RegionLue]
    departements: dict[str, DepartementLu]
    epci: dict[str, EpciLu]
    communes: dict[str, CommuneLue]
    rattachees: dict[str, RattacheeLue]
    contours_communes: dict[str, dict] | None
    contours_departements: dict[str, dict] | None
    contours_regions: dict[str, dict] | None
    ignores: dict[str, int]  # what the files hold that the portal does not keep, by reason
    avertissements: list[Probleme] = field(default_factory=list)  # what the files lack (a commune's outline…)


class Collecteur:
    """Accumulates problems for one file."""

    def __init__(self, fichier: Path):
        self.nom = fichier.name
        self.problemes: list[Probleme] = []

    def signaler(self, ligne: int | None, message: str):
        self.problemes.append(Probleme(self.nom, ligne, message))


def _liste_json(chemin: Path, collecteur: Collecteur) -> list:
    donnees = lire_json(chemin)
    if not isinstance(donnees, list):
        collecteur.signaler(None, "le fichier doit contenir une liste JSON d'objets")
        return []
    return donnees


def _texte(enregistrement: dict, cle: str) -> str:
    valeur = enregistrement.get(cle)
    return str(valeur).strip() if valeur is not None else ""


def _entier(valeur, collecteur: Collecteur, position: int, libelle: str) -> int | None:
    if valeur in (None, ""):
        return None
    try:
        nombre = int(valeur)
    except (TypeError, ValueError):
        collecteur.signaler(position, f"{libelle} non numérique : {valeur!r}")
        return None
    if nombre < 0:
        collecteur.signaler(position, f"{libelle} négative : {nombre}")
        return None
    return nombre


def lire_regions(chemin: Path) -> tuple[dict[str, RegionLue], list[Probleme]]:
    collecteur = Collecteur(chemin)
    regions: dict[str, RegionLue] = {}
    for position, enr in enumerate(_liste_json(chemin, collecteur), start=1):
        if not isinstance(enr, dict):
            collecteur.signaler(position, "élément qui n'est pas un objet JSON")
            continue
        code, nom = _texte(enr, "code"), _texte(enr, "nom")
        if not CODE_REGION.match(code):
            collecteur.signaler(position, f"code de région invalide : {code!r}")
        elif not nom:
            collecteur.signaler(position, f"région {code} sans nom")
        elif code in regions:
            collecteur.signaler(position, f"région {code} en double")
        else:
            regions[code] = RegionLue(code, nom)
    return regions, collecteur.problemes


def lire_departements(chemin: Path) -> tuple[dict[str, DepartementLu], list[Probleme]]:
    """Reads `departements.json` (decoupage-administratif) or a CSV with code_departement, nom, code_region."""
    collecteur = Collecteur(chemin)
    lignes: list[tuple[int, dict]] = []
    if suffixe(chemin) == ".csv":
        with io.StringIO(lire_octets(chemin).decode("utf-8-sig"), newline="") as flux:
            lecteur = csv.DictReader(flux)
            manquantes = {"code_departement", "nom", "code_region"} - set(lecteur.fieldnames or [])
            if manquantes:
                collecteur.signaler(1, f"colonnes manquantes : {', '.join(sorted(manquantes))}")
                return {}, collecteur.problemes
            for ligne in lecteur:
                lignes.append((lecteur.line_num, {
                    "code": ligne["code_departement"], "nom": ligne["nom"], "region": ligne["code_region"],
                    "chefLieu": ligne.get("chef_lieu_insee", ""),
                }))
    else:
        lignes = list(enumerate(_liste_json(chemin, collecteur), start=1))
    departements: dict[str, DepartementLu] = {}
    for position, enr in lignes:
        if not isinstance(enr, dict):
            collecteur.signaler(position, "élément qui n'est pas un objet JSON")
            continue
        code, nom, region = _texte(enr, "code"), _texte(enr, "nom"), _texte(enr, "region")
        if not CODE_DEPARTEMENT.match(code):
            collecteur.signaler(position, f"code de département invalide : {code!r}")
        elif not nom:
            collecteur.signaler(position, f"département {code} sans nom")
        elif not CODE_REGION.match(region):
            collecteur.signaler(position, f"département {code} : code de région invalide {region!r}")
        elif code in departements:
            collecteur.signaler(position, f"département {code} en double")
        else:
            departements[code] = DepartementLu(code, nom, region, _texte(enr, "chefLieu"))
    return departements, collecteur.problemes


def lire_epci(chemin: Path) -> tuple[dict[str, EpciLu], list[Probleme]]:
    collecteur = Collecteur(chemin)
    epcis: dict[str, EpciLu] = {}
    for position, enr in enumerate(_liste_json(chemin, collecteur), start=1):
        if not isinstance(enr, dict):
            collecteur.signaler(position, "élément qui n'est pas un objet JSON")
            continue
        code, nom = _texte(enr, "code"), _texte(enr, "nom")
        if not SIREN.match(code):
            collecteur.signaler(position, f"SIREN d'EPCI invalide : {code!r}")
            continue
        if not nom:
            collecteur.signaler(position, f"EPCI {code} sans nom")
            continue
        if code in epcis:
            collecteur.signaler(position, f"EPCI {code} en double")
            continue
        membres = [_texte(m, "code") for m in enr.get("membres") or [] if isinstance(m, dict)]
        population = _entier(enr.get("populationMunicipale"), collecteur, position, "population")
        epcis[code] = EpciLu(code, nom, _texte(enr, "type"), _texte(enr, "modeFinancement"), population, membres)
    return epcis, collecteur.problemes


TYPES_RATTACHEES = {"commune-deleguee": "deleguee", "commune-associee": "associee",
                    "arrondissement-municipal": "arrondissement"}


def lire_communes(chemin: Path) -> tuple[dict[str, CommuneLue], dict[str, RattacheeLue], dict[str, int], list[Probleme]]:
    """Reads a decoupage-administratif `communes.json`: current communes, and déléguées/associées with their parent."""
    collecteur = Collecteur(chemin)
    communes: dict[str, CommuneLue] = {}
    rattachees: dict[str, RattacheeLue] = {}
    ignores: dict[str, int] = {}
    for position, enr in enumerate(_liste_json(chemin, collecteur), start=1):
        if not isinstance(enr, dict):
            collecteur.signaler(position, "élément qui n'est pas un objet JSON")
            continue
        code, nom, type_ = _texte(enr, "code"), _texte(enr, "nom"), _texte(enr, "type") or "commune-actuelle"
        if not CODE_COMMUNE.match(code):
            collecteur.signaler(position, f"code INSEE invalide : {code!r} (5 caractères attendus, ex. 09001 ou 2A004)")
            continue
        if not nom:
            collecteur.signaler(position, f"commune {code} sans nom")
            continue
        if type_ in TYPES_RATTACHEES:
            # An arrondissement (Paris, Lyon, Marseille) is kept as a code of its commune: national files classify
            # the arrondissements, not the commune.
            parent = _texte(enr, "commune" if type_ == "arrondissement-municipal" else "chefLieu")
            if not CODE_COMMUNE.match(parent):
                collecteur.signaler(position, f"commune {code} ({type_}) sans commune de rattachement valide")
            elif code != parent:  # a chef-lieu déléguée shares its parent's code: nothing to map
                rattachees[code] = RattacheeLue(code, nom, TYPES_RATTACHEES[type_], parent)
        elif type_ == "commune-actuelle":
            if code in communes:
                collecteur.signaler(position, f"commune {code} en double")
                continue
            codes_postaux = [str(cp) for cp in enr.get("codesPostaux") or []]
            for cp in codes_postaux:
                if not CODE_POSTAL.match(cp):
                    collecteur.signaler(position, f"commune {code} : code postal invalide {cp!r}")
            communes[code] = CommuneLue(
                code_insee=code,
                nom=nom,
                departement=_texte(enr, "departement"),
                population=_entier(enr.get("population"), collecteur, position, "population"),
                codes_postaux=[cp for cp in codes_postaux if CODE_POSTAL.match(cp)],
                anciens_codes=[str(c) for c in enr.get("anciensCodes") or []],
                position=position,
            )
        else:
            collecteur.signaler(position, f"commune {code} : type inconnu {type_!r}")
    return communes, rattachees, ignores, collecteur.problemes


def lire_contours(chemin: Path) -> tuple[dict[str, dict], list[Probleme]]:
    """Reads a GeoJSON FeatureCollection whose features carry a `code` property; null geometries are skipped."""
    collecteur = Collecteur(chemin)
    donnees = lire_json(chemin)
    if not isinstance(donnees, dict) or donnees.get("type") != "FeatureCollection":
        collecteur.signaler(None, "une FeatureCollection GeoJSON est attendue")
        return {}, collecteur.problemes
    contours: dict[str, dict] = {}
    for position, feature in enumerate(donnees.get("features") or [], start=1):
        proprietes = (feature or {}).get("properties") or {}
        code = str(proprietes.get("code", "")).strip()
        geometrie = (feature or {}).get("geometry")
        if not code:
            collecteur.signaler(position, "entité sans propriété « code »")
            continue
        if geometrie is None:
            continue
        if geometrie.get("type") not in {"Polygon", "MultiPolygon"}:
            collecteur.signaler(position, f"{code} : géométrie {geometrie.get('type')!r}, Polygon ou MultiPolygon attendu")
            continue
        try:
            forme = shape(geometrie)
        except (ValueError, TypeError, IndexError, AttributeError) as exc:
            collecteur.signaler(position, f"{code} : géométrie illisible ({exc})")
            continue
        if forme.is_empty or not forme.is_valid:
            collecteur.signaler(position, f"{code} : géométrie invalide ({explain_validity(forme)})")
            continue
        if code in contours:
            collecteur.signaler(position, f"{code} : contour en double")
            continue
        contours[code] = geometrie
    return contours, collecteur.problemes


def lire_territoires(source, regions_gardees: frozenset[str] | None = None) -> Territoires:
    """Reads and cross-checks every file of a `SourceTerritoires`, keeping the territories of `regions_gardees` (all
    when None): a national file loads the served regions only. Raises FichierInvalide listing all problems."""
    problemes: list[Probleme] = []
    communes, rattachees, ignores, p = lire_communes(source.communes)
    problemes += p
    if source.communes_rattachees:
        _, rattachees_bis, _, p = lire_communes(source.communes_rattachees)
        problemes += p
        rattachees = {**rattachees_bis, **rattachees}
    departements, p = lire_departements(source.departements)
    problemes += p
    epcis, p = lire_epci(source.epci) if source.epci else ({}, [])
    problemes += p
    contours_communes, p = lire_contours(source.contours_communes) if source.contours_communes else (None, [])
    problemes += p
    contours_departements, p = lire_contours(source.contours_departements) if source.contours_departements else (None, [])
    problemes += p
    contours_regions, p = lire_contours(source.contour_region) if source.contour_region else (None, [])
    problemes += p
    regions = _lire_regions_de(source, problemes)

    # Cross-file consistency.
    for dep in departements.values():
        if dep.region not in regions:
            problemes.append(Probleme(source.departements.name, None,
                                      f"département {dep.code} : région {dep.region} inconnue"))
    for commune in communes.values():
        if commune.departement not in departements:
            problemes.append(Probleme(source.communes.name, commune.position,
                                      f"commune {commune.code_insee} : département {commune.departement!r} inconnu"))
    if regions_gardees is not None:
        _garder_regions(regions_gardees, regions, departements, communes, contours_regions, contours_departements,
                        ignores)
    for code, rattachee in list(rattachees.items()):
        if code in communes:
            del rattachees[code]  # the code is (again) a current commune
        elif rattachee.parent not in communes:
            ignores["communes rattachées hors périmètre"] = ignores.get("communes rattachées hors périmètre", 0) + 1
            del rattachees[code]
    for commune in communes.values():
        for ancien in commune.anciens_codes:
            if ancien not in communes and ancien not in rattachees:
                rattachees[ancien] = RattacheeLue(ancien, "", "ancienne", commune.code_insee)
    epci_de_commune: dict[str, str] = {}
    for epci in epcis.values():
        for membre in epci.membres:
            if membre not in communes:
                ignores["membres d'EPCI hors périmètre"] = ignores.get("membres d'EPCI hors périmètre", 0) + 1
            elif membre in epci_de_commune:
                problemes.append(Probleme(source.epci.name, None,
                                          f"commune {membre} membre de deux EPCI ({epci_de_commune[membre]} et {epci.code})"))
            else:
                epci_de_commune[membre] = epci.code
    if regions_gardees is not None:
        hors = [code for code, epci in epcis.items() if not any(m in communes for m in epci.membres)]
        for code in hors:
            del epcis[code]
        if hors:
            ignores["EPCI hors des régions servies"] = len(hors)
    if contours_communes is not None:
        hors = [code for code in contours_communes if code not in communes]
        for code in hors:
            del contours_communes[code]
        if hors:
            ignores["contours de communes hors référentiel"] = len(hors)
    if problemes:
        raise FichierInvalide(problemes)
    for commune in communes.values():
        commune.epci = epci_de_commune.get(commune.code_insee)
    avertissements = []
    if contours_communes is not None:
        avertissements = [Probleme(source.contours_communes.name, None, f"{code} ({c.nom}) : pas de contour dans le "
                                                                        "fichier : la commune n'est pas dessinée sur les "
                                                                        "cartes")
                          for code, c in sorted(communes.items()) if code not in contours_communes]
    return Territoires(regions, departements, epcis, communes, rattachees, contours_communes,
                       contours_departements, contours_regions, {k: v for k, v in ignores.items() if v}, avertissements)


def _garder_regions(gardees, regions, departements, communes, contours_regions, contours_departements, ignores):
    """Drops, in place, the régions, départements and communes outside `gardees`, counting them in `ignores`; the
    EPCI members, former codes and outlines of the dropped communes then fall out as "hors périmètre". The lists are
    all computed before anything is dropped."""
    for nom, enregistrements, hors in (
            ("régions hors des régions servies", regions, [c for c in regions if c not in gardees]),
            ("départements hors des régions servies", departements,
             [c for c, d in departements.items() if d.region not in gardees]),
            ("communes hors des régions servies", communes,
             [c for c, commune in communes.items() if commune.departement in departements
              and departements[commune.departement].region not in gardees])):
        for code in hors:
            del enregistrements[code]
        if hors:
            ignores[nom] = len(hors)
    for contours, gardes in ((contours_regions, regions), (contours_departements, departements)):
        for code in [c for c in contours or {} if c not in gardes]:
            del contours[code]


def _lire_regions_de(source, problemes: list[Probleme]) -> dict[str, RegionLue]:
    """Régions come from regions.json, or, lacking it, from the properties of the region outline file."""
    if source.regions:
        regions, p = lire_regions(source.regions)
        problemes += p
        return regions
    if source.contour_region:
        donnees = lire_json(source.contour_region)
        regions = {}
        for feature in donnees.get("features") or []:
            props = feature.get("properties") or {}
            if CODE_REGION.match(str(props.get("code", ""))) and props.get("nom"):
                regions[str(props["code"])] = RegionLue(str(props["code"]), str(props["nom"]))
        return regions
    problemes.append(Probleme(str(source.dossier), None, "aucun fichier de régions (regions.json ou contour_region)"))
    return {}
