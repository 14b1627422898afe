"""Date-aware reading of zonages: "what is the zonage of commune X for kind K on date D".

A commune's zonages (and QPV) on a date are cached (Redis in production, local memory otherwise) under the "zonages"
(and "qpv") generations of noyau/cache_generations.py: a published, edited or deleted version is visible at once."""
import datetime
from dataclasses import dataclass

from django.db.models import Q

from noyau.cache_generations import en_cache

from .models import QPV, Classement, Zonage
from .niveaux import TYPES


def en_vigueur(jour: datetime.date, prefixe: str = "") -> Q:
    """Published and in force on `jour`; `prefixe` is the path to the Zonage (e.g. "zonage__")."""
    return (Q(**{f"{prefixe}statut": Zonage.Statut.PUBLIE, f"{prefixe}valid_from__lte": jour})
            & (Q(**{f"{prefixe}valid_to__isnull": True}) | Q(**{f"{prefixe}valid_to__gte": jour})))


@dataclass(frozen=True)
class ZonageCommune:
    """The level of one commune for one kind on one date, with where it comes from."""

    type: str
    niveau: str | None
    libelle: str | None
    zonage: Zonage | None

    @property
    def type_libelle(self) -> str:
        return TYPES[self.type].libelle

    @property
    def teinte(self) -> str:
        niveau = TYPES[self.type].niveau(self.niveau) if self.niveau else None
        return niveau.teinte if niveau else "gris"


def zonage_de(code_insee: str, type_zonage: str, jour: datetime.date) -> ZonageCommune:
    """One indexed query (none when cached): read with every kind of the commune, which is cached."""
    return zonages_de(code_insee, jour)[type_zonage]


def zonages_de(code_insee: str, jour: datetime.date) -> dict[str, ZonageCommune]:
    """Every kind, in one query (none when cached); a kind with no version in force (or no level for the commune)
    has niveau None."""
    def construire():
        classements = {}
        # Latest version first: should two published versions of a kind overlap, the newer one wins (as on the map).
        for c in (Classement.objects.select_related("zonage").filter(en_vigueur(jour, "zonage__"), commune_id=code_insee)
                  .order_by("-zonage__valid_from")):
            classements.setdefault(c.zonage.type, c)
        return {code: _depuis(code, classements.get(code)) for code in TYPES}
    return en_cache(f"zonages:commune:{code_insee}:{jour.isoformat()}", ("zonages",), construire)


def version_en_vigueur(type_zonage: str, jour: datetime.date) -> Zonage | None:
    return Zonage.objects.filter(en_vigueur(jour), type=type_zonage).first()


def qpv_de_la_commune(code_insee: str, jour: datetime.date) -> list[QPV]:
    """The QPV of the commune in force on `jour` (without their geometry); cached."""
    return en_cache(f"zonages:qpv-commune:{code_insee}:{jour.isoformat()}", ("qpv", "territoires"), lambda: list(
        QPV.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=jour), communes=code_insee,
                           valid_from__lte=jour).defer("geometrie").order_by("code")))


def _depuis(type_zonage: str, classement: Classement | None) -> ZonageCommune:
    if classement is None:
        return ZonageCommune(type_zonage, None, None, None)
    niveau = TYPES[type_zonage].niveau(classement.niveau)
    return ZonageCommune(type_zonage, classement.niveau, niveau.libelle if niveau else classement.niveau,
                         classement.zonage)
