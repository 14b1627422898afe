"""Closed vocabulary of zonage kinds and their levels, with stable codes and French labels.

Sources: the arrêtés and CartoSanté files named in donnees/PROVENANCE.md (ZAR = zone d'appui régional in Occitanie; paramedical classes; the
"non prioritaire" class of the newer dentist and kiné texts; orthophonistes' "sous-dense" since 1/3/2023).
CartoSanté writes levels as `1_ZIP`, `2_ZAC`, `1_Tres_sous_dotee`…: `niveau_depuis_libelle` maps those, our codes
and the French labels onto the stable codes.
"""
import re
from dataclasses import dataclass

from territoires.normalisation import normaliser_nom


@dataclass(frozen=True)
class Niveau:
    code: str
    libelle: str
    couleur: str  # map fill colour, from most to least in need (DSFR illustrative palette)

    @property
    def teinte(self) -> str:
        return TEINTES[self.couleur]


@dataclass(frozen=True)
class TypeZonage:
    code: str
    libelle: str
    famille: str  # "profession" or "superposition"
    niveaux: tuple[Niveau, ...]
    # Level of a commune nouvelle whose former communes had different levels, where the kind has one (ZRR, FRR:
    # "partiellement classée"); elsewhere such a disagreement is an error for ARS staff to settle.
    niveau_partiel: str | None = None
    # Labels of official files that the generic reading cannot tell apart ("FRR+" and "FRR socle" differ by a sign),
    # by their lower-case, accent-free form with spaces kept: {label: level code}.
    libelles_officiels: tuple[tuple[str, str], ...] = ()
    # Where the official classification can be read when the portal holds no version in force (said to users).
    ou_verifier: str = ""
    # The professions (noyau.professions codes) this kind classifies communes for; none for an overlay.
    professions: tuple[str, ...] = ()

    def niveau(self, code: str) -> Niveau | None:
        return next((n for n in self.niveaux if n.code == code), None)


# Official places to check a classification the portal does not hold.
VERIFIER_CARTOSANTE = ("le zonage publié par l'ARS sur CartoSanté (https://cartosante.atlasante.fr) ou auprès de "
                       "l'ARS de la région")
VERIFIER_OBSERVATOIRE = "l'Observatoire des territoires de l'ANCT (https://www.observatoire-des-territoires.gouv.fr)"
VERIFIER_QPV = "le système d'information géographique de la politique de la ville (https://sig.ville.gouv.fr)"

_ROUGE, _ORANGE, _JAUNE, _VERT, _BLEU, _GRIS = "#ce0500", "#fc5d00", "#ffca00", "#68a532", "#6a6af4", "#929292"
# Name of each colour, for CSS classes (pages use classes, not inline styles).
TEINTES = {_ROUGE: "rouge", _ORANGE: "orange", _JAUNE: "jaune", _VERT: "vert", _BLEU: "bleu", _GRIS: "gris"}

NIVEAUX_PARAMEDICAUX = (
    Niveau("TSD", "Très sous-dotée", _ROUGE),
    Niveau("SD", "Sous-dotée", _ORANGE),
    Niveau("INT", "Intermédiaire", _JAUNE),
    Niveau("TD", "Très dotée", _VERT),
    Niveau("SURD", "Sur-dotée", _BLEU),
    Niveau("NP", "Non prioritaire", _BLEU),
)

TYPES: dict[str, TypeZonage] = {t.code: t for t in [
    TypeZonage("medecin", "Médecins généralistes", "profession", (
        Niveau("ZIP", "Zone d'intervention prioritaire", _ROUGE),
        Niveau("ZAC", "Zone d'action complémentaire", _ORANGE),
        Niveau("ZAR", "Zone d'appui régional", _JAUNE),
        Niveau("HZ", "Hors zonage", _GRIS),
    ), ou_verifier=VERIFIER_CARTOSANTE, professions=("medecin-generaliste",)),
    TypeZonage("infirmier", "Infirmiers", "profession", NIVEAUX_PARAMEDICAUX, ou_verifier=VERIFIER_CARTOSANTE,
               professions=("infirmier",)),
    TypeZonage("masseur-kinesitherapeute", "Masseurs-kinésithérapeutes", "profession", NIVEAUX_PARAMEDICAUX,
               ou_verifier=VERIFIER_CARTOSANTE, professions=("masseur-kinesitherapeute",)),
    TypeZonage("sage-femme", "Sages-femmes", "profession", NIVEAUX_PARAMEDICAUX, ou_verifier=VERIFIER_CARTOSANTE,
               professions=("sage-femme",)),
    TypeZonage("chirurgien-dentiste", "Chirurgiens-dentistes", "profession", NIVEAUX_PARAMEDICAUX,
               ou_verifier=VERIFIER_CARTOSANTE, professions=("chirurgien-dentiste",)),
    TypeZonage("orthophoniste", "Orthophonistes", "profession", (
        Niveau("SOUS_DENSE", "Sous-dense", _ROUGE),
        Niveau("INT", "Intermédiaire", _JAUNE),
        Niveau("TD", "Très dotée", _VERT),
        Niveau("SURD", "Sur-dotée", _BLEU),
    ), ou_verifier=VERIFIER_CARTOSANTE, professions=("orthophoniste",)),
    TypeZonage("montagne", "Zone de montagne", "superposition", (
        Niveau("C", "Classée en zone de montagne", _VERT), Niveau("NC", "Non classée", _GRIS),
    ), ou_verifier=f"la liste des communes classées en zone de montagne sur {VERIFIER_OBSERVATOIRE}"),
    TypeZonage("zrr", "Zone de revitalisation rurale (ZRR)", "superposition", (
        Niveau("C", "Classée en ZRR", _VERT), Niveau("PC", "Partiellement classée", _JAUNE),
        Niveau("NC", "Non classée", _GRIS),
    ), niveau_partiel="PC", ou_verifier=f"la liste des communes classées en ZRR sur {VERIFIER_OBSERVATOIRE}"),
    # FRR classes as the DGCL list of 10 July 2025 writes them; they are kept apart because the tax schemes treat
    # them differently (FRR+ since 1/1/2025; "bénéficiaire": former ZRR keeping the FRR effects, arrêté of 14/4/2025).
    TypeZonage("frr", "France Ruralités Revitalisation (FRR)", "superposition", (
        Niveau("SOCLE", "Classée FRR (socle)", _VERT),
        Niveau("PLUS", "Classée FRR+", _BLEU),
        Niveau("BENEF", "Bénéficiaire des effets FRR (ancienne ZRR)", _ORANGE),
        Niveau("BENEF_PC", "Bénéficiaire des effets FRR en partie", _JAUNE),
        Niveau("PC", "Classée FRR en partie", _JAUNE),
        Niveau("NC", "Non classée", _GRIS),
    ), niveau_partiel="PC", libelles_officiels=(
        ("frr socle", "SOCLE"), ("frr+", "PLUS"), ("frr +", "PLUS"), ("frr beneficiaire", "BENEF"),
        ("frr beneficiaire partiellement", "BENEF_PC"), ("classee frr partiellement", "PC"), ("non classee", "NC"),
    ), ou_verifier=f"la liste des communes France Ruralités Revitalisation sur {VERIFIER_OBSERVATOIRE}"),
]}

CHOIX_TYPES = [(t.code, t.libelle) for t in TYPES.values()]


def type_de_la_profession(profession: str) -> TypeZonage | None:
    """The zonage kind that classifies communes for `profession`, if any (none for a pharmacist, a specialist…)."""
    return next((t for t in TYPES.values() if profession in t.professions), None)

# Aliases seen in official files that neither our codes nor the labels give. CartoSanté: 3_HZ, "Tres_dotee"…
_ALIAS = {"hz": "HZ", "hors zonage": "HZ", "tsd": "TSD", "sd": "SD", "intermediaire": "INT",
          "non classee": "NC", "classee": "C", "partiellement classee": "PC", "sur dotee": "SURD",
          "tres dotee": "TD", "sous dotee": "SD", "tres sous dotee": "TSD", "sous dense": "SOUS_DENSE",
          "non prioritaire": "NP"}
# CartoSanté numbers its levels, sometimes with a letter: "1_ZIP", "5b_Non_prioritaire", "1b_Sous_dense".
_PREFIXE_NUMERIQUE = re.compile(r"^\d+[a-z]?_", re.IGNORECASE)
NON_DISPONIBLE = re.compile(r"^\s*(n/?a\b|non disponible)", re.IGNORECASE)


def niveau_depuis_libelle(type_zonage: TypeZonage, libelle: str) -> Niveau | None:
    """`4_ZAR`, `ZAR`, `Zone d'appui régional`, `1_Tres_sous_dotee`, `C` → the level, or None if unknown."""
    brut = _PREFIXE_NUMERIQUE.sub("", libelle.strip())
    if niveau := type_zonage.niveau(brut.upper()):
        return niveau
    if type_zonage.libelles_officiels:
        officiel = " ".join(normaliser_nom(mot) + ("+" if mot.endswith("+") else "") for mot in brut.split())
        if code := dict(type_zonage.libelles_officiels).get(officiel.replace(" +", "+")):
            return type_zonage.niveau(code)
    cle = normaliser_nom(brut.replace("_", " "))
    for niveau in type_zonage.niveaux:
        if cle in {normaliser_nom(niveau.libelle), niveau.code.lower()}:
            return niveau
    code = _ALIAS.get(cle)
    return type_zonage.niveau(code) if code else None
