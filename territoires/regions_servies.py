"""Which regions the portal serves: the PAPS_REGIONS setting (INSEE region codes, comma-separated, or « toutes »).

Territories outside the served regions are not loaded, searched, shown nor imported. This is the one place that reads
the setting; everything else asks here.
"""
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from noyau.regions import (
    PORTAIL_ARS,
    REGIONS_INSEE,
    SITES_ARS,
    ars_de,
    des_regions,
    en_regions,
    nom_des_regions,
)

from .codes import departement_du_code

TOUTES = "toutes"


def lire_reglage(valeur) -> frozenset[str] | None:
    """The served region codes from the setting's value (a string, or a list in tests), None for « toutes ». Raises
    ImproperlyConfigured (in French) for an empty value or an unknown code."""
    codes = valeur if isinstance(valeur, (list, tuple, frozenset, set)) else str(valeur or "").split(",")
    return _lire(tuple(str(c).strip() for c in codes if str(c).strip()))


@lru_cache(maxsize=8)
def _lire(codes: tuple[str, ...]) -> frozenset[str] | None:
    if [c.lower() for c in codes] == [TOUTES]:
        return None
    if not codes:
        raise ImproperlyConfigured("PAPS_REGIONS est vide : indiquez les codes INSEE des régions servies, séparés par "
                                   "des virgules (ex. « 76 » ou « 76,84 »), ou « toutes ».")
    inconnus = [c for c in codes if c not in REGIONS_INSEE]
    if inconnus:
        raise ImproperlyConfigured(
            f"PAPS_REGIONS : code de région inconnu « {inconnus[0][:20]} ». Codes INSEE possibles : "
            f"{', '.join(sorted(REGIONS_INSEE))}, ou « toutes » (ex. « 76 » pour l'Occitanie).")
    return frozenset(codes)


def regions_servies() -> frozenset[str] | None:
    """The codes of the served regions; None when the portal serves all of them."""
    return lire_reglage(settings.PAPS_REGIONS)


def region_servie(code_region: str | None) -> bool:
    regions = regions_servies()
    return regions is None or code_region in regions


def filtre_region(chemin_region: str) -> dict:
    """Keyword arguments restricting a queryset to the served regions through `chemin_region` (e.g.
    "departement__region_id"); empty when all are served."""
    regions = regions_servies()
    return {} if regions is None else {f"{chemin_region}__in": sorted(regions)}


def cle_des_regions_servies() -> str:
    """The served regions as a part of a cache key: « 76 », « 76-84 », « toutes »."""
    regions = regions_servies()
    return TOUTES if regions is None else "-".join(sorted(regions))


def codes_des_regions_servies() -> list[str]:
    """The served regions' codes in order; every region of France when all are served."""
    regions = regions_servies()
    return sorted(REGIONS_INSEE if regions is None else regions)


class RegionNonServie(LookupError):
    """A region of France that the portal does not serve: pages answer 404 with its French message."""


def lire_region(valeur: str | None) -> str | None:
    """The region a page is asked for (?region=84): its INSEE code, None when none is asked. Raises ValueError, with a
    French message, for what is no region's code, and RegionNonServie for a region outside PAPS_REGIONS."""
    code = str(valeur or "").strip()
    if not code:
        return None
    if code not in REGIONS_INSEE:
        choix = ", ".join(f"{c} ({REGIONS_INSEE[c]})" for c in codes_des_regions_servies())
        raise ValueError(f"« {code[:20]} » n'est pas le code INSEE d'une région. Régions de ce portail : {choix}.")
    if not region_servie(code):
        raise RegionNonServie(message_hors_regions(f"la région {REGIONS_INSEE[code]}"))
    return code


def noms_des_regions_servies() -> list[str]:
    regions = regions_servies()
    return [] if regions is None else [REGIONS_INSEE[c] for c in sorted(regions)]


def nom_du_perimetre() -> str:
    """« Occitanie », « Occitanie et Auvergne-Rhône-Alpes », or « France » when all regions are served."""
    return nom_des_regions(regions_servies())


def message_hors_regions(quoi: str) -> str:
    """The 404 message for a territory outside the served regions (`quoi`: « la commune Paris (75056) »…)."""
    return f"Aucune donnée ici pour {quoi} : ce portail ne sert que {nom_du_perimetre()}. Consultez le portail de sa région."


def _departement_francais(code: str) -> bool:
    """Whether `code` is the code of a département (01 to 95 but 20, 2A, 2B, 971 to 974, 976; not the overseas
    collectivités: 975 Saint-Pierre-et-Miquelon, 977, 978, 984, 986 to 988)."""
    return code in {"2A", "2B"} or (code.isdigit() and (1 <= int(code) <= 95 and code != "20"
                                                        or code in {"971", "972", "973", "974", "976"}))


def message_commune_hors_regions(code: str) -> str | None:
    """The French message when `code` is a commune of a region the portal does not serve (Paris on a portal for
    Occitanie), whether that commune is stored or not; None otherwise."""
    from .models import Commune, Departement  # the models use this module's filters

    code = str(code or "")[:10].upper()
    commune = Commune.objects.filter(code_insee=code).select_related("departement").only(
        "nom", "departement__region_id").first()
    if commune is not None:
        return None if region_servie(commune.departement.region_id) else \
            message_hors_regions(f"la commune {commune.nom} ({code})")
    departement = departement_du_code(code)
    if not _departement_francais(departement) or len(code) != 5 or \
            Departement.objects.servis().filter(code=departement).exists():
        return None
    return (f"Aucune commune de code INSEE « {code} » dans {nom_du_perimetre()} : ce portail ne sert pas le "
            f"département {departement}. Consultez le portail de sa région.")


def nom_du_portail() -> str:
    """« PAPS Occitanie », « PAPS Occitanie et Auvergne-Rhône-Alpes », « PAPS France »."""
    return f"PAPS {nom_du_perimetre()}"


def en_perimetre() -> str:
    """« en Occitanie », « en Occitanie et en Auvergne-Rhône-Alpes », « en France »."""
    return en_regions(regions_servies())


def du_perimetre() -> str:
    """« d'Occitanie », « d'Occitanie et d'Auvergne-Rhône-Alpes », « de France »."""
    return des_regions(regions_servies())


def region_unique() -> str | None:
    """The served region's code when the portal serves one region (every commune of the portal is in it)."""
    regions = regions_servies()
    return next(iter(regions)) if regions is not None and len(regions) == 1 else None


def ars_du_perimetre() -> str:
    """« l'ARS Occitanie » for one region; « l'ARS de votre région (Occitanie ou Auvergne-Rhône-Alpes) » for several;
    « l'ARS de votre région » for all."""
    if (code := region_unique()) is not None:
        return f"l'{ars_de(code)}"
    noms = noms_des_regions_servies()
    return f"l'ARS de votre région ({' ou '.join(noms)})" if noms else "l'ARS de votre région"


def sites_ars_du_perimetre() -> list[dict]:
    """The sites of the served regions' ARS the portal checked (noyau.regions.SITES_ARS), and the national portal
    listing every ARS when some served region's site is not known (or all regions are served)."""
    regions = regions_servies()
    codes = sorted(regions) if regions is not None else []
    sites = [{"titre": ars_de(c), "url": SITES_ARS[c]} for c in codes if c in SITES_ARS]
    if regions is None or len(sites) < len(codes):
        sites.append({"titre": "Les agences régionales de santé", "url": PORTAIL_ARS})
    for site in sites:
        site["hote"] = site["url"].removeprefix("https://").removeprefix("www.")
    return sites
