"""Who to contact about a scheme, here: the body that handles it, how to apply, who decides, and official links.

The portal ships a directory (aides/annuaire.yaml: one entry per contact type, the CPAM of each département, the URPS
of each profession), every link checked against public material; a contact ARS staff enter for a département
(aides.models.Contact) comes first, with its address and telephone. Never "not filled in": at worst the official
home page, said as such."""
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from .eligibilite.regles import CONTACTS

FICHIER = Path(__file__).resolve().parent / "annuaire.yaml"
VOYELLES = tuple("AEIOUYÂÉÈÊÎÔ")
URPS = "urps"


@dataclass(frozen=True)
class Lien:
    titre: str
    url: str

    def en_dict(self) -> dict:
        return {"titre": self.titre, "url": self.url}


@dataclass(frozen=True)
class Interlocuteur:
    type: str
    libelle: str  # the kind of body ("CPAM", "Délégation départementale de l'ARS")
    nom: str  # this one ("CPAM de la Lozère")
    demarche: str  # how to apply, in one or two sentences
    decide: str  # who decides
    liens: tuple[Lien, ...] = ()
    note: str = ""  # what the portal could not check
    adresse: str = ""  # only from a contact entered by ARS staff
    telephone: str = ""
    courriel: str = ""

    def en_dict(self) -> dict:
        return {"type": self.type, "libelle": self.libelle, "nom": self.nom, "demarche": self.demarche,
                "decide": self.decide, "liens": [lien.en_dict() for lien in self.liens], "note": self.note,
                "adresse": self.adresse, "telephone": self.telephone, "courriel": self.courriel,
                "site": self.liens[0].url if self.liens else ""}


@dataclass(frozen=True)
class _Annuaire:
    types: dict
    departements: dict
    ameli_accueil: str
    urps: dict = field(default_factory=dict)


@cache
def _annuaire() -> _Annuaire:
    donnees = yaml.safe_load(FICHIER.read_text(encoding="utf-8"))
    inconnus = set(donnees["types"]) - set(CONTACTS) - {URPS}
    manquants = set(CONTACTS) - set(donnees["types"])
    assert not inconnus and not manquants, f"annuaire.yaml : types inconnus {inconnus}, manquants {manquants}"
    return _Annuaire(donnees["types"], donnees["departements"], donnees["ameli_accueil"], donnees.get("urps") or {})


def de_la_commune(nom: str) -> str:
    """ "de Rodez", "d'Albi", "du Vigan", "des Angles": the commune's name after "mairie"."""
    if nom.startswith("Le "):
        return "du " + nom[3:]
    if nom.startswith("Les "):
        return "des " + nom[4:]
    return ("d'" if nom.upper().startswith(VOYELLES) else "de ") + nom


def _de_departement(code: str) -> str:
    entree = _annuaire().departements.get(code)
    return entree["de"] if entree else f"du département {code}"


def interlocuteur(type_: str, departement: str, nom_commune: str = "", profession: str = "",
                  saisi=None) -> Interlocuteur:
    """The body of `type_` for a place in `departement` (and the commune, for a mairie); `saisi`: the Contact ARS
    staff entered for that département and type, if any, whose name, address and telephone come first."""
    entree = _annuaire().types[type_]
    valeurs = {"de_departement": _de_departement(departement), "de_commune": de_la_commune(nom_commune or "")}
    nom, note = entree["nom"].format(**valeurs), ""
    liens = [Lien(l["titre"], l["url"]) for l in entree.get("liens") or ()]
    if type_ == "cpam":
        ameli = (_annuaire().departements.get(departement) or {}).get("ameli")
        if ameli:
            liens.insert(0, Lien(f"{nom} sur ameli.fr", ameli))
        else:
            liens.insert(0, Lien("ameli.fr, le site de l'Assurance Maladie", _annuaire().ameli_accueil))
            note = (f"La page de la {nom} sur ameli.fr n'a pas pu être vérifiée par le portail : sur ameli.fr, "
                    "choisissez votre département.")
    if type_ == URPS:
        urps = _annuaire().urps.get(profession)
        if urps:
            nom, liens = urps["nom"], [Lien(urps["titre"], urps["url"])]
    decide = entree["decide"].format(**valeurs)
    if saisi is None:
        return Interlocuteur(type_, CONTACTS.get(type_, "URPS"), nom, entree["demarche"].strip(), decide,
                             tuple(liens), note)
    if saisi.site:
        liens.insert(0, Lien(saisi.nom, saisi.site))
    return Interlocuteur(type_, CONTACTS.get(type_, "URPS"), saisi.nom, entree["demarche"].strip(), decide,
                         tuple(liens), "" if saisi.site else note, saisi.adresse, saisi.telephone, saisi.courriel)


def a_une_urps(profession: str) -> bool:
    return profession in _annuaire().urps


def contacts_du_lieu(departement: str, profession: str = "", saisis: dict | None = None) -> list[Interlocuteur]:
    """For the commune page: the ARS délégation, the CPAM and, where known, the URPS of the profession."""
    saisis = saisis or {}
    contacts = [interlocuteur(t, departement, saisi=saisis.get(t)) for t in ("ars-dd", "cpam")]
    if profession and a_une_urps(profession):
        contacts.append(interlocuteur(URPS, departement, profession=profession))
    return contacts
