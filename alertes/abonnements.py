"""Subscribing, confirming, unsubscribing, without HTTP. A request never says whether an address is already
subscribed: the same answer is given, and a confirmation is sent at most once in a while."""
import datetime

from django.contrib.auth.base_user import BaseUserManager
from django.db import transaction
from django.utils import timezone

from .models import Abonnement
from .surveillance import lancer

DELAI_ENTRE_CONFIRMATIONS = datetime.timedelta(minutes=10)
VALIDITE_CONFIRMATION = datetime.timedelta(days=7)
DEMANDES_EN_ATTENTE_PAR_ADRESSE = 20


def demander(courriel: str, profession: str, commune=None, departement: str | None = None) -> Abonnement | None:
    """A subscription waiting for its confirmation (its message sent once the transaction commits), or the live one
    already there; None when the address has too many waiting."""
    courriel = BaseUserManager.normalize_email(courriel)
    lieu = {"commune": commune, "departement_id": None if commune is not None else departement}
    existant = Abonnement.objects.filter(courriel=courriel, profession=profession, desabonne_le=None, **lieu).first()
    maintenant = timezone.now()
    if existant is not None and (existant.confirme_le or (existant.confirmation_envoyee_le and
                                                          maintenant - existant.confirmation_envoyee_le
                                                          < DELAI_ENTRE_CONFIRMATIONS)):
        return existant
    if existant is None:
        en_attente = Abonnement.objects.filter(courriel=courriel, confirme_le=None, desabonne_le=None).count()
        if en_attente >= DEMANDES_EN_ATTENTE_PAR_ADRESSE:
            return None
        existant = Abonnement.objects.create(courriel=courriel, profession=profession, **lieu)
    from .tasks import envoyer_confirmation

    transaction.on_commit(lambda: lancer(envoyer_confirmation, existant.pk))
    return existant


def par_jeton(jeton: str) -> Abonnement | None:
    return Abonnement.objects.select_related("commune", "departement").filter(jeton=jeton).first()


def confirmable(abonnement: Abonnement) -> bool:
    """A request can be confirmed for a week, unless it was ended."""
    return abonnement.desabonne_le is None and (
        abonnement.confirme_le is not None or timezone.now() - abonnement.cree_le <= VALIDITE_CONFIRMATION)


def confirmer(abonnement: Abonnement) -> bool:
    if not confirmable(abonnement):
        return False
    if abonnement.confirme_le is None:
        abonnement.confirme_le = timezone.now()
        abonnement.save(update_fields=["confirme_le"])
    return True


def desabonner(abonnement: Abonnement) -> None:
    if abonnement.desabonne_le is None:
        abonnement.desabonne_le = timezone.now()
        abonnement.save(update_fields=["desabonne_le"])
