"""Validation of zonage rows against the portal's territories, before anything is written.

Outcome per row: kept (a commune of the served regions), skipped (outside them, or a level the source marks as not
available), or an error (unknown code, unknown level, conflicting duplicates…). Codes of communes déléguées,
associées or merged are resolved to the current commune with a warning; when they disagree, or cover only part of
the current commune, the commune is left without a level (unknown, never a guess), or "partiellement classée" where
the kind has that level.
"""
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from noyau import importation
from territoires.codes import departement_du_code
from territoires.models import Commune, CommuneRattachee, Departement
from territoires.referentiels.lecture import CODE_COMMUNE
from territoires.regions_servies import filtre_region

from ..niveaux import NON_DISPONIBLE, TypeZonage, niveau_depuis_libelle
from .lecture import LigneBrute


@dataclass
class Territoire:
    """What validation needs to know of the stored territories, read in three queries."""

    communes_region: dict[str, int | None]  # code → population
    departements_region: set[str]
    rattachees: dict[str, tuple[str, str]]  # former code → (current code, type)

    @classmethod
    def des_regions_servies(cls) -> "Territoire":
        """The served regions' territories (PAPS_REGIONS): a national file keeps their rows, and covers them in full
        when it classifies each of their communes."""
        communes = dict(Commune.objects.servies().values_list("code_insee", "population"))
        departements = set(Departement.objects.servis().values_list("code", flat=True))
        rattachees = {code: (parent, type_) for code, parent, type_ in
                      CommuneRattachee.objects.filter(**filtre_region("commune__departement__region_id"))
                      .values_list("code", "commune_id", "type")}
        return cls(communes, departements, rattachees)

    def departement_de(self, code: str) -> str:
        return departement_du_code(code)

    @cached_property
    def _anciennes(self) -> dict[str, list[str]]:
        anciennes: dict[str, list[str]] = {}
        for ancien, (parent, _) in self.rattachees.items():
            anciennes.setdefault(parent, []).append(ancien)
        return anciennes

    def anciennes_de(self, actuelle: str) -> list[str]:
        """The former codes (déléguées, associées, merged communes) that now belong to `actuelle`."""
        return self._anciennes.get(actuelle, [])


@dataclass
class RapportZonage(importation.Rapport):
    """A zonage or QPV import's report: the rows kept (commune or QPV code → level or communes), the skipped ones by
    reason, the region's communes the file leaves without a level, and the version written."""

    retenus: dict[str, str] = field(default_factory=dict)  # commune code → level code
    ignores: Counter = field(default_factory=Counter)
    non_couvertes: list[str] = field(default_factory=list)
    # Communes the file classes in parts (former communes, arrondissements) of different levels: left without a level
    # with a warning, but not left out of the file (they do not make it a partial one). A commune of which the file
    # has only a part is left out.
    indeterminees: set[str] = field(default_factory=set)
    zonage_id: int | None = None  # the version written, once written
    niveaux_inconnus: int = 0  # rows whose level the chosen kind does not have
    type_suggere: dict | None = None  # {code, libelle, raison}: the kind the file seems to be, when another was chosen
    couverture: str = ""  # the agent's choice for the communes the file leaves out (COUVERTURES)
    base_id: int | None = None  # a partial update: the version whose other communes are kept

    @property
    def niveaux(self) -> dict[str, int]:
        """Rows kept per level, the most frequent first."""
        return dict(Counter(self.retenus.values()).most_common())

    def contenu(self, limite: int) -> dict:
        return {
            "retenus": len(self.retenus),
            "niveaux": self.niveaux,
            "ignores": dict(self.ignores),
            "non_couvertes": self.non_couvertes[:limite],
            "nb_non_couvertes": len(self.non_couvertes),
            "zonage_id": self.zonage_id,
            "type_suggere": self.type_suggere,
            "couverture": self.couverture,
            "base_id": self.base_id,
        }

    def comptes(self, statut: str) -> dict:
        return {"lignes_retenues": len(self.retenus) if statut != importation.Statut.REJETE else 0,
                "lignes_ignorees": sum(self.ignores.values())}

    def lignes_texte(self) -> list[str]:
        """The full report in French, for the command line."""
        sortie = [f"Lignes lues : {self.lignes_lues} ; communes retenues : {len(self.retenus)}"]
        if self.niveaux:
            sortie.append("Répartition : " + ", ".join(f"{n} {code}" for code, n in self.niveaux.items()))
        for raison, nombre in self.ignores.items():
            sortie.append(f"Ignorées : {nombre} ({raison})")
        if self.non_couvertes:
            sortie.append(f"Communes des régions servies sans niveau dans le fichier ({len(self.non_couvertes)}) : "
                          + ", ".join(self.non_couvertes))
        return sortie + self.lignes_messages()


HORS_REGION = "communes hors des régions servies"
NON_DISPONIBLE_RAISON = "niveau non disponible dans la source"
LIGNES_CITEES = 10  # lines named by a message grouping many rows

# What the agent chose for the region's communes a file leaves without a level.
COMPLETE, PARTIELLE, INCOMPLETE = "complete", "partielle", "incomplete"
COUVERTURES = {
    COMPLETE: "Le fichier classe toutes les communes de la région (sinon il est refusé)",
    PARTIELLE: "Mise à jour partielle : seules les communes du fichier changent ; les autres gardent leur niveau de "
               "la version en vigueur",
    INCOMPLETE: "Version incomplète : les communes absentes du fichier restent sans niveau (motif obligatoire)",
}


def valider_classement(lignes: list[LigneBrute], type_zonage: TypeZonage, territoire: Territoire) -> RapportZonage:
    rapport = RapportZonage(lignes_lues=len(lignes))
    directs: dict[str, tuple[int, str]] = {}  # code → (line, level) given under the commune's own code
    inconnus: dict[str, list[tuple[int, str]]] = {}  # unknown level label → [(line, code)]
    resolus: dict[str, list[tuple[int, str, str]]] = {}  # code → [(line, level, former code)]
    for brute in lignes:
        code = brute.code.upper()
        if code.isdigit() and len(code) == 4:  # spreadsheets drop the leading zero of 01…09 codes
            code = code.zfill(5)
            rapport.avertir(brute.ligne, f"code « {brute.code} » lu comme {code} (zéro initial ajouté)")
        if not CODE_COMMUNE.match(code):
            rapport.erreur(brute.ligne, f"code INSEE invalide : « {brute.code} »")
            continue
        if territoire.departement_de(code) not in territoire.departements_region:
            rapport.ignores[HORS_REGION] += 1
            continue
        if NON_DISPONIBLE.match(brute.niveau) or not brute.niveau:
            rapport.ignores[NON_DISPONIBLE_RAISON] += 1
            rapport.avertir(brute.ligne, f"{code} : niveau non disponible (« {brute.niveau} »)")
            continue
        niveau = niveau_depuis_libelle(type_zonage, brute.niveau)
        if niveau is None:
            inconnus.setdefault(brute.niveau, []).append((brute.ligne, code))
            continue
        if code in territoire.communes_region:
            if code in directs:
                ligne_avant, niveau_avant = directs[code]
                if niveau_avant == niveau.code:
                    rapport.avertir(brute.ligne, f"{code} : doublon de la ligne {ligne_avant}")
                else:
                    rapport.erreur(brute.ligne, f"{code} : niveau {niveau.code} différent de celui de "
                                                f"la ligne {ligne_avant} ({niveau_avant})")
                continue
            directs[code] = (brute.ligne, niveau.code)
        elif code in territoire.rattachees:
            actuelle, type_ = territoire.rattachees[code]
            resolus.setdefault(actuelle, []).append((brute.ligne, niveau.code, code))
        else:
            rapport.erreur(brute.ligne, f"code INSEE inconnu dans les régions servies : {code}")
    _niveaux_inconnus(rapport, inconnus, type_zonage)
    rapport.retenus = {code: niveau for code, (_, niveau) in directs.items()}
    for actuelle, sources in resolus.items():
        _resoudre(rapport, actuelle, sources, directs.get(actuelle), territoire, type_zonage)
    rapport.non_couvertes = sorted(set(territoire.communes_region) - set(rapport.retenus) - rapport.indeterminees)
    rapport.trier()
    return rapport


def _niveaux_inconnus(rapport: RapportZonage, inconnus: dict[str, list[tuple[int, str]]], type_zonage: TypeZonage):
    """One error per unknown level label, at its first line, naming the lines that carry it: a file of another kind
    says so in a few messages, not in one per commune."""
    attendus = ", ".join(n.code for n in type_zonage.niveaux)
    for libelle, lignes in inconnus.items():
        rapport.niveaux_inconnus += len(lignes)
        (premiere, code), = lignes[:1]
        if len(lignes) == 1:
            rapport.erreur(premiere, f"{code} : niveau inconnu « {libelle} » pour le zonage {type_zonage.libelle} "
                                     f"(attendus : {attendus})")
            continue
        citees = ", ".join(str(ligne) for ligne, _ in lignes[:LIGNES_CITEES])
        suite = f" et {len(lignes) - LIGNES_CITEES} autre(s)" if len(lignes) > LIGNES_CITEES else ""
        rapport.erreur(premiere, f"niveau inconnu « {libelle} » pour le zonage {type_zonage.libelle} (attendus : "
                                 f"{attendus}) sur {len(lignes)} lignes : lignes {citees}{suite}")


def verifier_couverture(rapport: RapportZonage, couverture: str, motif: str, territoire: Territoire,
                        base: dict[str, str] | None = None, base_libelle: str = "") -> None:
    """The region's communes the file leaves out: an error unless the agent chose what becomes of them.

    - COMPLETE (default): the file must class every commune of the region;
    - INCOMPLETE: they stay without a level (unknown to users), for the reason given, recorded as a warning;
    - PARTIELLE: only the file's communes change; the others keep their level in `base` (the version in force),
      which must exist.
    Messages without a line come first in the report (trier), before any line's.
    """
    rapport.couverture = couverture
    _couverture(rapport, couverture, motif, territoire, base, base_libelle)
    rapport.trier()


def _couverture(rapport: RapportZonage, couverture: str, motif: str, territoire: Territoire,
                base: dict[str, str] | None, base_libelle: str) -> None:
    absentes = rapport.non_couvertes
    if couverture == PARTIELLE:
        if base is None:
            rapport.erreur(None, "Mise à jour partielle impossible : aucune version publiée de ce type n'est en "
                                 "vigueur à la date d'effet, dont les autres communes garderaient le niveau.")
            return
        changees = sum(1 for code, niveau in rapport.retenus.items() if base.get(code) != niveau)
        rapport.non_couvertes = sorted(set(territoire.communes_region) - set(base) - set(rapport.retenus))
        rapport.avertir(None, f"Mise à jour partielle de la version « {base_libelle} » : {len(rapport.retenus)} "
                              f"commune(s) dans le fichier, dont {changees} changent de niveau ; les "
                              f"{len(set(base) - set(rapport.retenus))} autres communes gardent leur niveau.")
        return
    if not absentes:
        return
    liste = ", ".join(absentes[:LIGNES_CITEES]) + (" …" if len(absentes) > LIGNES_CITEES else "")
    if couverture == INCOMPLETE:
        if not motif.strip():
            rapport.erreur(None, "Version incomplète : dites pourquoi les communes absentes du fichier restent sans "
                                 "niveau (motif obligatoire).")
            return
        rapport.avertir(None, f"Version incomplète acceptée explicitement : {len(absentes)} commune(s) de la région "
                              f"sans niveau ({liste}). Motif : {motif.strip()}")
        return
    rapport.erreur(None, f"Le fichier ne couvre pas la région : {len(absentes)} commune(s) sans niveau ({liste}). "
                         "S'il ne doit changer que les communes qu'il liste, choisissez « mise à jour partielle » ; si "
                         "ces communes doivent rester sans niveau, choisissez « version incomplète » et dites pourquoi.")


def _resoudre(rapport: RapportZonage, actuelle: str, sources, direct, territoire: Territoire, type_zonage: TypeZonage):
    """Former codes of one current commune, given by a file of an older geography.

    - They disagree (with each other or with the commune's own row): "partiellement classée" where the kind has
      such a level (ZRR, FRR: true whatever the other parts are); elsewhere the commune is left without a level,
      with a warning naming every line: the file does not say which level applies to the whole commune.
    - The commune's own code is absent: its former codes' level is carried only if every one of its former communes
      is in the file; otherwise the level of a part would be given to the whole (12218, created in 2026 from 12076
      and a commune absent from the 2024 files): no level, with a warning.
    - Otherwise the level is carried to the current commune, with a warning per former code.
    """
    niveaux = {niveau for _, niveau, _ in sources} | ({direct[1]} if direct else set())
    detail = ", ".join(f"ligne {ligne} ({ancien} : {niveau})" for ligne, niveau, ancien in sources)
    if direct:
        detail += f", ligne {direct[0]} ({actuelle} : {direct[1]})"
    premiere = min(ligne for ligne, _, _ in sources)
    if len(niveaux) > 1:
        if type_zonage.niveau_partiel:
            rapport.retenus[actuelle] = type_zonage.niveau_partiel
            rapport.avertir(premiere, f"la commune {actuelle} réunit des communes de niveaux différents ({detail}) : "
                                      f"classée {type_zonage.niveau_partiel} (partiellement)")
            return
        rapport.retenus.pop(actuelle, None)
        rapport.indeterminees.add(actuelle)
        rapport.avertir(premiere, f"la commune {actuelle} réunit des communes de niveaux différents ({detail}) : "
                                  "laissée sans niveau, le fichier ne dit pas lequel s'applique à la commune actuelle")
        return
    if direct is None:
        presentes = {ancien for _, _, ancien in sources}
        absentes = sorted(set(territoire.anciennes_de(actuelle)) - presentes)
        if absentes:
            rapport.avertir(premiere, f"la commune {actuelle} n'est pas dans le fichier, qui ne donne le niveau que "
                                      f"d'une partie de son territoire ({detail} ; sans {', '.join(absentes)}) : "
                                      "laissée sans niveau, le niveau d'une partie n'est pas celui de toute la commune")
            return
    for ligne, niveau, ancien in sources:
        type_ = CommuneRattachee.Type(territoire.rattachees[ancien][1]).label
        rapport.avertir(ligne, f"{ancien} n'est plus une commune ({type_}) : niveau {niveau} "
                               f"reporté sur la commune actuelle {actuelle}")
    rapport.retenus[actuelle] = niveaux.pop()
