from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from aides.eligibilite.regles import FINANCEURS, UNITES

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


def _texte(condition, niveau=0) -> str:
    (cle, valeur), = condition.items()
    if cle in {"all", "any"}:
        lien = " et " if cle == "all" else " ou "
        parties = [_texte(sous, niveau + 1) for sous in valeur]
        texte = lien.join(parties)
        return f"({texte})" if niveau and len(parties) > 1 else texte
    if cle == "not":
        return f"pas : {_texte(valeur, niveau + 1)}"
    if cle == "zonage":
        return f"zonage {valeur['type']} : {', '.join(valeur['niveaux'])}"
    if isinstance(valeur, list):
        return f"{cle.replace('_', ' ')} : {', '.join(str(v) for v in valeur)}"
    if isinstance(valeur, dict):
        bornes = [f"≥ {valeur['min']}" if "min" in valeur else "", f"≤ {valeur['max']}" if "max" in valeur else ""]
        return f"{cle.replace('_', ' ')} {' '.join(b for b in bornes if b)}"
    if isinstance(valeur, bool):
        return f"{cle.replace('_', ' ')} : {'oui' if valeur else 'non'}"
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
