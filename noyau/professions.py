"""The health professions the portal serves, by a stable code shared by the aids engine, structures, filters and
the API."""

PROFESSIONS: dict[str, str] = {
    "medecin-generaliste": "Médecin généraliste",
    "medecin-specialiste": "Médecin spécialiste",
    "chirurgien-dentiste": "Chirurgien-dentiste",
    "infirmier": "Infirmier",
    "masseur-kinesitherapeute": "Masseur-kinésithérapeute",
    "orthophoniste": "Orthophoniste",
    "orthoptiste": "Orthoptiste",
    "pharmacien": "Pharmacien",
    "sage-femme": "Sage-femme",
    "pedicure-podologue": "Pédicure-podologue",
}

CHOIX_PROFESSIONS = list(PROFESSIONS.items())


def libelle(code: str) -> str:
    return PROFESSIONS.get(code, code)
