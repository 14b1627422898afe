"""Validation of a whole structures file against the stored territories and structures, before anything is written:
the report says what would be created, modified or left unchanged, and, for a register's file (FINESS), its date and
what it skipped."""
import datetime
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.db.models import Max, Min

from noyau import importation
from noyau.fichiers import FichierInvalide
from territoires.codes import departement_du_code
from territoires.models import CodePostal, Commune, CommuneRattachee
from territoires.normalisation import normaliser_nom
from territoires.regions_servies import regions_servies

from ..models import Structure
from . import finess
from .lecture import FORMAT_PORTAIL, lire_fichier
from .ligne import Ligne, lire_champs

MARGE_POINT = 0.5  # degrees around the region's communes' points
CEDEX = re.compile(r" cedex( \d+)?$")  # « LYON CEDEX 08 »: a business postal code, not a commune's


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
class RapportStructures(importation.Rapport):
    """A structures import's report: the valid rows, and which structures they create, modify or leave as stored."""

    structures: list[StructureLue] = field(default_factory=list)
    creees: list[str] = field(default_factory=list)
    modifiees: list[str] = field(default_factory=list)
    inchangees: list[str] = field(default_factory=list)
    absentes: int = 0  # stored structures that the file does not name (left as they are)
    format: str = FORMAT_PORTAIL
    registre: str = ""  # "FINESS" for a register's file
    date_registre: datetime.date | None = None
    ignorees: Counter = field(default_factory=Counter)  # rows of a register's file not imported, by reason

    def contenu(self, limite: int) -> dict:
        return {
            "format": self.format,
            "registre": self.registre,
            "date_registre": self.date_registre.isoformat() if self.date_registre else None,
            "structures": len(self.structures),
            "creees": self.creees[:limite], "nb_creees": len(self.creees),
            "modifiees": self.modifiees[:limite], "nb_modifiees": len(self.modifiees),
            "nb_inchangees": len(self.inchangees),
            "absentes": self.absentes,
            "ignorees": dict(self.ignorees),
        }

    def comptes(self, statut: str) -> dict:
        valide = self.valide
        return {"creees": len(self.creees) if valide else 0, "modifiees": len(self.modifiees) if valide else 0,
                "inchangees": len(self.inchangees) if valide else 0, "registre": self.registre,
                "date_registre": self.date_registre}

    def lignes_texte(self) -> list[str]:
        """The full report in French, for the command line."""
        sortie = [f"Lignes lues : {self.lignes_lues} ; structures valides : {len(self.structures)}"]
        if self.registre:
            date = f" au {self.date_registre:%d/%m/%Y}" if self.date_registre else ""
            sortie.append(f"Registre {self.registre}{date} (format {self.format})")
        for raison, nombre in self.ignorees.items():
            sortie.append(f"Non importées : {nombre} ({raison})")
        if self.valide:
            sortie.append(f"À créer ou créées : {len(self.creees)} ; à modifier ou modifiées : {len(self.modifiees)} ; "
                          f"inchangées : {len(self.inchangees)} ; en base mais absentes du fichier (laissées telles "
                          f"quelles) : {self.absentes}")
        return sortie + self.lignes_messages()


@dataclass
class Referentiel:
    """What validation needs of the stored territories, read in a few queries."""

    communes: dict[str, str]  # code → region code
    rattachees: dict[str, str]  # former code → current code
    regions: frozenset[str] | None  # the served regions (None: all)
    cadre: tuple[float, float, float, float] | None  # lon min, lon max, lat min, lat max (with a margin)

    def servie(self, code_commune: str) -> bool:
        region = self.communes.get(code_commune)
        return region is not None and (self.regions is None or region in self.regions)

    @property
    def departements_region(self) -> set[str]:
        return {departement_du_code(code) for code in self.communes if self.servie(code)}

    def commune_de_l_adresse(self, code_postal: str, nom: str, departement: str) -> str | None:
        """The current commune an address's postal code and commune name designate, in the register's département:
        the only commune of that postal code there, else the only one of that name among them, else (a CEDEX code)
        the only one of that name in the département; None when none or several fit (never a guess)."""
        par_code, noms = self._adresses
        nom = CEDEX.sub("", normaliser_nom(nom))
        candidates = [c for c in par_code.get(code_postal.strip(), []) if c.startswith(departement)]
        if len(candidates) == 1:
            return candidates[0]
        for parmi in (candidates, [c for c, n in noms.items() if n == nom and c.startswith(departement)]):
            memes = [c for c in parmi if noms.get(c) == nom]
            if len(memes) == 1:
                return memes[0]
        return None

    @cached_property
    def _adresses(self) -> tuple[dict[str, list[str]], dict[str, str]]:
        """({postal code: current communes}, {commune: normalised name}), read when a row needs them."""
        par_code: dict[str, list[str]] = {}
        for code, commune in CodePostal.objects.order_by("code", "commune_id").values_list("code", "commune_id"):
            par_code.setdefault(code, []).append(commune)
        return par_code, dict(Commune.objects.values_list("code_insee", "nom_normalise"))

    @classmethod
    def charger(cls) -> "Referentiel":
        communes = dict(Commune.objects.values_list("code_insee", "departement__region_id"))
        rattachees = dict(CommuneRattachee.objects.values_list("code", "commune_id"))
        b = Commune.objects.servies().aggregate(
            lon_min=Min("longitude"), lon_max=Max("longitude"), lat_min=Min("latitude"), lat_max=Max("latitude"))
        cadre = None
        if None not in b.values():
            cadre = (b["lon_min"] - MARGE_POINT, b["lon_max"] + MARGE_POINT,
                     b["lat_min"] - MARGE_POINT, b["lat_max"] + MARGE_POINT)
        return cls(communes, rattachees, regions_servies(), cadre)


def valider(chemin: Path, date_registre: datetime.date | None = None) -> RapportStructures:
    """Reads and checks the whole file; the report says what would be created, modified or left unchanged.
    `date_registre`: the extraction date of a register's file that does not give it (the derived FINESS file)."""
    referentiel = Referentiel.charger()
    try:
        lu = lire_fichier(chemin, referentiel.departements_region, referentiel.commune_de_l_adresse)
    except FichierInvalide as exc:
        return RapportStructures.du_fichier_invalide(exc)
    rapport = RapportStructures(lignes_lues=lu.lues, format=lu.format, avertissements=list(lu.avertissements),
                                ignorees=lu.ignorees)
    if lu.format != FORMAT_PORTAIL:
        _dater_le_registre(rapport, lu.date_registre, date_registre)
    vues: dict[str, int] = {}
    for numero, cellules in lu.lignes:
        champs = lire_champs(Ligne(numero, cellules, referentiel, rapport))
        identifiant = cellules.get("identifiant", "")
        if identifiant in vues:
            rapport.erreur(numero, f"identifiant {identifiant} en double (déjà ligne {vues[identifiant]})")
            continue
        if identifiant:
            vues[identifiant] = numero
        if champs:
            rapport.structures.append(StructureLue(ligne=numero, **champs))
    rapport.trier()
    if rapport.valide:
        _comparer(rapport)
    return rapport


def _dater_le_registre(rapport: RapportStructures, du_fichier: datetime.date | None, donnee: datetime.date | None):
    """A register's structures are those of its extraction date, shown with them: the file's own date, or the one
    given; never none, and never two different ones."""
    rapport.registre = finess.REGISTRE
    if du_fichier and donnee and du_fichier != donnee:
        rapport.erreur(None, f"date du registre donnée ({donnee:%d/%m/%Y}) différente de celle du fichier "
                             f"({du_fichier:%d/%m/%Y})")
    rapport.date_registre = du_fichier or donnee
    if rapport.date_registre is None:
        rapport.erreur(None, "date d'extraction du registre FINESS inconnue : ce fichier ne la donne pas, précisez-la "
                             "(option --date-registre de importer_structures, ou « registre » dans le manifeste)")


def existantes(identifiants) -> dict[str, Structure]:
    """The stored structures of these identifiers, with what `etat_structure` reads prefetched."""
    return {s.identifiant: s for s in Structure.objects.filter(identifiant__in=identifiants)
            .prefetch_related("communes", "changements_statut", "effectifs")}


def _comparer(rapport: RapportStructures):
    stockees = existantes([s.identifiant for s in rapport.structures])
    for lue in rapport.structures:
        structure = stockees.get(lue.identifiant)
        if structure is None:
            rapport.creees.append(lue.identifiant)
        elif etat_structure(structure) != lue.etat():
            rapport.modifiees.append(lue.identifiant)
        else:
            rapport.inchangees.append(lue.identifiant)
    rapport.absentes = Structure.objects.exclude(identifiant__in=[s.identifiant for s in rapport.structures]).count()
