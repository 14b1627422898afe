"""Who to contact about a scheme, here: the body that handles it, how to apply, who decides, and official links.

The portal ships a directory (aides/annuaire.yaml: one entry per contact type in words true in every region; for a
region it checked, its own wording, the CPAM of each département, the URPS of each profession), every link checked
against public material; a contact ARS staff enter for a département (aides.models.Contact) comes first, with its
address and telephone. Never "not filled in", never a body of another region: at worst the official national page,
and a note saying what the portal does not hold."""
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from noyau.regions import REGIONS_INSEE, SITES_ARS, ars_de, collectivite_de

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
    types: dict  # the national wording of each type
    ameli_accueil: str
    regions: dict = field(default_factory=dict)  # by INSEE code: what was checked there (types, départements, URPS)


@cache
def _annuaire() -> _Annuaire:
    donnees = yaml.safe_load(FICHIER.read_text(encoding="utf-8"))
    inconnus = set(donnees["types"]) - set(CONTACTS) - {URPS}
    manquants = set(CONTACTS) - set(donnees["types"])
    assert not inconnus and not manquants, f"annuaire.yaml : types inconnus {inconnus}, manquants {manquants}"
    regions = donnees.get("regions") or {}
    for code, region in regions.items():
        assert code in REGIONS_INSEE, f"annuaire.yaml : région inconnue {code!r}"
        assert set(region.get("types") or {}) <= set(donnees["types"]), f"annuaire.yaml : types inconnus en {code}"
    return _Annuaire(donnees["types"], donnees["ameli_accueil"], regions)


def _region_du_departement(departement: str) -> str | None:
    """The region whose directory lists `departement` (when the caller does not know the commune's region)."""
    return next((code for code, region in _annuaire().regions.items()
                 if departement in (region.get("departements") or {})), None)


def de_la_commune(nom: str) -> str:
    """ "de Rodez", "d'Albi", "du Vigan", "des Angles": the commune's name after "mairie"."""
    if nom.startswith("Le "):
        return "du " + nom[3:]
    if nom.startswith("Les "):
        return "des " + nom[4:]
    return ("d'" if nom.upper().startswith(VOYELLES) else "de ") + nom


def interlocuteur(type_: str, departement: str, nom_commune: str = "", profession: str = "",
                  saisi=None, region: str | None = None) -> Interlocuteur:
    """The body of `type_` for a place in `departement` of `region` (INSEE code; found from the directory's
    départements when not given), and the commune, for a mairie; `saisi`: the Contact ARS staff entered for that
    département and type, if any, whose name, address and telephone come first. In a region the directory does not
    hold, the national wording: no body is named that the portal has not checked, and the note says so."""
    region = region or _region_du_departement(departement)
    connue = _annuaire().regions.get(region) or {}
    entree = (connue.get("types") or {}).get(type_) or _annuaire().types[type_]
    du_departement = (connue.get("departements") or {}).get(departement) or {}
    valeurs = {"de_departement": du_departement.get("de") or f"du département {departement}",
               "de_commune": de_la_commune(nom_commune or ""),
               "ars": ars_de(region) if region in REGIONS_INSEE else "ARS de votre région",
               "region": collectivite_de(region) if region in REGIONS_INSEE else "Région de votre lieu d'exercice"}
    nom, note = entree["nom"].format(**valeurs), " ".join((entree.get("note") or "").format(**valeurs).split())
    liens = [Lien(l["titre"], l["url"]) for l in entree.get("liens") or ()]
    if type_ == "ars-dd" and entree is _annuaire().types[type_] and region in SITES_ARS:
        liens.insert(0, Lien(f"{ars_de(region)} (site officiel)", SITES_ARS[region]))
    if type_ == "cpam":
        if du_departement.get("ameli"):
            liens.insert(0, Lien(f"{nom} sur ameli.fr", du_departement["ameli"]))
        else:
            liens.insert(0, Lien("ameli.fr, le site de l'Assurance Maladie", _annuaire().ameli_accueil))
            note = (f"La page de la {nom} sur ameli.fr n'a pas pu être vérifiée par le portail : sur ameli.fr, "
                    "choisissez votre département.")
    if type_ == URPS:
        urps = (connue.get("urps") or {}).get(profession)
        if urps:
            nom, liens, note = urps["nom"], [Lien(urps["titre"], urps["url"])], ""
    decide = entree["decide"].format(**valeurs)
    if saisi is None:
        return Interlocuteur(type_, CONTACTS.get(type_, "URPS"), nom, entree["demarche"].strip(), decide,
                             tuple(liens), note)
    if saisi.site:
        liens.insert(0, Lien(saisi.nom, saisi.site))
    return Interlocuteur(type_, CONTACTS.get(type_, "URPS"), saisi.nom, entree["demarche"].strip(), decide,
                         tuple(liens), "" if saisi.site else note, saisi.adresse, saisi.telephone, saisi.courriel)


def a_une_urps(profession: str, region: str | None) -> bool:
    return profession in ((_annuaire().regions.get(region) or {}).get("urps") or {})


def contacts_du_lieu(departement: str, profession: str = "", saisis: dict | None = None,
                     region: str | None = None) -> list[Interlocuteur]:
    """For the commune page: the ARS délégation, the CPAM and, where known, the URPS of the profession."""
    saisis = saisis or {}
    region = region or _region_du_departement(departement)
    contacts = [interlocuteur(t, departement, saisi=saisis.get(t), region=region) for t in ("ars-dd", "cpam")]
    if profession and a_une_urps(profession, region):
        contacts.append(interlocuteur(URPS, departement, profession=profession, region=region))
    return contacts
