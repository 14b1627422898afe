"""What an INSEE code says by itself, without the database."""

# The two-digit prefixes of the three-digit codes: the overseas départements (971 to 976) and collectivités
# (975, 977, 978, 984, 986 to 988; INSEE's code officiel géographique).
PREFIXES_OUTRE_MER = ("97", "98")


def departement_du_code(code_insee: str) -> str:
    """The département (or overseas collectivité) of a commune's code: its first three characters overseas, its
    first two elsewhere (2A, 2B included)."""
    return code_insee[:3] if code_insee[:2] in PREFIXES_OUTRE_MER else code_insee[:2]
