"""The examples the pages give (searches, INSEE codes, API calls), from the served regions: Occitanie's, chosen to
show what the search tolerates (no accent, a postcode, « autour de »), when Occitanie is served; otherwise the two
most populous served communes, read from the data. None when no served commune is loaded."""
from dataclasses import dataclass

from .models import CodePostal, Commune
from .regions_servies import regions_servies


@dataclass(frozen=True)
class Exemples:
    recherche: str  # a commune typed as one would, « beziers »
    departement: str  # a département's name, « lozère »
    code_departement: str
    autour: str  # a commune to search around, « rodez »
    code_postal: str  # « 31000 »; empty when the data has none
    commune: str  # a commune of the API examples, by name and code: Rodez (12202)
    code_insee: str
    recherche_api: str  # a commune searched through the API, « langogne »
    code_zonages: str  # a commune whose zonages the API gives, 48080
    a_comparer: tuple[str, ...]  # INSEE codes to compare


OCCITANIE = Exemples(recherche="beziers", departement="lozère", code_departement="48", autour="rodez",
                     code_postal="31000", commune="Rodez", code_insee="12202", recherche_api="langogne",
                     code_zonages="48080", a_comparer=("82033", "31555"))
PAR_REGION = {"76": OCCITANIE}


def exemples_du_perimetre() -> Exemples | None:
    regions = regions_servies()
    for code, exemples in PAR_REGION.items():
        if regions is None or code in regions:
            return exemples
    communes = list(Commune.objects.servies().select_related("departement")
                    .filter(population__isnull=False).order_by("-population", "code_insee")[:2])
    if not communes:
        return None
    premiere, seconde = communes[0], communes[-1]
    code_postal = CodePostal.objects.filter(commune=premiere).values_list("code", flat=True).first() or ""
    return Exemples(recherche=premiere.nom.lower(), departement=premiere.departement.nom.lower(),
                    code_departement=premiere.departement_id, autour=seconde.nom.lower(), code_postal=code_postal,
                    commune=premiere.nom, code_insee=premiere.code_insee, recherche_api=seconde.nom.lower(),
                    code_zonages=seconde.code_insee, a_comparer=tuple(c.code_insee for c in communes))
