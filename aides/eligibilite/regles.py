"""Rules as dated data: one YAML file per scheme under aides/regles/, validated against a schema before use.

A scheme has stable metadata (code, name and short name, nature, funder, professions, career stages, summary,
contact, the schemes it cannot be cumulated with, and its sources by title, publisher and date) and dated versions,
each with `valid_from` / `valid_to` (inclusive; null = open). A version either holds conditions and amounts, or
says the scheme is closed to new requests from its `valid_from` (`ferme`, with what replaced it). Amount variants
are tried in order: the first whose condition holds gives the amount; a variant without a value is an amount to be
specified (its label says why). `verifie: false` marks a figure the reference could not confirm; the portal shows
that mark. A scheme of nature "obligation" is a constraint of the place (a regulated conventionnement), not an aid.
"""
import datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from noyau.fichiers import FichierInvalide, Probleme
from noyau.regions import REGIONS_INSEE, ars_de, collectivite_de, en_region

from . import conditions
from .faits import ETAPES, PROFESSIONS

DOSSIER_REGLES = Path(__file__).resolve().parent.parent / "regles"
# The kinds of funder (the rule files' `financeur`); an ARS or a Région is named after its region when it is known
# (`Dispositif.nom_du_financeur`).
FINANCEURS = {"ars": "Agence régionale de santé (ARS)", "assurance-maladie": "Assurance Maladie", "etat": "État",
              "region": "Région (conseil régional)", "collectivites": "Collectivités"}
FINANCEURS_REGIONAUX = {"ars": ars_de, "region": collectivite_de}
FINANCEURS_SANS_REGION = {"ars": "Agence régionale de santé (ARS) de votre région",
                          "region": "Région (conseil régional) de votre lieu d'exercice"}
UNITES = {"unique": "versement unique", "jour": "par jour", "mois": "par mois", "trimestre": "par trimestre", "semestre": "par semestre",
          "an": "par an", "pourcentage": "%"}
CONTACTS = {"ars-dd": "Délégation départementale de l'ARS", "cpam": "CPAM", "urps": "URPS", "faculte": "Faculté / UFR",
            "chu": "CHU", "impots": "Service des impôts des entreprises", "cng": "CNG / ASP", "region": "Région (conseil régional)",
            "collectivite": "Commune ou EPCI"}
AIDE, OBLIGATION = "aide", "obligation"
NATURES = {AIDE: "aide", OBLIGATION: "contrainte d'installation"}
# Publishers of official texts and pages (PAPS, ARS, Assurance Maladie, Légifrance, ministries, Région, Parliament):
# their sources are listed first.
DOMAINES_OFFICIELS = ("paps.sante.fr", "ars.sante.fr", "ameli.fr", "legifrance.gouv.fr", "gouv.fr", "laregion.fr",
                      "senat.fr", "assemblee-nationale.fr", "service-public.fr")


@dataclass(frozen=True)
class Montant:
    valeur: float | None  # None: to be specified (the label says why)
    unite: str
    duree: str | None = None
    libelle: str | None = None  # e.g. "4 jours par semaine"
    verifie: bool = True
    condition: dict | None = None

    @property
    def a_preciser(self) -> bool:
        return self.valeur is None

    def en_dict(self) -> dict:
        return {"valeur": self.valeur, "unite": self.unite, "duree": self.duree, "libelle": self.libelle,
                "verifie": self.verifie}


@dataclass(frozen=True)
class Source:
    titre: str
    editeur: str
    date: str  # publication, update or consultation date, as the reference gives it
    url: str | None = None
    officielle: bool = False

    @property
    def citation(self) -> str:
        """ "Titre — Éditeur, date": how the portal names a source."""
        return f"{self.titre} — {self.editeur}, {self.date}"


@dataclass(frozen=True)
class Fermeture:
    """From the version's valid_from, no new contract or request: running ones go to their term."""

    remplace_par: tuple[str, ...] = ()  # codes of the schemes that replaced it
    texte: str = ""


@dataclass(frozen=True)
class Exclusion:
    code: str  # the other scheme
    motif: str  # why they exclude each other, in plain French


@dataclass(frozen=True)
class Version:
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    conditions: dict | None
    montants: tuple[Montant, ...]
    note: str = ""
    sources: tuple[str, ...] = ()
    ferme: Fermeture | None = None
    annonce: bool = False  # announced by a text whose application is not verified: shown as such

    def en_vigueur_le(self, jour: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= jour) and (self.valid_to is None or jour <= self.valid_to)


@dataclass(frozen=True)
class Dispositif:
    code: str
    nom: str
    nom_court: str
    financeur: str
    professions: tuple[str, ...]
    etapes: tuple[str, ...]
    resume: str
    contact: str
    sources: dict[str, Source]  # key (used by the versions, never shown) → source
    versions: tuple[Version, ...] = field(default_factory=tuple)
    nature: str = AIDE
    exclusions: tuple[Exclusion, ...] = ()
    # INSEE codes of the regions where a regional scheme (of an ARS, a Région, a département of that region) applies;
    # empty for a national scheme, which applies everywhere.
    regions: tuple[str, ...] = ()
    # What holds in one region only (a regional figure, the list of its zones), by INSEE code: said where that
    # region is served, never elsewhere.
    precisions_regionales: dict[str, str] = field(default_factory=dict)

    def s_applique_dans(self, region: str | None) -> bool:
        """Whether the scheme applies in `region` (None: not known, as in pure engine tests: every scheme does)."""
        return not self.regions or region is None or region in self.regions

    def nom_du_financeur(self, region: str | None = None) -> str:
        """Who funds it: « Assurance Maladie »; an ARS or a Région named after the rule's region (« ARS Occitanie »),
        or for a national scheme after `region`, the commune's (« ARS Auvergne-Rhône-Alpes ») when it is known, else
        « Agence régionale de santé (ARS) de votre région »."""
        nommer = FINANCEURS_REGIONAUX.get(self.financeur)
        if nommer is None:
            return FINANCEURS[self.financeur]
        if region in REGIONS_INSEE and self.s_applique_dans(region):
            return nommer(region)
        if self.regions:
            return " ou ".join(nommer(r) for r in self.regions)
        return FINANCEURS_SANS_REGION[self.financeur]

    def precisions_pour(self, regions: frozenset[str] | None) -> list[tuple[str, str]]:
        """(« en Occitanie », text) of the regional details of `regions` (None: every region), in code order."""
        return [(en_region(code), texte) for code, texte in sorted(self.precisions_regionales.items())
                if regions is None or code in regions]

    def version_le(self, jour: datetime.date) -> Version | None:
        """The rule open on the date; None when the scheme does not exist yet, has ended, or is closed to new
        requests (see `fermeture_le`)."""
        version = self._version_couvrant(jour)
        return version if version is not None and version.ferme is None else None

    def fermeture_le(self, jour: datetime.date) -> Version | None:
        """The closed version covering the date, if the scheme is closed to new requests then."""
        version = self._version_couvrant(jour)
        return version if version is not None and version.ferme is not None else None

    def _version_couvrant(self, jour: datetime.date) -> Version | None:
        return next((v for v in self.versions if v.en_vigueur_le(jour)), None)

    def sources_de(self, version: Version) -> list[Source]:
        """The version's sources, official ones first (otherwise in the order the version gives them)."""
        sources = [self.sources[cle] for cle in dict.fromkeys(version.sources)]
        return sorted(sources, key=lambda s: not s.officielle)


CHAMPS_DISPOSITIF = {"code", "nom", "nom_court", "nature", "financeur", "professions", "etapes", "resume", "contact",
                     "sources", "versions", "exclusions", "regions", "precisions_regionales"}
FACULTATIFS_DISPOSITIF = {"nature", "exclusions", "regions", "precisions_regionales"}
CHAMPS_SOURCE = {"titre", "editeur", "date", "url", "officielle"}
CHAMPS_VERSION = {"valid_from", "valid_to", "conditions", "montants", "note", "sources", "ferme", "annonce"}
CHAMPS_FERME = {"remplace_par", "texte"}
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


def _texte(valeur) -> bool:
    return isinstance(valeur, str) and bool(valeur.strip())


def est_officielle(url: str | None) -> bool:
    hote = (urlsplit(url).hostname or "") if url else ""
    return any(hote == d or hote.endswith("." + d) for d in DOMAINES_OFFICIELS)


def _valider_sources(sources) -> list[str]:
    if not isinstance(sources, dict) or not sources:
        return ["sources : dictionnaire non vide {clé: {titre, editeur, date, url}} attendu"]
    problemes = []
    for cle, source in sources.items():
        ici = f"sources.{cle}"
        if not isinstance(source, dict):
            problemes.append(f"{ici} : {{titre, editeur, date, url}} attendu (une source se cite par son titre)")
            continue
        problemes += [f"{ici} : champ inconnu {c}" for c in sorted(set(source) - CHAMPS_SOURCE)]
        problemes += [f"{ici}.{c} : texte non vide attendu" for c in ("titre", "editeur") if not _texte(source.get(c))]
        if not (_texte(source.get("date")) or isinstance(source.get("date"), datetime.date)):
            problemes.append(f"{ici}.date : date ou texte attendu (« consultée le … », « septembre 2019 »)")
        url = source.get("url")
        if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
            problemes.append(f"{ici}.url : adresse http(s) attendue")
        if "officielle" in source and not isinstance(source["officielle"], bool):
            problemes.append(f"{ici}.officielle : true ou false attendu")
    return problemes


def _valider_exclusions(exclusions, code) -> list[str]:
    if exclusions is None:
        return []
    if not isinstance(exclusions, list):
        return ["exclusions : liste de {code, motif} attendue"]
    problemes = []
    for i, exclusion in enumerate(exclusions):
        ici = f"exclusions[{i}]"
        if not isinstance(exclusion, dict) or set(exclusion) != {"code", "motif"}:
            problemes.append(f"{ici} : {{code, motif}} attendu")
        elif not _texte(exclusion["code"]) or not _texte(exclusion["motif"]):
            problemes.append(f"{ici} : code et motif non vides attendus")
        elif exclusion["code"] == code:
            problemes.append(f"{ici} : un dispositif ne s'exclut pas lui-même")
    return problemes


def _valider_montants(montants, chemin: str) -> list[str]:
    if not isinstance(montants, list):
        return [f"{chemin}.montants : liste attendue (vide si l'aide n'a pas de montant)"]
    problemes = []
    for j, montant in enumerate(montants):
        ici = f"{chemin}.montants[{j}]"
        if not isinstance(montant, dict):
            problemes.append(f"{ici} : dictionnaire attendu")
            continue
        problemes += [f"{ici} : champ inconnu {c}" for c in sorted(set(montant) - CHAMPS_MONTANT)]
        valeur = montant.get("valeur")
        if valeur is None:
            if not _texte(montant.get("libelle")):
                problemes.append(f"{ici} : un montant à préciser (valeur null) dit pourquoi dans son libellé")
        elif not isinstance(valeur, (int, float)) or isinstance(valeur, bool) or valeur < 0:
            problemes.append(f"{ici}.valeur : nombre positif, ou null pour un montant à préciser, attendu")
        if montant.get("unite") not in UNITES:
            problemes.append(f"{ici}.unite : parmi {', '.join(UNITES)}")
        if "verifie" in montant and not isinstance(montant["verifie"], bool):
            problemes.append(f"{ici}.verifie : true ou false attendu")
        if "condition" in montant:
            problemes += conditions.verifier(montant["condition"], f"{ici}.condition")
    return problemes


def _valider_version(version, chemin: str, sources) -> list[str]:
    problemes = [f"{chemin} : champ inconnu {c}" for c in sorted(set(version) - CHAMPS_VERSION)]
    for ref in version.get("sources") or []:
        if isinstance(sources, dict) and ref not in sources:
            problemes.append(f"{chemin}.sources : {ref!r} absente des sources du dispositif")
    if not version.get("sources"):
        problemes.append(f"{chemin}.sources : au moins une source attendue")
    if "ferme" in version:
        ferme = version["ferme"]
        if not isinstance(ferme, dict) or set(ferme) - CHAMPS_FERME:
            problemes.append(f"{chemin}.ferme : {{remplace_par: [codes], texte: …}} attendu")
        elif not isinstance(ferme.get("remplace_par", []), list):
            problemes.append(f"{chemin}.ferme.remplace_par : liste de codes attendue")
        if {"conditions", "montants", "annonce"} & set(version):
            problemes.append(f"{chemin} : une version fermée n'a ni conditions, ni montants, ni annonce")
        if version.get("valid_from") is None:
            problemes.append(f"{chemin}.valid_from : la date de fermeture est obligatoire")
        return problemes
    if "annonce" in version and not isinstance(version["annonce"], bool):
        problemes.append(f"{chemin}.annonce : true ou false attendu")
    problemes += conditions.verifier(version.get("conditions"), f"{chemin}.conditions")
    return problemes + _valider_montants(version.get("montants"), chemin)


def valider(donnees) -> list[str]:
    """Every problem of one rule file's content (the schema), as French sentences with their path."""
    if not isinstance(donnees, dict):
        return ["le fichier doit contenir un dictionnaire"]
    problemes = []
    manquants = CHAMPS_DISPOSITIF - FACULTATIFS_DISPOSITIF - set(donnees)
    problemes += [f"champ obligatoire absent : {c}" for c in sorted(manquants)]
    problemes += [f"champ inconnu : {c}" for c in sorted(set(donnees) - CHAMPS_DISPOSITIF)]
    problemes += [f"{c} : texte non vide attendu" for c in ("nom", "nom_court", "resume")
                  if c in donnees and not _texte(donnees[c])]
    if donnees.get("nature", AIDE) not in NATURES:
        problemes.append(f"nature : {donnees.get('nature')!r} inconnue (permises : {', '.join(NATURES)})")
    if donnees.get("financeur") not in FINANCEURS:
        problemes.append(f"financeur : {donnees.get('financeur')!r} inconnu (permis : {', '.join(FINANCEURS)})")
    if donnees.get("contact") not in CONTACTS:
        problemes.append(f"contact : {donnees.get('contact')!r} inconnu (permis : {', '.join(CONTACTS)})")
    for champ, permis in [("professions", PROFESSIONS), ("etapes", ETAPES)]:
        valeurs = donnees.get(champ)
        if not isinstance(valeurs, list) or not valeurs or any(v not in permis for v in valeurs):
            problemes.append(f"{champ} : liste non vide parmi {', '.join(permis)} attendue")
    if "regions" in donnees:
        regions = donnees["regions"]
        if not isinstance(regions, list) or not regions or any(not isinstance(r, str) or r not in REGIONS_INSEE
                                                               for r in regions):
            problemes.append("regions : liste non vide de codes INSEE de région attendue, entre guillemets (ex. "
                             "[\"76\"] pour l'Occitanie) ; sans ce champ, le dispositif est national")
    if "precisions_regionales" in donnees:
        precisions = donnees["precisions_regionales"]
        if not isinstance(precisions, dict) or not precisions or any(
                not isinstance(r, str) or r not in REGIONS_INSEE or not _texte(t) for r, t in precisions.items()):
            problemes.append("precisions_regionales : dictionnaire non vide {code INSEE de région entre guillemets : "
                             "texte} attendu (ex. {\"76\": \"…\"} pour l'Occitanie)")
    sources = donnees.get("sources")
    problemes += _valider_sources(sources)
    problemes += _valider_exclusions(donnees.get("exclusions"), donnees.get("code"))
    versions = donnees.get("versions")
    if not isinstance(versions, list) or not versions:
        return problemes + ["versions : liste non vide attendue"]
    periodes = []
    for i, version in enumerate(versions):
        chemin = f"versions[{i}]"
        if not isinstance(version, dict):
            problemes.append(f"{chemin} : dictionnaire attendu")
            continue
        debut = _date(version.get("valid_from"), f"{chemin}.valid_from", problemes)
        fin = _date(version.get("valid_to"), f"{chemin}.valid_to", problemes)
        if debut and fin and fin < debut:
            problemes.append(f"{chemin} : valid_to antérieure à valid_from")
        periodes.append((debut or datetime.date.min, fin or datetime.date.max, i))
        problemes += _valider_version(version, chemin, sources)
    periodes.sort()
    for (debut_a, fin_a, a), (debut_b, _, b) in zip(periodes, periodes[1:]):
        if debut_b <= fin_a:
            problemes.append(f"versions[{a}] et versions[{b}] se chevauchent")
    return problemes


def verifier_catalogue(dispositifs: list[Dispositif]) -> list[str]:
    """What one file cannot check alone: the schemes named by exclusions and replacements exist."""
    codes = {d.code for d in dispositifs}
    problemes = [f"{d.code} : exclusion de {e.code!r}, dispositif inconnu" for d in dispositifs for e in d.exclusions
                 if e.code not in codes]
    problemes += [f"{d.code} : remplacé par {code!r}, dispositif inconnu" for d in dispositifs for v in d.versions
                  if v.ferme for code in v.ferme.remplace_par if code not in codes]
    return problemes


def _source(donnees: dict) -> Source:
    date = donnees["date"]
    return Source(titre=donnees["titre"].strip(), editeur=donnees["editeur"].strip(),
                  date=date.strftime("%d/%m/%Y") if isinstance(date, datetime.date) else str(date).strip(),
                  url=donnees.get("url"), officielle=donnees.get("officielle", est_officielle(donnees.get("url"))))


def _version(v: dict) -> Version:
    ferme = v.get("ferme")
    return Version(
        valid_from=en_date(v.get("valid_from")), valid_to=en_date(v.get("valid_to")), conditions=v.get("conditions"),
        montants=tuple(Montant(**m) for m in v.get("montants") or ()), note=(v.get("note") or "").strip(),
        sources=tuple(v.get("sources") or ()), annonce=bool(v.get("annonce")),
        ferme=Fermeture(tuple(ferme.get("remplace_par") or ()), (ferme.get("texte") or "").strip())
        if ferme is not None else None)


def construire(donnees: dict) -> Dispositif:
    """A validated rule file's content as a Dispositif (call `valider` first)."""
    versions = tuple(sorted((_version(v) for v in donnees["versions"]),
                            key=lambda v: v.valid_from or datetime.date.min))
    return Dispositif(code=donnees["code"], nom=donnees["nom"], nom_court=donnees["nom_court"].strip(),
                      financeur=donnees["financeur"], professions=tuple(donnees["professions"]),
                      etapes=tuple(donnees["etapes"]), resume=donnees["resume"].strip(), contact=donnees["contact"],
                      sources={cle: _source(s) for cle, s in donnees["sources"].items()}, versions=versions,
                      nature=donnees.get("nature", AIDE),
                      exclusions=tuple(Exclusion(e["code"], e["motif"].strip()) for e in donnees.get("exclusions") or ()),
                      regions=tuple(str(r) for r in donnees.get("regions") or ()),
                      precisions_regionales={str(r): " ".join(t.split()) for r, t in
                                             (donnees.get("precisions_regionales") or {}).items()})


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
    if not problemes:
        problemes = [Probleme(str(dossier), None, p) for p in verifier_catalogue(dispositifs)]
    if problemes:
        raise FichierInvalide(problemes)
    return dispositifs
