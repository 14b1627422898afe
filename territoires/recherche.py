"""Commune search: by name (accent-, case- and punctuation-insensitive), INSEE code or postal code.

Ranking: exact match first, then prefix matches, then matches at the start of another word of the name;
within each group, the most populated communes first.
"""
import re

from django import forms
from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from .models import CodePostal, Commune
from .normalisation import normaliser_nom

# What looks like the beginning of an INSEE or postal code: two to five digits, or a Corsican code (2A…, 2B…).
DEBUT_DE_CODE = re.compile(r"^(\d{2,5}|2[ab]\d{0,3})$", re.IGNORECASE)
# A whole INSEE code, alone or at the end of « Nom (code) » as the autocomplete writes it.
CODE_ENTRE_PARENTHESES = re.compile(r"\((\d{5}|2[ab]\d{3})\)\s*$", re.IGNORECASE)
CODE_INSEE = re.compile(r"^(\d{5}|2[ab]\d{3})$", re.IGNORECASE)


def rechercher_communes(texte: str, communes: QuerySet | None = None) -> QuerySet:
    """Returns the matching communes, best first. An empty or punctuation-only query matches nothing."""
    communes = Commune.objects.all() if communes is None else communes
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


def commune_designee(texte: str) -> Commune:
    """The commune of the region `texte` names: its INSEE code, « Nom (code) » as the autocomplete writes it, or a
    name that one commune has; a French error saying why otherwise."""
    texte = texte.strip()
    communes = Commune.objects.filter(departement__region_id=settings.PAPS_REGION).only(
        "code_insee", "nom", "longitude", "latitude", "departement_id")
    if trouve := CODE_ENTRE_PARENTHESES.search(texte) or CODE_INSEE.match(texte):
        commune = communes.filter(code_insee=trouve.group(1).upper()).first()
        if commune is None:
            raise forms.ValidationError(f"Aucune commune de la région n'a le code INSEE « {trouve.group(1)} ».")
        return commune
    candidates = list(rechercher_communes(texte, communes)[:6])
    exactes = [c for c in candidates if c.rang == 0]
    if len(exactes) == 1 or len(candidates) == 1:
        return (exactes or candidates)[0]
    if not candidates:
        raise forms.ValidationError(f"Aucune commune de la région ne s'appelle « {texte[:100]} ».")
    noms = ", ".join(f"{c.nom} ({c.code_insee})" for c in candidates)
    raise forms.ValidationError(f"Plusieurs communes correspondent à « {texte[:100]} » : {noms}. Précisez le code "
                                "INSEE.")
