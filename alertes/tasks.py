"""Celery tasks of the alerts. Without REDIS_URL they run eagerly in the calling process (see settings).

A change is recorded first (surveillance.py), then processed: every subscription confirmed before it gets one
message when the change changes something at its place for its profession. Each message sent is recorded
(Envoi), so that a task delivered twice (late acknowledgement) never sends one twice; a change whose task was
lost (broker out of reach) is picked up by the periodic task."""
import datetime
import logging

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone

from aides.region import lieux_de_la_region

from . import courriels
from .changements import Analyse
from .models import Abonnement, Envoi, Evenement
from .surveillance import constater_les_changements_de_regles, lancer

journal = logging.getLogger(__name__)
DELAI_AVANT_REPRISE = datetime.timedelta(minutes=5)


@shared_task(name="alertes.envoyer_confirmation", ignore_result=True)
def envoyer_confirmation(abonnement_id: int) -> None:
    abonnement = Abonnement.objects.select_related("commune", "departement").filter(pk=abonnement_id).first()
    if abonnement is None or abonnement.confirme_le or abonnement.desabonne_le:
        return
    courriels.confirmation(abonnement).send()
    Abonnement.objects.filter(pk=abonnement_id).update(confirmation_envoyee_le=timezone.now())


@shared_task(name="alertes.comparer_les_regles", ignore_result=True)
def comparer_les_regles() -> None:
    for evenement in constater_les_changements_de_regles():
        lancer(traiter_changement, evenement.pk)


@shared_task(name="alertes.traiter_changement", ignore_result=True)
def traiter_changement(evenement_id: int) -> int:
    """Sends the messages of one change; returns how many were sent."""
    evenement = Evenement.objects.select_related("zonage").filter(pk=evenement_id).first()
    if evenement is None:
        return 0
    if not Abonnement.objects.filter(confirme_le__lte=evenement.cree_le, desabonne_le=None).exists():
        Evenement.objects.filter(pk=evenement.pk).update(traite_le=timezone.now())
        return 0
    analyse = Analyse(evenement)
    abonnes = (Abonnement.objects.filter(confirme_le__lte=evenement.cree_le, desabonne_le=None,
                                         profession__in=analyse.professions)
               .exclude(envois__evenement=evenement).select_related("commune", "departement"))
    envoyes, echecs = 0, 0
    for abonnement in abonnes:
        par_commune = _ce_qui_change(analyse, abonnement)
        if not par_commune:
            continue
        try:
            with transaction.atomic():  # the sending recorded with it: undone if the server refuses the message
                Envoi.objects.create(abonnement=abonnement, evenement=evenement)
                courriels.changement(abonnement, evenement, par_commune).send()
        except IntegrityError:  # already sent by another delivery of this task
            continue
        except OSError:  # smtplib's errors included: this one is retried by the periodic task, the others go
            journal.exception("Alerte %s non envoyée à l'abonnement %s", evenement.pk, abonnement.pk)
            echecs += 1
            continue
        envoyes += 1
    if not echecs:
        Evenement.objects.filter(pk=evenement.pk).update(traite_le=timezone.now())
    return envoyes


def _ce_qui_change(analyse: Analyse, abonnement: Abonnement) -> dict[str, tuple[str, tuple[str, ...]]]:
    lieux = lieux_de_la_region(analyse.jour)
    if abonnement.commune_id:
        concernes = [lieux[abonnement.commune_id]] if abonnement.commune_id in lieux else []
    else:
        concernes = [lieu for lieu in lieux.values() if lieu.departement == abonnement.departement_id]
    return {lieu.code_insee: (lieu.nom, lignes) for lieu in concernes
            if (lignes := analyse.pour(lieu, abonnement.profession))}


@shared_task(name="alertes.traiter_les_changements_en_attente", ignore_result=True)
def traiter_les_changements_en_attente() -> None:
    """Periodic: a change of rules not yet told, and changes whose messages were not sent (a lost task)."""
    comparer_les_regles()
    limite = timezone.now() - DELAI_AVANT_REPRISE
    for pk in Evenement.objects.filter(traite_le=None, cree_le__lte=limite).values_list("pk", flat=True):
        traiter_changement(pk)
