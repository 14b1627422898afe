"""Who may edit what, by territory. Used by the admin and the API alike.

A user of the group "ARS — délégation départementale" (and of no national group) edits only records whose
départements are all among the départements of their PerimetreAgent (chosen one by one, or those of its régions). Everybody else is bound only by Django
permissions.
"""
from django.db.models import Q, QuerySet

from territoires.models import Departement

ADMINISTRATEUR = "ARS — administrateur"
EDITEUR_ZONAGES = "ARS — éditeur zonages"
EDITEUR_AIDES = "ARS — éditeur aides"
DELEGATION = "ARS — délégation départementale"
PARTENAIRE = "Partenaire API"
LECTURE = "ARS — lecture"

MESSAGE_HORS_PERIMETRE = "Ce département n'est pas dans votre périmètre de délégation."
MESSAGE_CHOIX_HORS_PERIMETRE = "Ce choix n'existe pas ou n'est pas dans votre périmètre de délégation."


def departements_autorises(utilisateur) -> frozenset[str] | None:
    """None when the user is not bound to départements; else the codes they may edit (possibly none).
    Cached on the user object for the request."""
    if not utilisateur or not utilisateur.is_authenticated or utilisateur.is_superuser:
        return None
    if not hasattr(utilisateur, "_departements_autorises"):
        groupes = set(utilisateur.groups.values_list("name", flat=True))
        if DELEGATION not in groupes or ADMINISTRATEUR in groupes:
            codes = None
        else:
            codes = frozenset(Departement.objects.filter(Q(agents__utilisateur=utilisateur)
                                                         | Q(region__agents__utilisateur=utilisateur))
                              .values_list("code", flat=True))
        utilisateur._departements_autorises = codes
    return utilisateur._departements_autorises


def restreindre(queryset: QuerySet, utilisateur, chemin_departement: str) -> QuerySet:
    """Rows whose départements (reached by `chemin_departement`, a FK or M2M path to Departement) are all in the
    user's perimeter, and at least one."""
    codes = departements_autorises(utilisateur)
    if codes is None:
        return queryset
    return (queryset.filter(**{f"{chemin_departement}__in": codes})
            .exclude(**{f"{chemin_departement}__in": Departement.objects.exclude(code__in=codes)}).distinct())


def objet_autorise(utilisateur, objet, chemin_departement: str) -> bool:
    if departements_autorises(utilisateur) is None:
        return True
    return restreindre(type(objet)._default_manager.filter(pk=objet.pk), utilisateur, chemin_departement).exists()


def departement_autorise(utilisateur, code_departement: str | None) -> bool:
    codes = departements_autorises(utilisateur)
    return codes is None or code_departement in codes
