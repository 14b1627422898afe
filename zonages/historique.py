"""Audit trail of a zonage version, read from django-simple-history: which commune's level was changed, by whom,
when, from what to what. (Each object's full history is also in the admin's "Historique" page.)"""
import datetime
from dataclasses import dataclass

from .models import Classement, Zonage


@dataclass(frozen=True)
class ModificationNiveau:
    date: datetime.datetime
    utilisateur: str | None
    code_insee: str
    commune: str
    avant: str | None
    apres: str | None  # None: the commune was removed from the version
    raison: str | None


def modifications_de_niveau(zonage: Zonage, limite: int = 50) -> list[ModificationNiveau]:
    """The latest level changes and removals in `zonage` (not the rows created by its import), newest first.
    Two queries: the changes, then the earlier records of the same classements to know the level before."""
    historiques = list(Classement.history.filter(zonage_id=zonage.pk, history_type__in=["~", "-"])
                       .select_related("history_user", "commune").order_by("-history_date", "-history_id")[:limite])
    if not historiques:
        return []
    precedent: dict[int, str] = {}  # history_id → level recorded just before, for the same classement
    dernier: dict[int, str] = {}  # classement id → last level seen, walking forward in time
    for classement_id, history_id, niveau in (Classement.history.filter(id__in={h.id for h in historiques})
                                              .order_by("id", "history_date", "history_id")
                                              .values_list("id", "history_id", "niveau")):
        if classement_id in dernier:
            precedent[history_id] = dernier[classement_id]
        dernier[classement_id] = niveau
    modifications = []
    for h in historiques:
        avant = precedent.get(h.history_id)
        apres = None if h.history_type == "-" else h.niveau
        if h.history_type == "-":
            avant = h.niveau
        elif avant == apres:
            continue  # saved without a level change
        modifications.append(ModificationNiveau(
            h.history_date, h.history_user.get_username() if h.history_user else None, h.commune_id,
            h.commune.nom if h.commune else h.commune_id, avant, apres, h.history_change_reason,
        ))
    return modifications
