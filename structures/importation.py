"""Strict import of a structures CSV file: read, validate the whole file, then write everything or nothing.

Format (also in README.md, « Structures : format d'import »)
----------------------------------------------------------------
- UTF-8 (a BOM is accepted), `;` or `,` separated (the separator of the header line), one header line, then one
  row per structure. Cells that hold several values join them with `|`.
- Columns (any order; unknown columns are an error, so that a misspelt column never loses data silently):

    identifiant *          stable identifier (ARS number or FINESS): the key of the upsert
    nom *                  name of the structure
    type *                 msp, centre-sante, esp, pta, reseau-territorial
    sous_type              centres de santé only, and required for them: polyvalent, medical, dentaire, infirmier
    universitaire          oui / non (MSP only; empty: non)
    commune *              INSEE code of the main commune (in the portal's region)
    autres_communes        other INSEE codes, `|`-joined (an ESP or a PTA may span several)
    adresse                postal address
    longitude, latitude    WGS 84 decimal degrees (`.` or `,`), both or neither
    forme_juridique        sisa, association, scm, sel, gcs, collectivite, etablissement-public, mutuelle,
                           fondation, autre
    aci                    oui / non: ACI signed (empty: non)
    date_aci               date the ACI was signed (only when aci is oui)
    date_projet, date_labellisation, date_ouverture, date_fermeture
                           at least one: the dated status changes (AAAA-MM-JJ or JJ/MM/AAAA)
    professionnels         `code:nombre|…` with the codes of structures/professions.py,
                           e.g. `medecin-generaliste:3|infirmier:4`
    email, telephone       contact
    site_web               starting with http:// or https://
    themes                 themes of the projet de santé, `|`-joined
  (* required)

- A row describes the whole structure: on update, its communes, status dates, professionals and themes replace
  the stored ones. Structures absent from the file are left as they are (and counted in the report).
- Every problem is reported with its line number, in French; a file with any error is rejected whole and nothing
  changes. A structure whose row matches what is stored is not rewritten (no history entry). Every run, dry runs
  and rejected files included, is recorded as an `ImportStructures`.
"""
import csv
import datetime
import getpass
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from noyau.fichiers import FichierInvalide, Message, Probleme, sha256_fichier
from noyau.professions import PROFESSIONS
from territoires.models import Commune, CommuneRattachee

from .models import (
    ChangementStatut,
    EffectifProfession,
    FormeJuridique,
    ImportStructures,
    SousType,
    Statut,
    Structure,
    Type,
)

journal = logging.getLogger(__name__)

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
SEPARATEUR_VALEURS = "|"
CODE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
IDENTIFIANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
TELEPHONE = re.compile(r"^\+?[0-9 .()-]+$")
OUI = {"oui", "o", "1", "vrai", "true", "x"}
NON = {"non", "n", "0", "faux", "false", ""}
LONGUEURS = {"identifiant": 40, "nom": 300, "adresse": 500, "telephone": 30, "email": 254, "site_web": 500}
LONGUEUR_THEME = 200
MARGE_POINT = 0.5  # degrees around the region's communes' points


# --- Reading --------------------------------------------------------------------------------------------------------

def _texte(chemin: Path) -> str:
    try:
        return chemin.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise FichierInvalide([Probleme(chemin.name, None, "fichier introuvable")]) from None
    except UnicodeDecodeError as exc:
        raise FichierInvalide([Probleme(chemin.name, None, f"le fichier n'est pas en UTF-8 (octet illisible en "
                                                           f"position {exc.start}) : enregistrez-le en UTF-8")]) from None


def lire_lignes(chemin: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped cell}) for each non-empty row; raises FichierInvalide on a bad header or rows
    of the wrong width. A quoted cell may span lines: a row is numbered by its first line."""
    texte = _texte(chemin)
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
    problemes = []
    inconnues = [e for e in entetes if e not in COLONNES]
    if inconnues:
        problemes.append(Probleme(chemin.name, 1, f"colonne(s) inconnue(s) : {', '.join(inconnues) or '(sans nom)'} "
                                                  f"(colonnes possibles : {', '.join(COLONNES)})"))
    doublons = sorted({e for e in entetes if e and entetes.count(e) > 1})
    if doublons:
        problemes.append(Probleme(chemin.name, 1, f"colonne(s) en double : {', '.join(doublons)}"))
    manquantes = [c for c in OBLIGATOIRES if c not in entetes]
    if manquantes:
        problemes.append(Probleme(chemin.name, 1, f"colonne(s) obligatoire(s) absente(s) : {', '.join(manquantes)}"))
    if not any(c in entetes for c in COLONNES_STATUT):
        problemes.append(Probleme(chemin.name, 1, "aucune colonne de date de statut (au moins une parmi "
                                                  f"{', '.join(COLONNES_STATUT)})"))
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


# --- Validation -----------------------------------------------------------------------------------------------------

@dataclass
class StructureLue:
    """One valid row, in the shape of the models."""

    ligne: int
    identifiant: str
    nom: str
    type: str
    sous_type: str
    universitaire: bool
    commune: str
    communes: list[str]  # all, the main one first
    adresse: str
    longitude: float | None
    latitude: float | None
    forme_juridique: str
    aci_signe: bool
    aci_date: datetime.date | None
    email: str
    telephone: str
    site_web: str
    themes: list[str]
    statuts: list[tuple[str, datetime.date]]
    effectifs: dict[str, int]

    CHAMPS = ["nom", "type", "sous_type", "universitaire", "adresse", "longitude", "latitude", "forme_juridique",
              "aci_signe", "aci_date", "email", "telephone", "site_web", "themes"]

    def etat(self) -> dict:
        """Comparable with `etat_structure`: equal means nothing to write."""
        return {**{c: getattr(self, c) for c in self.CHAMPS}, "commune": self.commune,
                "communes": sorted(self.communes), "statuts": sorted(self.statuts), "effectifs": self.effectifs}


def etat_structure(structure: Structure) -> dict:
    """The stored structure in the shape of `StructureLue.etat` (communes, changes and counts prefetched)."""
    return {**{c: getattr(structure, c) for c in StructureLue.CHAMPS}, "commune": structure.commune_id,
            "communes": sorted(c.code_insee for c in structure.communes.all()),
            "statuts": sorted((c.statut, c.date) for c in structure.changements_statut.all()),
            "effectifs": {e.profession: e.nombre for e in structure.effectifs.all()}}


@dataclass
class Rapport:
    lignes_lues: int = 0
    structures: list[StructureLue] = field(default_factory=list)
    erreurs: list[Message] = field(default_factory=list)
    avertissements: list[Message] = field(default_factory=list)
    creees: list[str] = field(default_factory=list)
    modifiees: list[str] = field(default_factory=list)
    inchangees: list[str] = field(default_factory=list)
    absentes: int = 0  # stored structures that the file does not name (left as they are)

    @property
    def valide(self) -> bool:
        return not self.erreurs

    def en_dict(self, limite: int = 1000) -> dict:
        return {
            "lignes_lues": self.lignes_lues,
            "structures": len(self.structures),
            "creees": self.creees[:limite], "nb_creees": len(self.creees),
            "modifiees": self.modifiees[:limite], "nb_modifiees": len(self.modifiees),
            "nb_inchangees": len(self.inchangees),
            "absentes": self.absentes,
            "erreurs": [m.en_dict() for m in self.erreurs[:limite]], "nb_erreurs": len(self.erreurs),
            "avertissements": [m.en_dict() for m in self.avertissements[:limite]],
            "nb_avertissements": len(self.avertissements),
        }

    def lignes_texte(self) -> list[str]:
        """The full report in French, for the command line."""
        sortie = [f"Lignes lues : {self.lignes_lues} ; structures valides : {len(self.structures)}"]
        if self.valide:
            sortie.append(f"À créer ou créées : {len(self.creees)} ; à modifier ou modifiées : {len(self.modifiees)} ; "
                          f"inchangées : {len(self.inchangees)} ; en base mais absentes du fichier (laissées telles "
                          f"quelles) : {self.absentes}")
        sortie += [f"Avertissement, ligne {m.ligne} : {m.message}" for m in self.avertissements]
        sortie += [f"Erreur, ligne {m.ligne} : {m.message}" if m.ligne else f"Erreur : {m.message}" for m in self.erreurs]
        return sortie


@dataclass
class Referentiel:
    """What validation needs of the stored territories, read in a few queries."""

    communes: dict[str, str]  # code → region code
    rattachees: dict[str, str]  # former code → current code
    region: str
    cadre: tuple[float, float, float, float] | None  # lon min, lon max, lat min, lat max (with a margin)

    @classmethod
    def charger(cls) -> "Referentiel":
        region = settings.PAPS_REGION
        communes = dict(Commune.objects.values_list("code_insee", "departement__region_id"))
        rattachees = dict(CommuneRattachee.objects.values_list("code", "commune_id"))
        b = Commune.objects.filter(departement__region_id=region).aggregate(
            lon_min=Min("longitude"), lon_max=Max("longitude"), lat_min=Min("latitude"), lat_max=Max("latitude"))
        cadre = None
        if None not in b.values():
            cadre = (b["lon_min"] - MARGE_POINT, b["lon_max"] + MARGE_POINT,
                     b["lat_min"] - MARGE_POINT, b["lat_max"] + MARGE_POINT)
        return cls(communes, rattachees, region, cadre)


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


class _Ligne:
    """Validation of one row; collects its messages."""

    def __init__(self, numero: int, cellules: dict[str, str], referentiel: Referentiel, rapport: Rapport):
        self.numero, self.c, self.ref, self.rapport = numero, cellules, referentiel, rapport
        self.ok = True

    def erreur(self, message: str):
        self.ok = False
        self.rapport.erreurs.append(Message(self.numero, message))

    def avertir(self, message: str):
        self.rapport.avertissements.append(Message(self.numero, message))

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
        if principale and self.ref.communes[code] != self.ref.region:
            self.erreur(f"la commune principale {code} n'est pas dans la région du portail")
            return None
        return code

    def lire(self) -> StructureLue | None:
        identifiant = self.get("identifiant")
        if not identifiant:
            self.erreur("identifiant manquant")
        elif not IDENTIFIANT.match(identifiant):
            self.erreur(f"identifiant invalide « {identifiant} » (lettres, chiffres, . _ / - ; sans espace)")
        nom = self.get("nom")
        if not nom:
            self.erreur("nom manquant")
        type_ = self.choix("type", Type, obligatoire=True)
        sous_type = self.choix("sous_type", SousType)
        if type_ == Type.CENTRE_SANTE and not sous_type and not self.get("sous_type"):
            self.erreur(f"sous_type obligatoire pour un centre de santé ({', '.join(SousType.values)})")
        if type_ and type_ != Type.CENTRE_SANTE and sous_type:
            self.erreur(f"sous_type « {sous_type} » réservé aux centres de santé (type : {type_})")
        universitaire = self.booleen("universitaire")
        if universitaire and type_ and type_ != Type.MSP:
            self.erreur(f"universitaire : seule une MSP peut l'être (type : {type_})")

        principale = None
        if not self.get("commune"):
            self.erreur("commune (code INSEE de la commune principale) manquante")
        else:
            principale = self.commune(self.get("commune"), principale=True)
        communes = [principale] if principale else []
        for code in _valeurs(self.get("autres_communes")):
            code = self.commune(code, principale=False)
            if code and code in communes:
                self.avertir(f"commune {code} indiquée deux fois")
            elif code:
                communes.append(code)

        longitude, latitude = self.point()
        forme = self.choix("forme_juridique", FormeJuridique)
        aci = self.booleen("aci")
        aci_date = self.date("date_aci")
        if aci_date and not aci:
            self.erreur("date_aci renseignée alors que aci vaut non")

        statuts = []
        for colonne, statut in COLONNES_STATUT.items():
            jour = self.date(colonne)
            if jour:
                statuts.append((statut.value, jour))
        if not statuts and not any(self.get(c) for c in COLONNES_STATUT):
            self.erreur(f"aucune date de statut : renseignez au moins une colonne parmi {', '.join(COLONNES_STATUT)}")
        self.coherence_statuts(statuts)

        effectifs = self.professionnels()
        email = self.get("email")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                self.erreur(f"email invalide « {email} »")
        telephone = self.get("telephone")
        if telephone and (not TELEPHONE.match(telephone) or not 10 <= len(re.sub(r"\D", "", telephone)) <= 15):
            self.erreur(f"téléphone invalide « {telephone} » (10 à 15 chiffres, espaces, points, tirets, + initial)")
        site = self.get("site_web")
        if site:
            try:
                URLValidator(schemes=["http", "https"])(site)
            except ValidationError:
                self.erreur(f"site_web invalide « {site} » (adresse complète attendue, commençant par https://)")
        themes = []
        for theme in _valeurs(self.get("themes")):
            if len(theme) > LONGUEUR_THEME:
                self.erreur(f"thème de plus de {LONGUEUR_THEME} caractères : « {theme[:40]}… »")
            elif theme in themes:
                self.avertir(f"thème « {theme} » indiqué deux fois")
            else:
                themes.append(theme)
        if not self.ok:
            return None
        return StructureLue(
            ligne=self.numero, identifiant=identifiant, nom=nom, type=type_, sous_type=sous_type,
            universitaire=universitaire, commune=principale, communes=communes, adresse=self.get("adresse"),
            longitude=longitude, latitude=latitude, forme_juridique=forme, aci_signe=aci, aci_date=aci_date,
            email=email, telephone=telephone, site_web=site, themes=themes, statuts=statuts, effectifs=effectifs,
        )

    def point(self) -> tuple[float | None, float | None]:
        textes = {c: self.get(c) for c in ("longitude", "latitude")}
        if not any(textes.values()):
            return None, None
        if not all(textes.values()):
            manquante = next(c for c, v in textes.items() if not v)
            self.erreur(f"{manquante} manquante : longitude et latitude vont ensemble")
            return None, None
        valeurs = {}
        for colonne, texte in textes.items():
            try:
                valeurs[colonne] = _nombre(texte)
            except ValueError:
                self.erreur(f"{colonne} : « {texte} » n'est pas un nombre (degrés décimaux, ex. 3.8767)")
        if len(valeurs) < 2:
            return None, None
        lon, lat = valeurs["longitude"], valeurs["latitude"]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.erreur(f"coordonnées hors limites (longitude {lon}, latitude {lat}) : degrés décimaux WGS 84 attendus")
            return None, None
        cadre = self.ref.cadre
        if cadre and not (cadre[0] <= lon <= cadre[1] and cadre[2] <= lat <= cadre[3]):
            inverse = cadre[0] <= lat <= cadre[1] and cadre[2] <= lon <= cadre[3]
            self.erreur(f"point hors de la région (longitude {lon}, latitude {lat})"
                        + (" : longitude et latitude inversées ?" if inverse else ""))
            return None, None
        return lon, lat

    def coherence_statuts(self, statuts: list[tuple[str, datetime.date]]):
        dates = dict(statuts)
        projet, fermeture = dates.get(Statut.PROJET), dates.get(Statut.FERMEE)
        for statut, jour in statuts:
            if projet and statut != Statut.PROJET and jour < projet:
                self.erreur(f"date de statut « {Statut(statut).label} » ({jour:%d/%m/%Y}) antérieure à la date de "
                            f"projet ({projet:%d/%m/%Y})")
            if fermeture and statut != Statut.FERMEE and jour > fermeture:
                self.erreur(f"date de statut « {Statut(statut).label} » ({jour:%d/%m/%Y}) postérieure à la date de "
                            f"fermeture ({fermeture:%d/%m/%Y})")

    def professionnels(self) -> dict[str, int]:
        effectifs: dict[str, int] = {}
        for element in _valeurs(self.get("professionnels")):
            code, deux_points, nombre = (p.strip() for p in element.partition(":"))
            if not deux_points:
                self.erreur(f"professionnels : « {element} » au lieu de code:nombre (ex. infirmier:3)")
                continue
            if code not in PROFESSIONS:
                self.erreur(f"profession inconnue « {code} » (codes possibles : {', '.join(PROFESSIONS)})")
                continue
            if not nombre.isdigit() or int(nombre) < 1:
                self.erreur(f"professionnels : nombre invalide « {nombre} » pour {code} (entier positif attendu)")
                continue
            if code in effectifs:
                self.erreur(f"profession {code} indiquée deux fois")
                continue
            effectifs[code] = int(nombre)
        return effectifs


def valider(chemin: Path) -> Rapport:
    """Reads and checks the whole file; the report says what would be created, modified or left unchanged."""
    rapport = Rapport()
    try:
        lignes = lire_lignes(chemin)
    except FichierInvalide as exc:
        rapport.erreurs = [Message(p.ligne, p.message) for p in exc.problemes]
        return rapport
    rapport.lignes_lues = len(lignes)
    referentiel = Referentiel.charger()
    vues: dict[str, int] = {}
    for numero, cellules in lignes:
        lue = _Ligne(numero, cellules, referentiel, rapport).lire()
        identifiant = cellules.get("identifiant", "")
        if identifiant in vues:
            rapport.erreurs.append(Message(numero, f"identifiant {identifiant} en double (déjà ligne {vues[identifiant]})"))
            continue
        if identifiant:
            vues[identifiant] = numero
        if lue:
            rapport.structures.append(lue)
    rapport.erreurs.sort(key=lambda m: m.ligne or 0)
    rapport.avertissements.sort(key=lambda m: m.ligne or 0)
    if rapport.valide:
        _comparer(rapport)
    return rapport


def _existantes(identifiants) -> dict[str, Structure]:
    return {s.identifiant: s for s in Structure.objects.filter(identifiant__in=identifiants)
            .prefetch_related("communes", "changements_statut", "effectifs")}


def _comparer(rapport: Rapport):
    existantes = _existantes([s.identifiant for s in rapport.structures])
    for lue in rapport.structures:
        structure = existantes.get(lue.identifiant)
        if structure is None:
            rapport.creees.append(lue.identifiant)
        elif etat_structure(structure) != lue.etat():
            rapport.modifiees.append(lue.identifiant)
        else:
            rapport.inchangees.append(lue.identifiant)
    rapport.absentes = Structure.objects.exclude(identifiant__in=[s.identifiant for s in rapport.structures]).count()


# --- Writing --------------------------------------------------------------------------------------------------------

def _ecrire(rapport: Rapport, enregistrement: ImportStructures):
    a_ecrire = set(rapport.creees) | set(rapport.modifiees)
    with transaction.atomic():
        existantes = _existantes(a_ecrire)
        for lue in rapport.structures:
            if lue.identifiant not in a_ecrire:
                continue
            structure = existantes.get(lue.identifiant) or Structure(identifiant=lue.identifiant)
            for champ in StructureLue.CHAMPS:
                setattr(structure, champ, getattr(lue, champ))
            structure.commune_id = lue.commune
            structure.import_source = enregistrement
            structure._history_user = enregistrement.utilisateur
            structure.full_clean(exclude=["communes", "commune", "import_source"], validate_unique=False)
            structure.save()
            structure.communes.set(lue.communes)
            _remplacer_statuts(structure, lue, enregistrement.utilisateur)
            _remplacer_effectifs(structure, lue, enregistrement.utilisateur)


def _remplacer_statuts(structure: Structure, lue: StructureLue, utilisateur):
    voulus = set(lue.statuts)
    presents = {(c.statut, c.date): c for c in structure.changements_statut.all()} if structure.pk else {}
    for cle, changement in presents.items():
        if cle not in voulus:
            changement._history_user = utilisateur
            changement.delete()
    for statut, jour in lue.statuts:
        if (statut, jour) not in presents:
            changement = ChangementStatut(structure=structure, statut=statut, date=jour)
            changement._history_user = utilisateur
            changement.save()


def _remplacer_effectifs(structure: Structure, lue: StructureLue, utilisateur):
    presents = {e.profession: e for e in structure.effectifs.all()}
    for profession, effectif in presents.items():
        if profession not in lue.effectifs:
            effectif._history_user = utilisateur
            effectif.delete()
    for profession, nombre in lue.effectifs.items():
        effectif = presents.get(profession)
        if effectif is not None and effectif.nombre == nombre:
            continue
        effectif = effectif or EffectifProfession(structure=structure, profession=profession)
        effectif.nombre = nombre
        effectif._history_user = utilisateur
        effectif.save()


def importer_structures(chemin: Path, essai: bool = False, utilisateur=None, origine: str = "",
                        fichier_nom: str | None = None) -> ImportStructures:
    """Records the import, validates the whole file, then (unless a dry run or any error) writes it in one
    transaction. Returns the record, with the full report as `rapport_complet` (for the command)."""
    chemin = Path(chemin)
    try:
        empreinte = sha256_fichier(chemin)
    except OSError:
        empreinte = ""
    enregistrement = ImportStructures.objects.create(
        fichier_nom=fichier_nom or chemin.name, sha256=empreinte, utilisateur=utilisateur, essai=essai,
        origine=origine or f"commande ({getpass.getuser()})")
    try:
        rapport = valider(chemin)
        if rapport.valide and not essai:
            _ecrire(rapport, enregistrement)
    except Exception as exc:
        journal.exception("Import de structures %s échoué", enregistrement.pk)
        rapport = Rapport(erreurs=[Message(None, f"erreur technique : {exc}")])
        _terminer(enregistrement, rapport, ImportStructures.Etat.ECHOUE)
        raise
    if not rapport.valide:
        statut = ImportStructures.Etat.REJETE
    else:
        statut = ImportStructures.Etat.VALIDE if essai else ImportStructures.Etat.IMPORTE
    return _terminer(enregistrement, rapport, statut)


def _terminer(enregistrement: ImportStructures, rapport: Rapport, statut: str) -> ImportStructures:
    enregistrement.statut = statut
    enregistrement.termine_le = timezone.now()
    enregistrement.lignes_lues = rapport.lignes_lues
    enregistrement.creees = len(rapport.creees) if rapport.valide else 0
    enregistrement.modifiees = len(rapport.modifiees) if rapport.valide else 0
    enregistrement.inchangees = len(rapport.inchangees) if rapport.valide else 0
    enregistrement.nb_avertissements = len(rapport.avertissements)
    enregistrement.nb_erreurs = len(rapport.erreurs)
    enregistrement.rapport = rapport.en_dict()
    enregistrement.save()
    enregistrement.rapport_complet = rapport
    return enregistrement
