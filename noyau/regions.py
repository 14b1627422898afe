"""The regions of France by INSEE code: the served regions (PAPS_REGIONS) and the regions a regional scheme applies
in (aides/regles/*.yaml) are among them; and how the portal's texts name them (« en Occitanie », « ARS Occitanie »)."""
from collections.abc import Iterable

# The eighteen regions (INSEE, Code officiel géographique 2024).
REGIONS_INSEE = {
    "01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte",
    "11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté", "28": "Normandie",
    "32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire", "53": "Bretagne",
    "75": "Nouvelle-Aquitaine", "76": "Occitanie", "84": "Auvergne-Rhône-Alpes", "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
# French grammar where it is not « en X » / « de X » (« d'X » before a vowel).
EN = {"04": "à La Réunion", "06": "à Mayotte", "32": "dans les Hauts-de-France", "44": "dans le Grand Est",
      "52": "dans les Pays de la Loire"}
DE = {"24": "du Centre-Val de Loire", "32": "des Hauts-de-France", "44": "du Grand Est", "52": "des Pays de la Loire"}
VOYELLES = tuple("AEIOUYÂÉÈÊÎÔ")
# The collectivity holding a region's powers where it is not a « Région »: single collectivities since 2016
# (Martinique, Guyane) and 2018 (Corse); the département of Mayotte exercises them.
COLLECTIVITES = {"02": "Collectivité territoriale de Martinique", "03": "Collectivité territoriale de Guyane",
                 "06": "Département de Mayotte", "94": "Collectivité de Corse"}
# The national portal of the agences régionales de santé, listing every ARS; and the ARS sites the portal checked
# (public pages of those addresses). Any other ARS is reached through the national portal, never a guessed address.
PORTAIL_ARS = "https://www.ars.sante.fr"
SITES_ARS = {"76": "https://www.occitanie.ars.sante.fr", "84": "https://www.auvergne-rhone-alpes.ars.sante.fr"}


def _codes(codes: Iterable[str] | None) -> list[str] | None:
    """The known codes, in order; None for all of France (or when none is known)."""
    connus = sorted({str(c).strip() for c in codes or ()} & set(REGIONS_INSEE))
    return connus or None


def _enumeration(mots: list[str]) -> str:
    return mots[0] if len(mots) == 1 else f"{', '.join(mots[:-1])} et {mots[-1]}"


def nom_des_regions(codes: Iterable[str] | None) -> str:
    """« Occitanie », « Occitanie et Auvergne-Rhône-Alpes », « France » (None: every region)."""
    connus = _codes(codes)
    return "France" if connus is None else _enumeration([REGIONS_INSEE[c] for c in connus])


def en_region(code: str) -> str:
    return EN.get(code, f"en {REGIONS_INSEE[code]}")


def de_region(code: str) -> str:
    nom = REGIONS_INSEE[code]
    return DE.get(code, ("d'" if nom.upper().startswith(VOYELLES) else "de ") + nom)


def en_regions(codes: Iterable[str] | None) -> str:
    """« en Occitanie », « en Occitanie et en Auvergne-Rhône-Alpes », « en France »."""
    connus = _codes(codes)
    return "en France" if connus is None else _enumeration([en_region(c) for c in connus])


def des_regions(codes: Iterable[str] | None) -> str:
    """« d'Occitanie », « d'Occitanie et d'Auvergne-Rhône-Alpes », « de France »."""
    connus = _codes(codes)
    return "de France" if connus is None else _enumeration([de_region(c) for c in connus])


def ars_de(code: str) -> str:
    """« ARS Occitanie »: each region has its agence régionale de santé, named after it."""
    return f"ARS {REGIONS_INSEE[code]}"


def collectivite_de(code: str) -> str:
    """« Région Occitanie », or the collectivity holding the region's powers (COLLECTIVITES)."""
    return COLLECTIVITES.get(code, f"Région {REGIONS_INSEE[code]}")
