"""Validation of one row of a structures file, one group of columns at a time: every problem becomes a message of
the report on the row's line, and a row with any error gives no structure."""
import datetime
import re
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from noyau.professions import PROFESSIONS

from ..models import FormeJuridique, SousType, Statut, Type
from .lecture import COLONNES_STATUT

if TYPE_CHECKING:  # validation imports this module
    from .validation import RapportStructures, Referentiel

SEPARATEUR_VALEURS = "|"
CODE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
IDENTIFIANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
TELEPHONE = re.compile(r"^\+?[0-9 .()-]+$")
OUI = {"oui", "o", "1", "vrai", "true", "x"}
NON = {"non", "n", "0", "faux", "false", ""}
LONGUEURS = {"identifiant": 40, "nom": 300, "adresse": 500, "telephone": 30, "email": 254, "site_web": 500}
LONGUEUR_THEME = 200


def _date(texte: str) -> datetime.date:
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(texte, format_).date()
        except ValueError:
            continue
    raise ValueError(texte)


def _nombre(texte: str) -> float:
    return float(texte.replace(",", ".").replace(" ", ""))


def _valeurs(texte: str) -> list[str]:
    return [v.strip() for v in texte.split(SEPARATEUR_VALEURS) if v.strip()]


class Ligne:
    """One row's cells, read by column; its problems go to the report, on the row's line."""

    def __init__(self, numero: int, cellules: dict[str, str], referentiel: "Referentiel", rapport: "RapportStructures"):
        self.numero, self.c, self.ref, self.rapport = numero, cellules, referentiel, rapport
        self.ok = True

    def erreur(self, message: str):
        self.ok = False
        self.rapport.erreur(self.numero, message)

    def avertir(self, message: str):
        self.rapport.avertir(self.numero, message)

    def get(self, colonne: str) -> str:
        valeur = self.c.get(colonne, "")
        if colonne in LONGUEURS and len(valeur) > LONGUEURS[colonne]:
            self.erreur(f"{colonne} : {len(valeur)} caractères, {LONGUEURS[colonne]} au plus")
        return valeur

    def choix(self, colonne: str, choix, obligatoire: bool = False) -> str:
        valeur = self.get(colonne).lower()
        if not valeur:
            if obligatoire:
                self.erreur(f"{colonne} manquant (valeurs possibles : {', '.join(choix.values)})")
            return ""
        if valeur not in choix.values:
            self.erreur(f"{colonne} inconnu « {self.c[colonne]} » (valeurs possibles : {', '.join(choix.values)})")
            return ""
        return valeur

    def booleen(self, colonne: str) -> bool:
        valeur = self.get(colonne).lower()
        if valeur in OUI:
            return True
        if valeur not in NON:
            self.erreur(f"{colonne} : « {self.c[colonne]} » n'est ni oui ni non")
        return False

    def date(self, colonne: str) -> datetime.date | None:
        valeur = self.get(colonne)
        if not valeur:
            return None
        try:
            return _date(valeur)
        except ValueError:
            self.erreur(f"{colonne} : date invalide « {valeur} » (format attendu AAAA-MM-JJ ou JJ/MM/AAAA)")
            return None

    def commune(self, code: str, principale: bool) -> str | None:
        """The current commune of an INSEE code (a former commune's code is replaced, with a warning)."""
        original = code
        code = code.upper()
        if code.isdigit() and len(code) == 4:  # spreadsheets drop the leading zero of 01…09 codes
            code = code.zfill(5)
            self.avertir(f"code commune « {original} » lu comme {code} (zéro initial ajouté)")
        if not CODE_COMMUNE.match(code):
            self.erreur(f"code INSEE invalide : « {original} »")
            return None
        if code not in self.ref.communes and code in self.ref.rattachees:
            actuelle = self.ref.rattachees[code]
            self.avertir(f"{code} n'est plus une commune : remplacé par la commune actuelle {actuelle}")
            code = actuelle
        if code not in self.ref.communes:
            self.erreur(f"code INSEE inconnu : {code}")
            return None
        if principale and not self.ref.servie(code):
            self.erreur(f"la commune principale {code} n'est pas dans les régions servies par le portail")
            return None
        return code


def _identite(ligne: Ligne) -> dict:
    identifiant = ligne.get("identifiant")
    if not identifiant:
        ligne.erreur("identifiant manquant")
    elif not IDENTIFIANT.match(identifiant):
        ligne.erreur(f"identifiant invalide « {identifiant} » (lettres, chiffres, . _ / - ; sans espace)")
    nom = ligne.get("nom")
    if not nom:
        ligne.erreur("nom manquant")
    type_ = ligne.choix("type", Type, obligatoire=True)
    sous_type = ligne.choix("sous_type", SousType)
    if type_ == Type.CENTRE_SANTE and not sous_type and not ligne.get("sous_type"):
        ligne.erreur(f"sous_type obligatoire pour un centre de santé ({', '.join(SousType.values)})")
    if type_ and type_ != Type.CENTRE_SANTE and sous_type:
        ligne.erreur(f"sous_type « {sous_type} » réservé aux centres de santé (type : {type_})")
    universitaire = ligne.booleen("universitaire")
    if universitaire and type_ and type_ != Type.MSP:
        ligne.erreur(f"universitaire : seule une MSP peut l'être (type : {type_})")
    return {"identifiant": identifiant, "nom": nom, "type": type_, "sous_type": sous_type,
            "universitaire": universitaire}


def _communes(ligne: Ligne) -> dict:
    """The main commune (in the region), then the others, each once."""
    principale = None
    if not ligne.get("commune"):
        ligne.erreur("commune (code INSEE de la commune principale) manquante")
    else:
        principale = ligne.commune(ligne.get("commune"), principale=True)
    communes = [principale] if principale else []
    for code in _valeurs(ligne.get("autres_communes")):
        code = ligne.commune(code, principale=False)
        if code and code in communes:
            ligne.avertir(f"commune {code} indiquée deux fois")
        elif code:
            communes.append(code)
    return {"commune": principale, "communes": communes}


def _point(ligne: Ligne) -> dict:
    """Longitude and latitude, both or neither, within the region's communes' frame."""
    textes = {c: ligne.get(c) for c in ("longitude", "latitude")}
    aucun = {"longitude": None, "latitude": None}
    if not any(textes.values()):
        return aucun
    if not all(textes.values()):
        manquante = next(c for c, v in textes.items() if not v)
        ligne.erreur(f"{manquante} manquante : longitude et latitude vont ensemble")
        return aucun
    valeurs = {}
    for colonne, texte in textes.items():
        try:
            valeurs[colonne] = _nombre(texte)
        except ValueError:
            ligne.erreur(f"{colonne} : « {texte} » n'est pas un nombre (degrés décimaux, ex. 3.8767)")
    if len(valeurs) < 2:
        return aucun
    lon, lat = valeurs["longitude"], valeurs["latitude"]
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        ligne.erreur(f"coordonnées hors limites (longitude {lon}, latitude {lat}) : degrés décimaux WGS 84 attendus")
        return aucun
    cadre = ligne.ref.cadre
    if cadre and not (cadre[0] <= lon <= cadre[1] and cadre[2] <= lat <= cadre[3]):
        inverse = cadre[0] <= lat <= cadre[1] and cadre[2] <= lon <= cadre[3]
        ligne.erreur(f"point hors des régions servies (longitude {lon}, latitude {lat})"
                     + (" : longitude et latitude inversées ?" if inverse else ""))
        return aucun
    return {"longitude": lon, "latitude": lat}


def _conventionnement(ligne: Ligne) -> dict:
    forme = ligne.choix("forme_juridique", FormeJuridique)
    aci = ligne.booleen("aci")
    aci_date = ligne.date("date_aci")
    if aci_date and not aci:
        ligne.erreur("date_aci renseignée alors que aci vaut non")
    return {"forme_juridique": forme, "aci_signe": aci, "aci_date": aci_date}


def _statuts(ligne: Ligne) -> dict:
    """The dated status changes: at least one, none before the project's date nor after the closing's."""
    statuts = []
    for colonne, statut in COLONNES_STATUT.items():
        jour = ligne.date(colonne)
        if jour:
            statuts.append((statut.value, jour))
    if not statuts and not any(ligne.get(c) for c in COLONNES_STATUT):
        ligne.erreur(f"aucune date de statut : renseignez au moins une colonne parmi {', '.join(COLONNES_STATUT)}")
    dates = dict(statuts)
    projet, fermeture = dates.get(Statut.PROJET), dates.get(Statut.FERMEE)
    for statut, jour in statuts:
        if projet and statut != Statut.PROJET and jour < projet:
            ligne.erreur(f"date de statut « {Statut(statut).label} » ({jour:%d/%m/%Y}) antérieure à la date de "
                         f"projet ({projet:%d/%m/%Y})")
        if fermeture and statut != Statut.FERMEE and jour > fermeture:
            ligne.erreur(f"date de statut « {Statut(statut).label} » ({jour:%d/%m/%Y}) postérieure à la date de "
                         f"fermeture ({fermeture:%d/%m/%Y})")
    return {"statuts": statuts}


def _professionnels(ligne: Ligne) -> dict:
    """`code:nombre|…`: each profession once, with a positive count."""
    effectifs: dict[str, int] = {}
    for element in _valeurs(ligne.get("professionnels")):
        code, deux_points, nombre = (p.strip() for p in element.partition(":"))
        if not deux_points:
            ligne.erreur(f"professionnels : « {element} » au lieu de code:nombre (ex. infirmier:3)")
            continue
        if code not in PROFESSIONS:
            ligne.erreur(f"profession inconnue « {code} » (codes possibles : {', '.join(PROFESSIONS)})")
            continue
        if not nombre.isdigit() or int(nombre) < 1:
            ligne.erreur(f"professionnels : nombre invalide « {nombre} » pour {code} (entier positif attendu)")
            continue
        if code in effectifs:
            ligne.erreur(f"profession {code} indiquée deux fois")
            continue
        effectifs[code] = int(nombre)
    return {"effectifs": effectifs}


def _contact(ligne: Ligne) -> dict:
    adresse = ligne.get("adresse")
    email = ligne.get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            ligne.erreur(f"email invalide « {email} »")
    telephone = ligne.get("telephone")
    if telephone and (not TELEPHONE.match(telephone) or not 10 <= len(re.sub(r"\D", "", telephone)) <= 15):
        ligne.erreur(f"téléphone invalide « {telephone} » (10 à 15 chiffres, espaces, points, tirets, + initial)")
    site = ligne.get("site_web")
    if site:
        try:
            URLValidator(schemes=["http", "https"])(site)
        except ValidationError:
            ligne.erreur(f"site_web invalide « {site} » (adresse complète attendue, commençant par https://)")
    return {"adresse": adresse, "email": email, "telephone": telephone, "site_web": site}


def _themes(ligne: Ligne) -> dict:
    themes = []
    for theme in _valeurs(ligne.get("themes")):
        if len(theme) > LONGUEUR_THEME:
            ligne.erreur(f"thème de plus de {LONGUEUR_THEME} caractères : « {theme[:40]}… »")
        elif theme in themes:
            ligne.avertir(f"thème « {theme} » indiqué deux fois")
        else:
            themes.append(theme)
    return {"themes": themes}


GROUPES = (_identite, _communes, _point, _conventionnement, _statuts, _professionnels, _contact, _themes)


def lire_champs(ligne: Ligne) -> dict | None:
    """The row's fields in the shape of StructureLue, or None when any of its columns has an error."""
    champs = {}
    for groupe in GROUPES:
        champs.update(groupe(ligne))
    return champs if ligne.ok else None
