"""What a change (Evenement) changes at one place for one profession, in plain French: the zonage level, and each
aid or constraint whose answer differs, from the change's date. The engine answers the case twice, as it was and as
it is, for a person who has said nothing of their situation; the lines are the differences."""
import datetime
from dataclasses import dataclass
from functools import cached_property

from aides import catalogue
from aides.eligibilite.faits import PROFESSIONS, Situation
from aides.eligibilite.moteur import (
    A_PRECISER,
    AU_CHOIX,
    ELIGIBLE,
    FERME,
    NON_ELIGIBLE,
    ResultatAide,
    evaluer,
    feuilles_du_lieu,
    montant_en_texte,
)
from aides.eligibilite.regles import OBLIGATION, construire
from aides.region import Lieu, faits_du_lieu, lieux_de_la_region
from aides.simulation import ZONAGE_DE_LA_PROFESSION, couches_en_vigueur
from zonages.models import Classement, Zonage
from zonages.niveaux import TYPES

from .models import Evenement

UN_JOUR = datetime.timedelta(days=1)
ETATS_AIDE = {ELIGIBLE: "éligible", AU_CHOIX: "éligible, au choix", A_PRECISER: "à vérifier",
              FERME: "fermée aux nouvelles demandes", None: "non éligible"}
ETATS_CONTRAINTE = {ELIGIBLE: "s'applique", A_PRECISER: "à préciser", FERME: "fermée", None: "ne s'applique pas"}


@dataclass(frozen=True)
class Changement:
    profession: str
    lignes: tuple[str, ...]

    @property
    def libelle_profession(self) -> str:
        return PROFESSIONS[self.profession]


class Analyse:
    """One change, ready to be asked about any place: the catalogues before and after it, the versions concerned."""

    def __init__(self, evenement: Evenement):
        self.evenement = evenement
        self.jour = evenement.date_effet
        self.dispositifs = catalogue.dispositifs()

    @cached_property
    def catalogues(self) -> tuple[list, list]:
        """The rules as they were and as they are (only the changed one differs)."""
        if self.evenement.nature == Evenement.Nature.ZONAGE:
            return self.dispositifs, self.dispositifs
        code = self.evenement.code_dispositif
        autres = [d for d in self.dispositifs if d.code != code]
        return tuple(autres + ([construire(regle)] if regle else [])
                     for regle in (self.evenement.regle_avant, self.evenement.regle_apres))

    @cached_property
    def professions(self) -> list[str]:
        """The professions whose answers the change can touch."""
        if self.evenement.nature != Evenement.Nature.ZONAGE:
            regles = (self.evenement.regle_avant, self.evenement.regle_apres)
            return [p for p in PROFESSIONS if any(p in (regle or {}).get("professions", ()) for regle in regles)]
        type_zonage = self.evenement.zonage.type
        return [p for p in PROFESSIONS if ZONAGE_DE_LA_PROFESSION.get(p) == type_zonage or any(
            nom == "zonage" and parametre["type"] == type_zonage
            for nom, parametre in feuilles_du_lieu(self.dispositifs, self.jour, p))]

    @cached_property
    def _niveaux(self) -> tuple[dict[str, str], dict[str, str] | None]:
        """The levels of the published version, and of the one in force the day before it (None: none was)."""
        version = self.evenement.zonage
        precedente = (Zonage.objects.filter(type=version.type, statut=Zonage.Statut.PUBLIE,
                                            valid_from__lte=self.jour - UN_JOUR)
                      .exclude(pk=version.pk).exclude(valid_to__lt=self.jour - UN_JOUR).order_by("-valid_from").first())
        niveaux = dict(Classement.objects.filter(zonage=version).values_list("commune_id", "niveau"))
        avant = (dict(Classement.objects.filter(zonage=precedente).values_list("commune_id", "niveau"))
                 if precedente else None)
        return niveaux, avant

    def pour(self, lieu: Lieu, profession: str) -> tuple[str, ...]:
        """What changes at `lieu` for `profession` (nothing: an empty tuple)."""
        if profession not in self.professions:
            return ()
        couches = couches_en_vigueur(self.jour)
        if self.evenement.nature != Evenement.Nature.ZONAGE:
            faits = faits_du_lieu(lieu, profession, self.jour, Situation(), couches)
            avant, apres = self.catalogues
            return _differences(evaluer(avant, faits), evaluer(apres, faits))
        type_zonage = self.evenement.zonage.type
        niveaux, precedents = self._niveaux
        niveau = niveaux.get(lieu.code_insee)
        niveau_avant = precedents.get(lieu.code_insee) if precedents is not None else None
        if niveau == niveau_avant and (precedents is not None or niveau is None):
            return ()
        couches_avant = couches | {type_zonage} if precedents is not None else couches - {type_zonage}
        faits_avant = faits_du_lieu(lieu._replace(zonages={**lieu.zonages, type_zonage: niveau_avant}), profession,
                                    self.jour, Situation(), couches_avant)
        faits_apres = faits_du_lieu(lieu._replace(zonages={**lieu.zonages, type_zonage: niveau}), profession,
                                    self.jour, Situation(), couches | {type_zonage})
        lignes = _differences(evaluer(self.dispositifs, faits_avant), evaluer(self.dispositifs, faits_apres))
        if niveau != niveau_avant and (lignes or ZONAGE_DE_LA_PROFESSION.get(profession) == type_zonage):
            lignes = (f"Zonage « {TYPES[type_zonage].libelle} » : {_niveau(type_zonage, niveau_avant, precedents)} → "
                      f"{_niveau(type_zonage, niveau, niveaux)}", *lignes)
        return lignes

    def changements(self, code_insee: str) -> list[Changement]:
        """For every profession concerned, what changes at the commune."""
        lieu = lieux_de_la_region(self.jour).get(code_insee)
        if lieu is None:
            return []
        return [Changement(p, lignes) for p in self.professions if (lignes := self.pour(lieu, p))]


def _niveau(type_zonage: str, niveau: str | None, version: dict | None) -> str:
    if niveau:
        detail = TYPES[type_zonage].niveau(niveau)
        return detail.libelle.lower() if detail else niveau
    return "aucune version en vigueur" if version is None else "non classée par la version"


def _etat(resultat: ResultatAide | None) -> tuple[str | None, str | None]:
    """Its answer as compared: not listed and not eligible alike (a new rule that does not apply here changes
    nothing here)."""
    if resultat is None or resultat.statut == NON_ELIGIBLE:
        return None, None
    return resultat.statut, montant_en_texte(resultat.montant) if resultat.montant else None


def _differences(avant: list[ResultatAide], apres: list[ResultatAide]) -> tuple[str, ...]:
    anciens = {r.dispositif.code: r for r in avant}
    nouveaux = {r.dispositif.code: r for r in apres}
    lignes = []
    for code in [*nouveaux, *(c for c in anciens if c not in nouveaux)]:
        (statut_avant, montant_avant), (statut, montant) = _etat(anciens.get(code)), _etat(nouveaux.get(code))
        if (statut_avant, montant_avant) == (statut, montant):
            continue
        dispositif = (nouveaux.get(code) or anciens[code]).dispositif
        obligation = dispositif.nature == OBLIGATION
        etats = ETATS_CONTRAINTE if obligation else ETATS_AIDE
        nom = f"Contrainte d'installation « {dispositif.nom} »" if obligation else dispositif.nom
        if statut_avant == statut:
            ligne = f"{nom} : montant {montant_avant or 'à préciser'} → {montant or 'à préciser'}"
        else:
            ligne = f"{nom} : {etats[statut_avant]} → {etats[statut]}" + (f", {montant}" if montant else "")
        lignes.append(ligne)
    return tuple(lignes)
