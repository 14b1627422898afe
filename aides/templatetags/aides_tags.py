from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from aides.eligibilite.faits import PROFESSIONS
from aides.eligibilite.predicats import SEUILS
from aides.eligibilite.regles import FINANCEURS, UNITES
from aides.eligibilite.vocabulaire import FAITS
from zonages.niveaux import TYPES

register = template.Library()


@register.filter
def montant(m) -> str:
    """10000, "unique" → "10 000 € (versement unique)"; percentages as "25 %"."""
    if m is None:
        return ""
    valeur = intcomma(int(m.valeur)) if float(m.valeur).is_integer() else intcomma(m.valeur)
    if m.unite == "pourcentage":
        return f"{valeur} %"
    return f"{valeur} € ({UNITES[m.unite]})"


@register.filter
def condition_en_texte(condition) -> str:
    """A readable rendering of a condition tree for the scheme page."""
    return _texte(condition)


def _en_minuscule(libelle: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless it begins an acronym ("CPTS …")."""
    return libelle if libelle[1:2].isupper() else libelle[:1].lower() + libelle[1:]


# Plain-French names of the facts (their declared labels), and the vocabularies of their values.
NOMS_FAITS = {"profession": "profession", "departement": "département",
              **{f.nom: _en_minuscule(f.libelle) for f in FAITS.values()}}
VOCABULAIRES = {"profession": PROFESSIONS, **{f.nom: f.choix for f in FAITS.values() if f.choix}}


def _texte(condition, niveau=0) -> str:
    (cle, valeur), = condition.items()
    if cle in {"all", "any"}:
        lien = " ; et " if cle == "all" else " ; ou "
        parties = [_texte(sous, niveau + 1) for sous in valeur]
        texte = lien.join(parties)
        return f"({texte})" if niveau and len(parties) > 1 else texte
    if cle == "not":
        return f"sauf si : {_texte(valeur, niveau + 1)}"
    if cle == "zonage":
        type_zonage = TYPES[valeur["type"]]
        niveaux = [f"« {(type_zonage.niveau(n).libelle if type_zonage.niveau(n) else n).lower()} »" for n in valeur["niveaux"]]
        return f"zonage {type_zonage.libelle.lower()} : {' ou '.join(niveaux)}"
    if cle == "qpv":
        return "lieu d'exercice en quartier prioritaire (QPV)" if valeur else "lieu d'exercice hors QPV"
    nom = NOMS_FAITS.get(cle, cle.replace("_", " "))
    if isinstance(valeur, list):
        libelles = [VOCABULAIRES.get(cle, {}).get(v, v) for v in valeur]
        return f"{nom} : {' ou '.join(str(l) for l in libelles)}"
    if isinstance(valeur, dict):
        return f"{nom} : " + " et ".join(f"{SEUILS[k]} {v}" for k, v in valeur.items() if k in SEUILS)
    if isinstance(valeur, bool):
        return f"{nom} : {'oui' if valeur else 'non'}"
    return str(valeur).strip()


@register.filter
def get_item(dictionnaire, cle):
    return dictionnaire.get(cle) if dictionnaire else None


@register.filter
def contact_de(simulation, resultat) -> dict:
    return simulation.contact(resultat)


@register.filter
def par_statut(simulation, statut: str):
    return simulation.par_statut(statut)


@register.filter
def financeur(code: str) -> str:
    return FINANCEURS.get(code, code)


@register.filter
def version_du_jour(dispositif, jour):
    return dispositif.version_le(jour)
