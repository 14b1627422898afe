"""Filters of the history pages (templates/simple_history/object_history_list.html): a listed column's French name
and its value in words."""
from django import template
from django.core.exceptions import FieldDoesNotExist

from noyau.historique import en_mots

register = template.Library()


@register.filter
def nom_colonne(opts, colonne: str) -> str:
    try:
        nom = str(opts.get_field(colonne).verbose_name)
    except FieldDoesNotExist:
        nom = colonne.replace("_", " ")
    return nom[:1].upper() + nom[1:]


@register.filter
def valeur_historique(enregistrement, colonne: str) -> str:
    try:
        champ = enregistrement.instance_type._meta.get_field(colonne)
    except FieldDoesNotExist:
        champ = None
    return en_mots(getattr(enregistrement, colonne, None), champ)
