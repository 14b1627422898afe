"""Reading zonage files into raw rows (line number, INSEE code, level label), in the official formats as they are.

- `cartosante`: CartoSanté export (UTF-8 BOM, title lines, then `Code;Libellé;Zonage <profession>`, `;`-separated);
- `csv`: a header row with a code column and a level column, `,` or `;` separated (montagne, ZRR, médecins files);
- `geojson`: QPV polygons as published by ANCT (properties `code_qp`, and `lib_qp` (2024) or `nom_qp`), see
  `lire_qpv`.
"""
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from noyau.fichiers import FichierInvalide, Probleme, lire_json, lire_octets, suffixe
from territoires.normalisation import normaliser_nom

from ..niveaux import NON_DISPONIBLE, TYPES, niveau_depuis_libelle

FORMATS = ["csv", "cartosante", "geojson"]
COLONNES_CODE = ["code_insee", "code_commune", "codgeo", "code", "insee", "com", "depcom"]
MOTS_NIVEAU = ["zonage", "niveau", "statut", "zone_montagne", "classement", "zone"]


@dataclass(frozen=True)
class LigneBrute:
    ligne: int
    code: str
    niveau: str


@dataclass(frozen=True)
class Lecture:
    """A classification file as read: its rows, and the header of the columns they were read from."""

    lignes: list[LigneBrute]
    colonne_code: str
    colonne_niveau: str


def detecter_format(chemin: Path) -> str:
    if suffixe(chemin) in {".geojson", ".json"}:
        return "geojson"
    debut = lire_octets(chemin)[:400].decode("utf-8-sig", errors="replace")
    return "cartosante" if debut.lower().lstrip().startswith("cartosant") else "csv"


def _texte(chemin: Path) -> str:
    try:
        octets = lire_octets(chemin)
        return octets.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Official exports are sometimes saved by spreadsheet software in Windows-1252.
        try:
            return octets.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise FichierInvalide([Probleme(chemin.name, None, f"encodage illisible ({exc.reason})")]) from None
    except FileNotFoundError:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier introuvable")]) from None


def _choisir(entetes: list[str], demandee: str | None, candidates: list[str], quoi: str, fichier: str,
             ligne: int, exclue: str | None = None) -> str:
    if demandee:
        if demandee not in entetes:
            raise FichierInvalide([Probleme(fichier, ligne, f"colonne {quoi} « {demandee} » absente "
                                                            f"(colonnes : {', '.join(entetes)})")])
        return demandee
    minuscules = {e.lower().strip(): e for e in entetes if e != exclue}
    for candidate in candidates:
        if candidate in minuscules:
            return minuscules[candidate]
    for candidate in candidates:  # a header that contains the word, e.g. "Zonage infirmiers"
        for cle, entete in minuscules.items():
            if candidate in cle:
                return entete
    raise FichierInvalide([Probleme(fichier, ligne, f"colonne {quoi} introuvable (colonnes : {', '.join(entetes)}) ; "
                                                    f"précisez-la")])


def lire_lignes(chemin: Path, format_: str, colonne_code: str | None = None,
                colonne_niveau: str | None = None) -> list[LigneBrute]:
    return lire_classement(chemin, format_, colonne_code, colonne_niveau).lignes


def lire_classement(chemin: Path, format_: str, colonne_code: str | None = None,
                    colonne_niveau: str | None = None) -> Lecture:
    texte = _texte(chemin)
    lignes = texte.splitlines()
    premiere = 0
    if format_ == "cartosante":
        premiere = next((i for i, l in enumerate(lignes) if l.lower().startswith("code;")), None)
        if premiere is None:
            raise FichierInvalide([Probleme(chemin.name, None, "export CartoSanté sans ligne d'en-tête « Code;Libellé;… »")])
        separateur = ";"
    else:
        if not lignes:
            raise FichierInvalide([Probleme(chemin.name, None, "fichier vide")])
        separateur = max([",", ";", "\t"], key=lignes[0].count)
    lecteur = csv.reader(io.StringIO("\n".join(lignes[premiere:])), delimiter=separateur)
    try:
        entetes = [e.strip() for e in next(lecteur)]
    except StopIteration:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier vide")]) from None
    if format_ == "cartosante" and len(entetes) >= 3 and not colonne_niveau:
        colonne_niveau = entetes[2]
    ligne_entete = premiere + 1
    code = _choisir(entetes, colonne_code, COLONNES_CODE, "de code INSEE", chemin.name, ligne_entete)
    niveau = _choisir(entetes, colonne_niveau, MOTS_NIVEAU, "de niveau", chemin.name, ligne_entete, exclue=code)
    i_code, i_niveau = entetes.index(code), entetes.index(niveau)
    resultat, problemes = [], []
    for numero, valeurs in enumerate(lecteur, start=ligne_entete + 1):
        if not any(v.strip() for v in valeurs):
            continue
        if len(valeurs) <= max(i_code, i_niveau):
            problemes.append(Probleme(chemin.name, numero, f"{len(valeurs)} colonne(s) au lieu de {len(entetes)}"))
            continue
        resultat.append(LigneBrute(numero, valeurs[i_code].strip(), valeurs[i_niveau].strip()))
    if problemes:
        raise FichierInvalide(problemes)
    return Lecture(resultat, code, niveau)


# Words of a level column's header that name the kind it classifies (lower case, accents and separators removed).
MOTS_DU_TYPE = {
    "medecin": ("medecin",), "infirmier": ("infirmier",), "masseur-kinesitherapeute": ("kine", "masseur"),
    "sage-femme": ("sage femme", "sages femmes"), "chirurgien-dentiste": ("dentiste",),
    "orthophoniste": ("orthophon",), "montagne": ("montagne",), "zrr": ("zrr",), "frr": ("frr",),
}


@dataclass(frozen=True)
class TypeDetecte:
    code: str
    raison: str  # why, in French: "en-tête « Zonage infirmiers »", "tous les niveaux du fichier reconnus"


def detecter_type(lecture: Lecture, retenir=lambda code: True) -> TypeDetecte | None:
    """The zonage kind a file seems to classify: the one its level column's header names, if that kind reads every
    level of the file; otherwise the only kind that reads them all. None when no kind, or several, fit.
    `retenir(code)`: the rows to consider (a national file's other regions have levels this region's kind lacks)."""
    valeurs = {ligne.niveau for ligne in lecture.lignes
               if ligne.niveau and not NON_DISPONIBLE.match(ligne.niveau) and retenir(ligne.code)}
    if not valeurs:
        return None
    lisibles = [code for code, type_zonage in TYPES.items()
                if all(niveau_depuis_libelle(type_zonage, v) is not None for v in valeurs)]
    entete = " ".join(normaliser_nom(lecture.colonne_niveau.replace("_", " ").replace("-", " ")).split())
    nommes = [code for code in lisibles if any(mot in entete for mot in MOTS_DU_TYPE[code])]
    if len(nommes) == 1:
        return TypeDetecte(nommes[0], f"en-tête « {lecture.colonne_niveau} », et tous ses niveaux sont ceux de ce type")
    if len(lisibles) == 1:
        return TypeDetecte(lisibles[0], "tous ses niveaux sont ceux de ce type, et d'aucun autre")
    return None


@dataclass(frozen=True)
class QpvBrut:
    ligne: int  # position of the feature in the collection
    code: str
    nom: str
    geometrie: dict
    communes: list[str]  # INSEE codes given by the file, if any


CLES_COMMUNES_QPV = ["insee_com", "code_insee", "codes_insee", "insee", "code_commune", "depcom"]


def lire_qpv(chemin: Path) -> list[QpvBrut]:
    """ANCT QPV GeoJSON: a FeatureCollection whose features carry `code_qp` and the name, `lib_qp` (the 2024
    contours) or `nom_qp` (older files)."""
    donnees = lire_json(chemin)
    if not isinstance(donnees, dict) or donnees.get("type") != "FeatureCollection":
        raise FichierInvalide([Probleme(chemin.name, None, "une FeatureCollection GeoJSON est attendue")])
    resultat = []
    for position, entite in enumerate(donnees.get("features") or [], start=1):
        proprietes = (entite or {}).get("properties") or {}
        cle_communes = next((k for k in CLES_COMMUNES_QPV if proprietes.get(k)), None)
        communes = proprietes.get(cle_communes) if cle_communes else []
        if isinstance(communes, str):
            communes = [c.strip() for c in communes.replace("|", ",").split(",") if c.strip()]
        nom = str(proprietes.get("lib_qp") or proprietes.get("nom_qp") or "").strip()
        resultat.append(QpvBrut(position, str(proprietes.get("code_qp") or "").strip(), nom,
                                (entite or {}).get("geometry"), [str(c) for c in communes]))
    return resultat
