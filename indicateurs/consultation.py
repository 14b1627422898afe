"""Reading the APL: one commune's values by year, and each département's distribution for a year (computed from the
communes' published values; the portal computes no APL of its own)."""
import statistics
from dataclasses import dataclass

from noyau.cache_generations import en_cache

from .models import ValeurApl


def apl_de(code_insee: str) -> list[ValeurApl]:
    """The commune's values, latest year first (none when no file gives it)."""
    return list(ValeurApl.objects.filter(commune_id=code_insee).order_by("-annee"))


def annees() -> list[int]:
    return list(ValeurApl.objects.order_by("-annee").values_list("annee", flat=True).distinct())


@dataclass(frozen=True)
class DistributionApl:
    departement: str
    nom: str
    communes: int
    minimum: float
    mediane: float
    maximum: float
    moyenne_ponderee: float | None  # by each commune's total population, where the file gives it


def distribution_par_departement(annee: int, departement: str | None = None,
                                  region: str | None = None) -> list[DistributionApl]:
    """Per département of `departement`, else of the region `region` (INSEE code), else of every loaded one."""
    def construire():
        valeurs = ValeurApl.objects.filter(annee=annee)
        if departement:
            valeurs = valeurs.filter(commune__departement_id=departement)
        elif region:
            valeurs = valeurs.filter(commune__departement__region_id=region)
        par_departement: dict[tuple[str, str], list[tuple[float, int | None]]] = {}
        for code, nom, apl, population in valeurs.values_list("commune__departement_id", "commune__departement__nom",
                                                               "apl", "population_totale"):
            par_departement.setdefault((code, nom), []).append((apl, population))
        resultat = []
        for (code, nom), lignes in sorted(par_departement.items()):
            apls = [apl for apl, _ in lignes]
            ponderees = [(apl, pop) for apl, pop in lignes if pop]
            total = sum(pop for _, pop in ponderees)
            resultat.append(DistributionApl(code, nom, len(apls), min(apls), statistics.median(apls), max(apls),
                                            sum(a * p for a, p in ponderees) / total if total else None))
        return resultat
    portee = departement or (f"region-{region}" if region else "region")
    return en_cache(f"apl:distribution:{annee}:{portee}", ("indicateurs", "territoires"), construire)
