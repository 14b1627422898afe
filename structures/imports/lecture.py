"""Reading a structures file into rows of cells: an ARS structures CSV, with its header checked (columns: see the
package's docstring), or a FINESS register file, converted to the same columns (finess.py)."""
import csv
import datetime
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from noyau.fichiers import FichierInvalide, Message, Probleme, lire_octets

from ..models import Statut
from . import finess

COLONNES_STATUT = {
    "date_projet": Statut.PROJET,
    "date_labellisation": Statut.LABELLISEE,
    "date_ouverture": Statut.OUVERTE,
    "date_fermeture": Statut.FERMEE,
}
OBLIGATOIRES = ["identifiant", "nom", "type", "commune"]
COLONNES = OBLIGATOIRES + [
    "sous_type", "universitaire", "autres_communes", "adresse", "longitude", "latitude", "forme_juridique", "aci",
    "date_aci", *COLONNES_STATUT, "professionnels", "email", "telephone", "site_web", "themes",
]
FORMAT_PORTAIL = "portail"


@dataclass
class FichierLu:
    """A file's rows in the import's columns, with its format and what reading it skipped or noticed."""

    lignes: list[tuple[int, dict[str, str]]]
    lues: int  # rows read (a register's file: every establishment, kept or not)
    format: str = FORMAT_PORTAIL  # or finess.FORMAT_ETALAB, finess.FORMAT_DERIVE
    date_registre: datetime.date | None = None  # given by the file itself
    avertissements: list[Message] = field(default_factory=list)
    ignorees: Counter = field(default_factory=Counter)


def lire_fichier(chemin: Path, departements_region: set[str], commune_de_l_adresse=None) -> FichierLu:
    """The rows of an ARS structures CSV or of a FINESS file (its MSP and centres de santé of the region;
    `commune_de_l_adresse`: see finess.lire)."""
    octets = _octets(chemin)
    try:
        texte = octets.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        texte = finess.decoder(octets)  # older FINESS extractions are in Windows-1252
        if not finess.format_finess(texte):
            raise FichierInvalide([Probleme(chemin.name, None, f"le fichier n'est pas en UTF-8 (octet illisible en "
                                                               f"position {exc.start}) : enregistrez-le en UTF-8")]) from None
    if finess.format_finess(texte):
        lu = finess.lire(chemin, texte, departements_region, commune_de_l_adresse)
        if not lu.lignes:
            raise FichierInvalide([Probleme(chemin.name, None, f"aucune MSP ni aucun centre de santé de la région dans "
                                                               f"le fichier FINESS ({lu.lues} établissement(s) lu(s))")])
        return FichierLu(lu.lignes, lu.lues, lu.format, lu.date_registre, lu.avertissements, lu.ignorees)
    lignes = _lignes_csv(chemin, texte)
    return FichierLu(lignes, len(lignes))


def _octets(chemin: Path) -> bytes:
    try:
        return lire_octets(chemin)
    except FileNotFoundError:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier introuvable")]) from None


def _lignes_csv(chemin: Path, texte: str) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped cell}) for each non-empty row; raises FichierInvalide on a bad header or rows
    of the wrong width. A quoted cell may span lines: a row is numbered by its first line."""
    premiere = texte.split("\n", 1)[0]
    if not premiere.strip():
        raise FichierInvalide([Probleme(chemin.name, 1 if texte.strip() else None,
                                        "fichier vide" if not texte.strip() else "ligne d'en-tête vide")])
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur)
    try:
        entetes = [e.strip().lower() for e in next(lecteur)]
    except csv.Error as exc:
        raise FichierInvalide([Probleme(chemin.name, 1, f"en-tête illisible : {exc}")]) from None
    problemes = _problemes_entetes(entetes, chemin.name)
    if problemes:
        raise FichierInvalide(problemes)
    lignes = []
    fin_precedente = lecteur.line_num
    try:
        for valeurs in lecteur:
            numero, fin_precedente = fin_precedente + 1, lecteur.line_num
            if not any(v.strip() for v in valeurs):
                continue
            if len(valeurs) != len(entetes):
                problemes.append(Probleme(chemin.name, numero, f"{len(valeurs)} cellule(s) au lieu de {len(entetes)} "
                                                               f"(séparateur « {separateur} »)"))
                continue
            lignes.append((numero, {e: v.strip() for e, v in zip(entetes, valeurs)}))
    except csv.Error as exc:
        problemes.append(Probleme(chemin.name, fin_precedente + 1, f"ligne illisible : {exc}"))
    if problemes:
        raise FichierInvalide(problemes)
    if not lignes:
        raise FichierInvalide([Probleme(chemin.name, None, "aucune structure dans le fichier (en-tête seul)")])
    return lignes


def _problemes_entetes(entetes: list[str], fichier: str) -> list[Probleme]:
    """Unknown, repeated or missing columns, all reported on line 1."""
    problemes = []
    inconnues = [e for e in entetes if e not in COLONNES]
    if inconnues:
        problemes.append(Probleme(fichier, 1, f"colonne(s) inconnue(s) : {', '.join(inconnues) or '(sans nom)'} "
                                              f"(colonnes possibles : {', '.join(COLONNES)})"))
    doublons = sorted({e for e in entetes if e and entetes.count(e) > 1})
    if doublons:
        problemes.append(Probleme(fichier, 1, f"colonne(s) en double : {', '.join(doublons)}"))
    manquantes = [c for c in OBLIGATOIRES if c not in entetes]
    if manquantes:
        problemes.append(Probleme(fichier, 1, f"colonne(s) obligatoire(s) absente(s) : {', '.join(manquantes)}"))
    if not any(c in entetes for c in COLONNES_STATUT):
        problemes.append(Probleme(fichier, 1, "aucune colonne de date de statut (au moins une parmi "
                                              f"{', '.join(COLONNES_STATUT)})"))
    return problemes
