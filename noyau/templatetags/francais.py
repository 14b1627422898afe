"""French plural for templates: `{{ n|pluriel }}` gives "s" from 2 on (0 and 1 take the singular in French, where
Django's `pluralize` follows English and writes "0 communes"). A sequence counts by its length;
`{{ n|pluriel:"nt" }}` for verbs ("change" / "changent")."""
from django import template

register = template.Library()


@register.filter
def pluriel(valeur, suffixe: str = "s") -> str:
    try:
        nombre = len(valeur) if hasattr(valeur, "__len__") and not isinstance(valeur, str) else float(valeur)
    except (TypeError, ValueError):
        return ""
    return suffixe if nombre >= 2 else ""
