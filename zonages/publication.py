"""Publishing a zonage version, and undoing a publication: published versions of one kind never overlap in time.

Publishing a version effective on D ends the version in force on D-1 (its valid_to becomes D-1). A version that
would start on or before a later published version, or overlap one, is refused with a message naming it. Each
publication is recorded (Publication: who, when, what it changed), and `apercu` says what it would change without
writing anything, for the confirmation page.

Undoing the latest publication of a kind restores both versions as they were: the version goes back to draft with
its own start date, the version it ended gets back its end date. It is refused once a later version is published,
or when the ended version's end was changed since.

Two publications (or undos) of one type at the same moment are serialised: each first locks every version of the
type (in one ordered statement, so two never wait for each other in a cycle); the second then sees what the first
did. The database forbids an overlap anyway (exclusion constraint on PostgreSQL, migration 0008).
"""
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from noyau import cache_generations

from .models import Publication, Zonage

UN_JOUR = datetime.timedelta(days=1)


def _date(jour: datetime.date) -> str:
    return jour.strftime("%d/%m/%Y")


@dataclass(frozen=True)
class Apercu:
    """What publishing a version on a date would do."""

    zonage: Zonage
    debut: datetime.date
    precedente: Zonage | None  # the published version it would end
    fin_precedente: datetime.date | None  # the end that version would get (the day before `debut`)


def _verrouiller(type_zonage: str) -> None:
    list(Zonage.objects.select_for_update().filter(type=type_zonage).order_by("pk").values_list("pk", flat=True))


def apercu(zonage: Zonage, date_effet: datetime.date | None = None) -> Apercu:
    """The checks of a publication, without writing: raises ValidationError with the same messages as `publier`."""
    if zonage.statut == Zonage.Statut.PUBLIE:
        raise ValidationError("Cette version est déjà publiée.")
    if not zonage.classements.exists():
        raise ValidationError("Cette version ne classe aucune commune : importez d'abord un fichier.")
    debut = date_effet or zonage.valid_from
    if zonage.valid_to and zonage.valid_to < debut:
        raise ValidationError(f"La date d'effet ({_date(debut)}) est postérieure à la fin de validité "
                              f"({_date(zonage.valid_to)}).")
    publiees = Zonage.objects.filter(type=zonage.type, statut=Zonage.Statut.PUBLIE).exclude(pk=zonage.pk)
    posterieure = publiees.filter(valid_from__gte=debut).order_by("valid_from").first()
    if posterieure:
        raise ValidationError(f"Une version publiée commence déjà le {_date(posterieure.valid_from)} "
                              f"({posterieure.reference}) : la date d'effet doit être postérieure.")
    precedente = publiees.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=debut - UN_JOUR),
                                 valid_from__lte=debut - UN_JOUR).first()
    return Apercu(zonage, debut, precedente, debut - UN_JOUR if precedente else None)


@transaction.atomic
def publier(zonage: Zonage, date_effet: datetime.date | None = None, utilisateur=None) -> Zonage | None:
    """Publishes `zonage` from `date_effet` (default: its valid_from). Returns the version it ended, if any."""
    # Locks the version in force, the one to publish and any other publication of the type (see above).
    _verrouiller(zonage.type)
    demande, zonage = zonage, Zonage.objects.get(pk=zonage.pk)
    prevu = apercu(zonage, date_effet)
    precedente = prevu.precedente
    publication = Publication(zonage=zonage, date_effet=prevu.debut, valid_from_avant=zonage.valid_from,
                              precedente=precedente, precedente_valid_to_avant=precedente and precedente.valid_to,
                              publie_par=utilisateur)
    if precedente:
        precedente.valid_to = prevu.fin_precedente
        precedente._change_reason = f"Fin fixée par la publication de la version n° {zonage.pk}"
        precedente.save(update_fields=["valid_to"])
    zonage.valid_from = prevu.debut
    zonage.statut = Zonage.Statut.PUBLIE
    zonage.publie_le = timezone.now()
    zonage._change_reason = f"Publication, en vigueur à partir du {_date(prevu.debut)}"
    zonage.save(update_fields=["valid_from", "statut", "publie_le"])
    publication.save()
    # The saves above already did it through the signals; said again here so that publishing never depends on them
    # (a future bulk update of the versions would send none). Now and after the commit: see cache_generations.
    cache_generations.invalider("zonages")
    demande.refresh_from_db()
    return precedente


def publication_annulable(zonage: Zonage) -> Publication | None:
    """The publication of `zonage` that can be undone now, if any (see `a_annuler` for the reasons)."""
    try:
        return a_annuler(zonage)
    except ValidationError:
        return None


def a_annuler(zonage: Zonage) -> Publication:
    """The publication that undoing would undo; ValidationError saying why none can be."""
    if zonage.statut != Zonage.Statut.PUBLIE:
        raise ValidationError("Cette version n'est pas publiée.")
    publication = zonage.publications.filter(annulee_le__isnull=True).select_related("precedente").first()
    if publication is None:
        raise ValidationError("Cette version a été publiée avant que les publications soient enregistrées : sa "
                              "publication ne peut pas être annulée depuis le portail.")
    posterieure = (Zonage.objects.filter(type=zonage.type, statut=Zonage.Statut.PUBLIE,
                                         valid_from__gt=zonage.valid_from).order_by("valid_from").first())
    if posterieure:
        raise ValidationError(f"Une version publiée plus récente commence le {_date(posterieure.valid_from)} "
                              f"({posterieure.reference}) : annulez d'abord sa publication.")
    precedente = publication.precedente
    if precedente is not None and (precedente.statut != Zonage.Statut.PUBLIE
                                   or precedente.valid_to != publication.date_effet - UN_JOUR):
        raise ValidationError(f"La version que cette publication a terminée ({precedente.reference}) a été modifiée "
                              "depuis : la rétablir telle qu'elle était n'est plus possible automatiquement.")
    return publication


@transaction.atomic
def annuler_publication(zonage: Zonage, utilisateur=None, motif: str = "") -> Publication:
    """Undoes the latest publication of `zonage`: it goes back to draft (with the start date it had before), and the
    version it ended gets back its end date. Returns the publication, now marked undone."""
    _verrouiller(zonage.type)
    demande, zonage = zonage, Zonage.objects.get(pk=zonage.pk)
    publication = a_annuler(zonage)
    raison = ("Annulation de la publication" + (f" : {motif.strip()}" if motif.strip() else ""))[:100]
    # The version leaves the published ones first, so that the ended one never overlaps it (PostgreSQL constraint).
    zonage.statut = Zonage.Statut.BROUILLON
    zonage.publie_le = None
    zonage.valid_from = publication.valid_from_avant
    zonage._change_reason = raison
    zonage.save(update_fields=["statut", "publie_le", "valid_from"])
    precedente = publication.precedente
    if precedente is not None:
        precedente.valid_to = publication.precedente_valid_to_avant
        precedente._change_reason = f"Publication de la version n° {zonage.pk} annulée : fin rétablie"
        precedente.save(update_fields=["valid_to"])
    publication.annulee_le = timezone.now()
    publication.annulee_par = utilisateur
    publication.motif_annulation = motif.strip()
    publication.save(update_fields=["annulee_le", "annulee_par", "motif_annulation"])
    cache_generations.invalider("zonages")
    demande.refresh_from_db()
    return publication
