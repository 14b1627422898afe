"""Publishing a zonage version: published versions of one kind never overlap in time.

Publishing a version effective on D ends the version in force on D-1 (its valid_to becomes D-1). A version that
would start on or before a later published version, or overlap one, is refused with a message naming it.

Two publications of one type at the same moment are serialised: each first locks every version of the type (in one
ordered statement, so two publications never wait for each other in a cycle); the second then sees what the first
published. The database forbids an overlap anyway (exclusion constraint on PostgreSQL, migration 0008).
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from noyau import cache_generations

from .models import Zonage

UN_JOUR = datetime.timedelta(days=1)


def _date(jour: datetime.date) -> str:
    return jour.strftime("%d/%m/%Y")


@transaction.atomic
def publier(zonage: Zonage, date_effet: datetime.date | None = None) -> Zonage | None:
    """Publishes `zonage` from `date_effet` (default: its valid_from). Returns the version it ended, if any."""
    # Locks the version in force, the one to publish and any other publication of the type (see above).
    list(Zonage.objects.select_for_update().filter(type=zonage.type).order_by("pk").values_list("pk", flat=True))
    demande, zonage = zonage, Zonage.objects.get(pk=zonage.pk)
    if zonage.statut == Zonage.Statut.PUBLIE:
        raise ValidationError("Cette version est déjà publiée.")
    if not zonage.classements.exists():
        raise ValidationError("Cette version ne classe aucune commune : importez d'abord un fichier.")
    debut = date_effet or zonage.valid_from
    if zonage.valid_to and zonage.valid_to < debut:
        raise ValidationError(f"La date d'effet ({_date(debut)}) est postérieure à la fin de validité "
                              f"({_date(zonage.valid_to)}).")
    publiees = Zonage.objects.filter(type=zonage.type, statut=Zonage.Statut.PUBLIE)
    posterieure = publiees.filter(valid_from__gte=debut).order_by("valid_from").first()
    if posterieure:
        raise ValidationError(f"Une version publiée commence déjà le {_date(posterieure.valid_from)} "
                              f"({posterieure.reference}) : la date d'effet doit être postérieure.")
    precedente = publiees.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=debut - UN_JOUR),
                                 valid_from__lte=debut - UN_JOUR).first()
    if precedente:
        precedente.valid_to = debut - UN_JOUR
        precedente.save(update_fields=["valid_to"])
    zonage.valid_from = debut
    zonage.statut = Zonage.Statut.PUBLIE
    zonage.publie_le = timezone.now()
    zonage.save(update_fields=["valid_from", "statut", "publie_le"])
    # The saves above already did it through the signals; said again here so that publishing never depends on them
    # (a future bulk update of the versions would send none). Now and after the commit: see cache_generations.
    cache_generations.invalider("zonages")
    demande.refresh_from_db()
    return precedente
