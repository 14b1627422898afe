"""Reading the FINESS register's MSP and centres de santé into rows of the structures import (the columns of the
package's docstring), so that they are validated and written as any structures file.

Two formats are read, told apart by their content:

- `finess-etalab`, the official extraction "FINESS Extraction du Fichier des établissements" (DREES, data.gouv.fr,
  `etalab-cs1100507-stock-<date>.csv`), as a newer register will arrive: `;`-separated without a header; a first line
  `finess;etalab;<version>;<date of extraction>`, then one `structureet` row per establishment (32 fields, in the
  order of COLONNES_STRUCTUREET) and one `geolocalisation` row per establishment (FINESS number, X, Y, source of the
  coordinates, date), joined by the FINESS number. Coordinates are Lambert 93 (EPSG:2154) for metropolitan France.
  Older files are in Latin-1 (Windows-1252), newer ones in UTF-8.
- `finess`, the CSV derived from the extraction of 8 January 2021 that the project ships
  (donnees/finess_2021-01-08_structures_occitanie.csv, columns in donnees/PROVENANCE.md §9): WGS 84 coordinates, and
  the INSEE code derived from the point (`derive_insee_par_point`, used first) or from the postal code and name.
  The national copy (donnees/france/) has those derived codes for Occitanie only: elsewhere the commune is the one
  its postal code and name designate among the stored communes (`commune_de_l_adresse`); a row whose address
  designates none, or several, is not imported and said so.

Categories: 603 (maison de santé) → msp, 124 (centre de santé) → centre-sante. The CPTS (604) are not structures:
they are counted and reported (the CPTS sample holds them); other categories and other regions are counted.
The register files every centre de santé under 124: its category is read from its name only when the name says it
unambiguously (« CENTRE DE SANTE DENTAIRE… »), else "non-precise"; the report says how many of each.
The register's date is that of the extraction: the etalab file gives it on its first line; the derived file needs it
from the caller (the manifest's `registre`, or the command's --date-registre).
"""
import csv
import datetime
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from noyau.fichiers import FichierInvalide, Message, Probleme
from territoires.codes import departement_du_code
from territoires.normalisation import normaliser_nom

from ..models import SousType, Type
from .lambert93 import vers_wgs84

REGISTRE = "FINESS"
FORMAT_ETALAB = "finess-etalab"
FORMAT_DERIVE = "finess"
CATEGORIES = {"603": Type.MSP, "124": Type.CENTRE_SANTE}
CATEGORIE_CPTS = "604"
COLONNES_STRUCTUREET = [
    "section", "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib", "numvoie", "typvoie", "voie",
    "compvoie", "lieuditbp", "commune", "departement", "libdepartement", "ligneacheminement", "telephone", "telecopie",
    "categetab", "libcategetab", "categagretab", "libcategagretab", "siret", "codeape", "codemft", "libmft", "codesph",
    "libsph", "dateouv", "dateautor", "datemaj", "numuai",
]
COLONNES_GEOLOCALISATION = ["section", "nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj"]
COLONNES_DERIVE = {"nofinesset", "rs", "categetab", "adresse_lignes", "code_postal", "commune_libelle", "telephone",
                   "dateouv", "latitude_wgs84", "longitude_wgs84", "derive_insee_par_point", "derive_insee_par_cp_nom"}
LAMBERT_93 = re.compile(r"LAMBERT[_ -]?93|EPSG:2154", re.IGNORECASE)
ENTETE_ETALAB = re.compile(r"^finess;etalab;[^;]*;(?P<date>[^;]*)", re.IGNORECASE)
# A centre de santé's category when its name states it (names as the register writes them, accents removed).
CATEGORIES_DANS_LE_NOM = {
    SousType.DENTAIRE: re.compile(r"\bdent(aire|aires)?\b"),
    SousType.INFIRMIER: re.compile(r"\binf(irm\w*)?\b|\bcsi\b"),
    SousType.MEDICAL: re.compile(r"\bmedica(l|le|les|ux)\b"),
    SousType.POLYVALENT: re.compile(r"\bpolyvalente?s?\b"),
}
HORS_REGION = "établissements d'autres régions"
AUTRES_CATEGORIES = "établissements d'autres catégories FINESS que 603 (MSP), 124 (centres de santé) et 604 (CPTS)"
CPTS = "CPTS (catégorie FINESS 604) : pas des structures d'exercice coordonné, voir l'échantillon des CPTS"
SANS_COMMUNE = "commune non déterminée (ni code INSEE dans le fichier, ni commune désignée par le code postal et le nom)"


@dataclass
class FichierFiness:
    """What a FINESS file gives the structures import: rows in its columns, and what it skipped or noticed."""

    format: str
    lues: int = 0  # establishments read (every category and region)
    lignes: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    date_registre: datetime.date | None = None  # from the file itself (etalab), else None
    avertissements: list[Message] = field(default_factory=list)
    ignorees: Counter = field(default_factory=Counter)


def format_finess(texte: str) -> str | None:
    """FORMAT_ETALAB, FORMAT_DERIVE, or None for another file (an ARS structures file)."""
    premiere = next((ligne for ligne in texte.splitlines() if ligne.strip()), "")
    if ENTETE_ETALAB.match(premiere) or premiere.lower().startswith("structureet;"):
        return FORMAT_ETALAB
    separateur = "," if premiere.count(",") > premiere.count(";") else ";"
    colonnes = {c.strip().lower() for c in premiere.split(separateur)}
    return FORMAT_DERIVE if {"nofinesset", "categetab"} <= colonnes else None


def decoder(octets: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, in which older extractions were written."""
    try:
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError:
        return octets.decode("cp1252", errors="replace")


def lire(chemin: Path, texte: str, departements_region: set[str],
         commune_de_l_adresse: Callable[[str, str, str], str | None] | None = None) -> FichierFiness:
    """The file's MSP and centres de santé of the region, as rows of the structures import; FichierInvalide when
    the file's structure is wrong (missing columns, short rows, bad coordinates). `commune_de_l_adresse(postal code,
    commune name, département)`: the INSEE code they designate, or None, for derived rows without one."""
    format_ = format_finess(texte)
    lu = _lire_etalab(chemin, texte, departements_region) if format_ == FORMAT_ETALAB else \
        _lire_derive(chemin, texte, departements_region, commune_de_l_adresse or (lambda *_: None))
    _resumer_categories(lu)
    return lu


def _categorie_du_nom(nom: str) -> str:
    cle = normaliser_nom(nom)
    trouvees = [categorie for categorie, motif in CATEGORIES_DANS_LE_NOM.items() if motif.search(cle)]
    return trouvees[0] if len(trouvees) == 1 else SousType.NON_PRECISE


def _ligne(numero: int, identifiant: str, nom: str, categorie: str, commune: str, adresse: str,
           point: tuple[float, float] | None, telephone: str, ouverture: str, lu: FichierFiness):
    """Appends the structure's row, or a warning when the register gives no opening date (no status to date)."""
    if not ouverture:
        lu.avertissements.append(Message(numero, f"{identifiant} « {nom} » : date d'ouverture absente du registre : "
                                                 "non importée (son statut ne peut pas être daté)"))
        lu.ignorees["sans date d'ouverture"] += 1
        return
    type_ = CATEGORIES[categorie]
    lu.lignes.append((numero, {
        "identifiant": identifiant, "nom": nom, "type": type_.value,
        "sous_type": _categorie_du_nom(nom) if type_ == Type.CENTRE_SANTE else "",
        "commune": commune, "adresse": adresse,
        "longitude": f"{point[0]:.7f}" if point else "", "latitude": f"{point[1]:.7f}" if point else "",
        "telephone": telephone, "date_ouverture": ouverture,
    }))


def _trier(numero: int, categorie: str, departement: str, identifiant: str, nom: str, departements_region: set[str],
           lu: FichierFiness) -> bool:
    """Whether the row is a structure of the region; counts (and, for a CPTS, reports) the others."""
    lu.lues += 1
    if categorie != CATEGORIE_CPTS and categorie not in CATEGORIES:
        lu.ignorees[AUTRES_CATEGORIES] += 1
        return False
    if departement not in departements_region:
        lu.ignorees[HORS_REGION] += 1
        return False
    if categorie == CATEGORIE_CPTS:
        lu.ignorees[CPTS] += 1
        lu.avertissements.append(Message(numero, f"{identifiant} « {nom} » : CPTS (catégorie 604), non importée comme "
                                                 "structure ; les CPTS sont dans l'échantillon des CPTS"))
        return False
    return True


def _departement_finess(code: str) -> str:
    """FINESS writes overseas départements 9A…9F (971…976)."""
    code = code.strip().upper()
    return {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}.get(code, code)


def _code_insee(departement: str, commune: str) -> str:
    """The INSEE code from FINESS's département and 3-digit commune code (overseas: 97 and the commune code)."""
    commune = commune.strip()
    return f"97{commune}" if departement.startswith("97") else f"{departement}{commune}"


def _adresse(*morceaux: str) -> str:
    return ", ".join(m for m in (" ".join(morceau.split()) for morceau in morceaux) if m)


def _lire_etalab(chemin: Path, texte: str, departements_region: set[str]) -> FichierFiness:
    lu = FichierFiness(FORMAT_ETALAB)
    problemes: list[Probleme] = []
    structures: list[tuple[int, list[str]]] = []
    points: dict[str, tuple[int, list[str]]] = {}
    for numero, valeurs in enumerate(csv.reader(io.StringIO(texte), delimiter=";"), start=1):
        if not any(v.strip() for v in valeurs):
            continue
        section = valeurs[0].strip().lower()
        if numero == 1 and section == "finess":
            lu.date_registre = _date_entete(valeurs, chemin, problemes)
        elif section == "structureet":
            if len(valeurs) < len(COLONNES_STRUCTUREET):
                problemes.append(Probleme(chemin.name, numero, f"ligne structureet de {len(valeurs)} champ(s) au lieu "
                                                               f"de {len(COLONNES_STRUCTUREET)}"))
            else:
                structures.append((numero, valeurs))
        elif section == "geolocalisation":
            if len(valeurs) < len(COLONNES_GEOLOCALISATION) - 1:  # the date may be missing
                problemes.append(Probleme(chemin.name, numero, f"ligne geolocalisation de {len(valeurs)} champ(s) au "
                                                               f"lieu de {len(COLONNES_GEOLOCALISATION)}"))
            else:
                points[valeurs[1].strip()] = (numero, valeurs)
        else:
            problemes.append(Probleme(chemin.name, numero, f"section inconnue « {valeurs[0][:40]} » (structureet ou "
                                                           "geolocalisation attendue)"))
    if not structures and not problemes:
        problemes.append(Probleme(chemin.name, None, "aucune ligne structureet dans le fichier"))
    for numero, valeurs in structures:
        s = dict(zip(COLONNES_STRUCTUREET, (v.strip() for v in valeurs)))
        departement = _departement_finess(s["departement"])
        if not _trier(numero, s["categetab"], departement, s["nofinesset"], s["rs"], departements_region, lu):
            continue
        point = _point_lambert93(s["nofinesset"], points.get(s["nofinesset"]), chemin, problemes, lu)
        voie = " ".join(v for v in (s["numvoie"] + s["compvoie"], s["typvoie"], s["voie"]) if v)
        _ligne(numero, s["nofinesset"], s["rs"], s["categetab"], _code_insee(departement, s["commune"]),
               _adresse(s["complrs"], voie, s["lieuditbp"], s["compldistrib"], s["ligneacheminement"]), point,
               s["telephone"], s["dateouv"], lu)
    if problemes:
        raise FichierInvalide(problemes)
    return lu


def _date_entete(valeurs: list[str], chemin: Path, problemes: list[Probleme]) -> datetime.date | None:
    texte = valeurs[3].strip() if len(valeurs) > 3 else ""
    try:
        return datetime.date.fromisoformat(texte)
    except ValueError:
        problemes.append(Probleme(chemin.name, 1, f"date d'extraction illisible sur la ligne d'en-tête « {texte} » "
                                                  "(finess;etalab;…;AAAA-MM-JJ attendu)"))
        return None


def _point_lambert93(identifiant: str, geolocalisation, chemin: Path, problemes: list[Probleme],
                     lu: FichierFiness) -> tuple[float, float] | None:
    """WGS 84 (longitude, latitude) of the establishment's geolocalisation row, if it has one in Lambert 93."""
    if geolocalisation is None:
        return None
    numero, valeurs = geolocalisation
    g = dict(zip(COLONNES_GEOLOCALISATION, (v.strip() for v in valeurs)))
    if not g["coordxet"] and not g["coordyet"]:
        return None
    if not LAMBERT_93.search(g["sourcecoordet"]):
        lu.avertissements.append(Message(numero, f"{identifiant} : coordonnées dans un autre système que Lambert 93 "
                                                 f"(« {g['sourcecoordet'][:80]} ») : emplacement non importé"))
        return None
    try:
        return vers_wgs84(float(g["coordxet"]), float(g["coordyet"]))
    except ValueError:
        problemes.append(Probleme(chemin.name, numero, f"{identifiant} : coordonnées illisibles « {g['coordxet']} ; "
                                                       f"{g['coordyet']} »"))
        return None


def _lire_derive(chemin: Path, texte: str, departements_region: set[str],
                 commune_de_l_adresse: Callable[[str, str, str], str | None]) -> FichierFiness:
    lu = FichierFiness(FORMAT_DERIVE)
    par_l_adresse = 0
    lecteur = csv.DictReader(io.StringIO(texte, newline=""))
    if manquantes := sorted(COLONNES_DERIVE - set(lecteur.fieldnames or [])):
        raise FichierInvalide([Probleme(chemin.name, 1, f"colonne(s) absente(s) du fichier FINESS : "
                                                        f"{', '.join(manquantes)}")])
    for ligne in lecteur:
        numero = lecteur.line_num
        s = {cle: (valeur or "").strip() for cle, valeur in ligne.items() if cle}
        par_point, par_adresse = s["derive_insee_par_point"], s["derive_insee_par_cp_nom"]
        commune = par_point or par_adresse
        departement = departement_du_code(commune) if commune else \
            _departement_finess(s.get("departement_depuis_finess") or s["nofinesset"][:2])
        if not _trier(numero, s["categetab"], departement, s["nofinesset"], s["rs"], departements_region, lu):
            continue
        if par_point and par_adresse and par_point != par_adresse:
            lu.avertissements.append(Message(numero, f"{s['nofinesset']} « {s['rs']} » : commune {par_point} d'après "
                                                     f"son point, {par_adresse} d'après son adresse : {par_point} "
                                                     "retenue (le point)"))
        if not commune:
            commune = commune_de_l_adresse(s["code_postal"], s["commune_libelle"], departement)
            if commune is None:
                lu.ignorees[SANS_COMMUNE] += 1
                lu.avertissements.append(Message(numero, f"{s['nofinesset']} « {s['rs']} » : pas de code INSEE dans "
                                                         f"le fichier, et « {s['code_postal']} {s['commune_libelle']} » "
                                                         "ne désigne pas une seule commune : non importé"))
                continue
            par_l_adresse += 1
        point = None
        if s["longitude_wgs84"] and s["latitude_wgs84"]:
            point = (float(s["longitude_wgs84"]), float(s["latitude_wgs84"]))
        _ligne(numero, s["nofinesset"], s["rs"], s["categetab"], commune,
               _adresse(*s["adresse_lignes"].split("|"), f"{s['code_postal']} {s['commune_libelle']}"), point,
               s["telephone"], s["dateouv"], lu)
    if par_l_adresse:
        lu.avertissements.insert(0, Message(None, f"commune de {par_l_adresse} établissement(s) sans code INSEE dans le "
                                                  "fichier : celle que désignent leur code postal et leur nom"))
    return lu


def _resumer_categories(lu: FichierFiness):
    """One warning saying how the centres de santé's categories were obtained (the register does not give them)."""
    centres = Counter(c["sous_type"] for _, c in lu.lignes if c["type"] == Type.CENTRE_SANTE)
    if not centres:
        return
    lues = {SousType(code).label: n for code, n in centres.most_common() if code != SousType.NON_PRECISE}
    texte = (f"catégorie des {sum(centres.values())} centres de santé : le registre ne la donne pas (une seule "
             f"catégorie FINESS, 124) ; lue dans le nom pour {sum(lues.values())} ("
             + ", ".join(f"{libelle} {n}" for libelle, n in lues.items())
             + f"), « non précisée » pour {centres[SousType.NON_PRECISE]} dont le nom ne la dit pas")
    lu.avertissements.insert(0, Message(None, texte))
