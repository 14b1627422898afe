"""Commune search: by name (accent-, case- and punctuation-insensitive), INSEE code or postal code.

Ranking: exact match first, then prefix matches, then matches at the start of another word of the name;
within each group, the most populated communes first. A query may also name a département (its page is offered
first), or ask for the communes "autour de" a commune.
"""
import re

from django import forms
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from .models import CodePostal, Commune, Departement
from .normalisation import normaliser_nom

# What looks like the beginning of an INSEE or postal code: two to five digits, or a Corsican code (2A…, 2B…).
DEBUT_DE_CODE = re.compile(r"^(\d{2,5}|2[ab]\d{0,3})$", re.IGNORECASE)
# A whole INSEE code, alone or at the end of « Nom (code) » as the autocomplete writes it.
CODE_ENTRE_PARENTHESES = re.compile(r"\((\d{5}|2[ab]\d{3})\)\s*$", re.IGNORECASE)
CODE_INSEE = re.compile(r"^(\d{5}|2[ab]\d{3})$", re.IGNORECASE)


def rechercher_communes(texte: str, communes: QuerySet | None = None) -> QuerySet:
    """Returns the matching communes, best first. An empty or punctuation-only query matches nothing."""
    communes = Commune.objects.servies() if communes is None else communes
    texte = (texte or "").strip()
    if DEBUT_DE_CODE.match(texte):
        code = texte.upper()
        # One indexed subquery per kind of code, united, so a commune with several postal codes appears once.
        correspondances = Commune.objects.filter(code_insee__startswith=code).order_by().values("code_insee").union(
            CodePostal.objects.filter(code__startswith=code).order_by().values("commune_id"))
        return (
            communes.filter(code_insee__in=correspondances)
            .annotate(rang=Case(When(code_insee=code, then=Value(0)), default=Value(1), output_field=IntegerField()))
            .order_by("rang", Coalesce("population", 0).desc(), "nom")
        )
    nom = normaliser_nom(texte)
    if not nom:
        return communes.none()
    return (
        communes.filter(Q(nom_normalise__startswith=nom) | Q(nom_normalise__contains=f" {nom}"))
        .annotate(rang=Case(
            When(nom_normalise=nom, then=Value(0)),
            When(nom_normalise__startswith=nom, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ))
        .order_by("rang", Coalesce("population", 0).desc(), "nom")
    )


# "autour de Rodez", "près de Mende": the communes around a commune (territoires/proximite.py).
AUTOUR_DE = re.compile(r"^\s*(?:autour|pres|proche|a cote)\s+(?:de\s+|d\s+|du\s+)?(.+)$")


def rechercher_departements(texte: str) -> list[Departement]:
    """The départements (of the served regions) a query names: by code ("48", "2A") or by name, exactly
    or by its beginning from three letters ("loz")."""
    texte = (texte or "").strip()
    departements = Departement.objects.servis().defer("contour")
    if DEBUT_DE_CODE.match(texte) or re.fullmatch(r"\d[\dab]", texte, re.IGNORECASE):
        return list(departements.filter(code=texte.upper()))
    nom = normaliser_nom(texte)
    if len(nom) < 3:
        return []
    return [d for d in departements.order_by("code") if normaliser_nom(d.nom) == nom
            or (normaliser_nom(d.nom).startswith(nom))]


def commune_autour_de(texte: str) -> tuple[str, Commune | None]:
    """For "autour de rodez": ("rodez", the commune meant — exact name first, else the most populated match).
    ("", None) when the query is not of that form."""
    correspondance = AUTOUR_DE.match(normaliser_nom(texte or ""))
    if not correspondance:
        return "", None
    nom = correspondance.group(1)
    return nom, rechercher_communes(nom).select_related("departement").defer("contour").first()


def commune_designee(texte: str) -> Commune:
    """The commune of the served regions `texte` names: its INSEE code, « Nom (code) » as the autocomplete writes it, or a
    name that one commune has; a French error saying why otherwise."""
    texte = texte.strip()
    communes = Commune.objects.servies().only(
        "code_insee", "nom", "longitude", "latitude", "departement_id")
    if trouve := CODE_ENTRE_PARENTHESES.search(texte) or CODE_INSEE.match(texte):
        commune = communes.filter(code_insee=trouve.group(1).upper()).first()
        if commune is None:
            raise forms.ValidationError(f"Aucune commune servie par ce portail n'a le code INSEE « {trouve.group(1)} ».")
        return commune
    candidates = list(rechercher_communes(texte, communes)[:6])
    exactes = [c for c in candidates if c.rang == 0]
    if len(exactes) == 1 or len(candidates) == 1:
        return (exactes or candidates)[0]
    if not candidates:
        raise forms.ValidationError(f"Aucune commune servie par ce portail ne s'appelle « {texte[:100]} ».")
    noms = ", ".join(f"{c.nom} ({c.code_insee})" for c in candidates)
    raise forms.ValidationError(f"Plusieurs communes correspondent à « {texte[:100]} » : {noms}. Précisez le code "
                                "INSEE.")
