"""The ACI CPTS funding bracket of a CPTS, read from the shared dated rule (aides/regles/ACI-CPTS.yaml, through the
aids catalogue and engine): no figure is copied here."""
import datetime
from dataclasses import dataclass

from django.utils import timezone

from aides.catalogue import dispositif
from aides.eligibilite.faits import Faits, Situation
from aides.eligibilite.moteur import evaluer_dispositif
from aides.eligibilite.regles import Montant

CODE_ACI = "ACI-CPTS"


@dataclass(frozen=True)
class TrancheAci:
    # "tranche" (amount found), "montant_a_preciser" (the bracket is known, its amount is not: the rule says why),
    # "population_inconnue", "sans_regle" (no rule in force on the date)
    etat: str
    montant: Montant | None = None
    population: int | None = None
    origine_population: str = ""  # "calculee" or "declaree"
    valid_from: datetime.date | None = None
    nom_dispositif: str = ""


def tranche_aci(population: int | None, origine: str = "", jour: datetime.date | None = None) -> TrancheAci:
    """The bracket for a territory of `population` inhabitants on `jour` (today by default)."""
    jour = jour or timezone.localdate()
    regle = dispositif(CODE_ACI)
    if regle is None:
        return TrancheAci("sans_regle", population=population, origine_population=origine)
    # The CPTS itself is the applicant: a validated projet de santé carried by a CPTS; the population chooses the
    # amount variant. The commune fields are irrelevant to this rule and left empty.
    faits = Faits(code_insee="", nom_commune="", departement="", population=None, profession="", date=jour,
                  situation=Situation(porteur_projet="cpts", exercice_coordonne="cpts", projet_de_sante_valide=True,
                                      population_cpts=population))
    resultat = evaluer_dispositif(regle, faits)
    if resultat is None:
        return TrancheAci("sans_regle", population=population, origine_population=origine, nom_dispositif=regle.nom)
    commun = {"population": population, "origine_population": origine, "valid_from": resultat.version.valid_from,
              "nom_dispositif": regle.nom}
    if population is None or resultat.montant is None:
        return TrancheAci("population_inconnue", **commun)
    if resultat.montant.a_preciser:
        return TrancheAci("montant_a_preciser", montant=resultat.montant, **commun)
    return TrancheAci("tranche", montant=resultat.montant, **commun)


def tranche_aci_de(cpts, jour: datetime.date | None = None) -> TrancheAci:
    """The computed population when communes are attached, otherwise the declared one (labelled as such)."""
    calculee = cpts.population_calculee(jour)
    if calculee is not None:
        return tranche_aci(calculee, "calculee", jour)
    if cpts.population_declaree is not None:
        return tranche_aci(cpts.population_declaree, "declaree", jour)
    return tranche_aci(None, "", jour)
