"""Rules as dated data: one YAML file per scheme under aides/regles/, validated against a schema before use.

A scheme has stable metadata (code, name, funder, professions, career stages, summary, contact, sources) and dated
versions, each with `valid_from` / `valid_to` (inclusive; null = open), its conditions and its amounts. Amount
variants are tried in order: the first whose condition holds gives the amount. `verifie: false` marks a figure the
reference could not confirm; the portal shows that mark.
"""
import datetime
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from noyau.fichiers import FichierInvalide, Probleme

from . import conditions
from .faits import ETAPES, PROFESSIONS

DOSSIER_REGLES = Path(__file__).resolve().parent.parent / "regles"
FINANCEURS = {"ars": "ARS Occitanie", "assurance-maladie": "Assurance Maladie", "etat": "État",
              "region": "Région Occitanie", "collectivites": "Collectivités"}
UNITES = {"unique": "versement unique", "mois": "par mois", "an": "par an", "pourcentage": "%"}
CONTACTS = {"ars-dd": "Délégation départementale de l'ARS", "cpam": "CPAM", "urps": "URPS", "faculte": "Faculté / UFR",
            "chu": "CHU", "impots": "Service des impôts des entreprises", "cng": "CNG / ASP", "region": "Région Occitanie",
            "collectivite": "Commune ou EPCI"}


@dataclass(frozen=True)
class Montant:
    valeur: float
    unite: str
    duree: str | None = None
    libelle: str | None = None  # e.g. "4 jours par semaine"
    verifie: bool = True
    condition: dict | None = None

    def en_dict(self) -> dict:
        return {"valeur": self.valeur, "unite": self.unite, "duree": self.duree, "libelle": self.libelle,
                "verifie": self.verifie}


@dataclass(frozen=True)
class Version:
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    conditions: dict
    montants: tuple[Montant, ...]
    note: str = ""
    sources: tuple[str, ...] = ()

    def en_vigueur_le(self, jour: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= jour) and (self.valid_to is None or jour <= self.valid_to)


@dataclass(frozen=True)
class Dispositif:
    code: str
    nom: str
    financeur: str
    professions: tuple[str, ...]
    etapes: tuple[str, ...]
    resume: str
    contact: str
    sources: dict[str, str]  # label → URL or reference
    versions: tuple[Version, ...] = field(default_factory=tuple)

    def version_le(self, jour: datetime.date) -> Version | None:
        return next((v for v in self.versions if v.en_vigueur_le(jour)), None)


CHAMPS_DISPOSITIF = {"code", "nom", "financeur", "professions", "etapes", "resume", "contact", "sources", "versions"}
CHAMPS_VERSION = {"valid_from", "valid_to", "conditions", "montants", "note", "sources"}
CHAMPS_MONTANT = {"valeur", "unite", "duree", "libelle", "verifie", "condition"}


def en_date(valeur) -> datetime.date | None:
    """A date from YAML (a date) or from stored JSON (an ISO string); ValueError otherwise."""
    if valeur is None or isinstance(valeur, datetime.date):
        return valeur
    if isinstance(valeur, str):
        return datetime.date.fromisoformat(valeur)
    raise ValueError(valeur)


def _date(valeur, chemin: str, problemes: list[str]) -> datetime.date | None:
    try:
        return en_date(valeur)
    except ValueError:
        problemes.append(f"{chemin} : date AAAA-MM-JJ ou null attendue, pas {valeur!r}")
        return None


def valider(donnees) -> list[str]:
    """Every problem of one rule file's content (the schema), as French sentences with their path."""
    if not isinstance(donnees, dict):
        return ["le fichier doit contenir un dictionnaire"]
    problemes = []
    manquants, inconnus = CHAMPS_DISPOSITIF - set(donnees), set(donnees) - CHAMPS_DISPOSITIF
    problemes += [f"champ obligatoire absent : {c}" for c in sorted(manquants)]
    problemes += [f"champ inconnu : {c}" for c in sorted(inconnus)]
    if donnees.get("financeur") not in FINANCEURS:
        problemes.append(f"financeur : {donnees.get('financeur')!r} inconnu (permis : {', '.join(FINANCEURS)})")
    if donnees.get("contact") not in CONTACTS:
        problemes.append(f"contact : {donnees.get('contact')!r} inconnu (permis : {', '.join(CONTACTS)})")
    for champ, permis in [("professions", PROFESSIONS), ("etapes", ETAPES)]:
        valeurs = donnees.get(champ)
        if not isinstance(valeurs, list) or not valeurs or any(v not in permis for v in valeurs):
            problemes.append(f"{champ} : liste non vide parmi {', '.join(permis)} attendue")
    sources = donnees.get("sources")
    if not isinstance(sources, dict) or not sources:
        problemes.append("sources : dictionnaire non vide {libellé: référence} attendu")
    versions = donnees.get("versions")
    if not isinstance(versions, list) or not versions:
        return problemes + ["versions : liste non vide attendue"]
    periodes = []
    for i, version in enumerate(versions):
        chemin = f"versions[{i}]"
        if not isinstance(version, dict):
            problemes.append(f"{chemin} : dictionnaire attendu")
            continue
        problemes += [f"{chemin} : champ inconnu {c}" for c in sorted(set(version) - CHAMPS_VERSION)]
        debut = _date(version.get("valid_from"), f"{chemin}.valid_from", problemes)
        fin = _date(version.get("valid_to"), f"{chemin}.valid_to", problemes)
        if debut and fin and fin < debut:
            problemes.append(f"{chemin} : valid_to antérieure à valid_from")
        periodes.append((debut or datetime.date.min, fin or datetime.date.max, i))
        problemes += conditions.verifier(version.get("conditions"), f"{chemin}.conditions")
        for ref in version.get("sources") or []:
            if isinstance(sources, dict) and ref not in sources:
                problemes.append(f"{chemin}.sources : {ref!r} absente des sources du dispositif")
        montants = version.get("montants")
        if not isinstance(montants, list):
            problemes.append(f"{chemin}.montants : liste attendue (vide si l'aide n'a pas de montant)")
            continue
        for j, montant in enumerate(montants):
            ici = f"{chemin}.montants[{j}]"
            if not isinstance(montant, dict):
                problemes.append(f"{ici} : dictionnaire attendu")
                continue
            problemes += [f"{ici} : champ inconnu {c}" for c in sorted(set(montant) - CHAMPS_MONTANT)]
            if not isinstance(montant.get("valeur"), (int, float)) or montant["valeur"] < 0:
                problemes.append(f"{ici}.valeur : nombre positif attendu")
            if montant.get("unite") not in UNITES:
                problemes.append(f"{ici}.unite : parmi {', '.join(UNITES)}")
            if "condition" in montant:
                problemes += conditions.verifier(montant["condition"], f"{ici}.condition")
    periodes.sort()
    for (debut_a, fin_a, a), (debut_b, _, b) in zip(periodes, periodes[1:]):
        if debut_b <= fin_a:
            problemes.append(f"versions[{a}] et versions[{b}] se chevauchent")
    return problemes


def construire(donnees: dict) -> Dispositif:
    """A validated rule file's content as a Dispositif (call `valider` first)."""
    versions = tuple(sorted((Version(
        valid_from=en_date(v.get("valid_from")), valid_to=en_date(v.get("valid_to")), conditions=v["conditions"],
        montants=tuple(Montant(**m) for m in v["montants"]), note=(v.get("note") or "").strip(),
        sources=tuple(v.get("sources") or ()),
    ) for v in donnees["versions"]), key=lambda v: v.valid_from or datetime.date.min))
    return Dispositif(code=donnees["code"], nom=donnees["nom"], financeur=donnees["financeur"],
                      professions=tuple(donnees["professions"]), etapes=tuple(donnees["etapes"]),
                      resume=donnees["resume"].strip(), contact=donnees["contact"], sources=dict(donnees["sources"]),
                      versions=versions)


def lire_fichier(chemin: Path) -> Dispositif:
    try:
        donnees = yaml.safe_load(chemin.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        ligne = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        raise FichierInvalide([Probleme(chemin.name, ligne, f"YAML invalide : {getattr(exc, 'problem', exc)}")]) from None
    problemes = valider(donnees)
    if not problemes and donnees["code"] != chemin.stem:
        problemes.append(f"le code {donnees['code']!r} doit être le nom du fichier ({chemin.stem})")
    if problemes:
        raise FichierInvalide([Probleme(chemin.name, None, p) for p in problemes])
    return construire(donnees)


def lire_dossier(dossier: Path = DOSSIER_REGLES) -> list[Dispositif]:
    """Every rule file of the folder; all problems of all files are reported together."""
    dispositifs, problemes = [], []
    for chemin in sorted(dossier.glob("*.yaml")):
        try:
            dispositifs.append(lire_fichier(chemin))
        except FichierInvalide as exc:
            problemes += exc.problemes
    if problemes:
        raise FichierInvalide(problemes)
    return dispositifs
