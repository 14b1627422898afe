"""Telling the changes that can change answers, as they happen: a zonage version published (one change each), a rule
document created, changed or removed (told by comparing the catalogue with the state last seen, so that a load of
many files, or an edit in the administration, is seen whole). Each change is recorded (Evenement), then its
messages are sent by the worker once the transaction commits."""
import datetime
import logging

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from aides.eligibilite.predicats import date_en_francais
from aides.eligibilite.regles import OBLIGATION, Dispositif, construire
from aides.models import Dispositif as RegleEnregistree
from zonages.models import Zonage

from .models import EtatDesRegles, Evenement

journal = logging.getLogger(__name__)
UN_JOUR = datetime.timedelta(days=1)


def lancer(tache, *arguments) -> None:
    """Sends a task to the worker (or runs it here when tasks are eager). A broker out of reach is logged: the
    periodic task (tasks.traiter_les_changements_en_attente) picks the change up later."""
    try:
        tache.delay(*arguments)
    except OperationalError:
        journal.exception("Broker injoignable : %s %s remis à la tâche périodique", tache.name, arguments)


# --- Zonages -------------------------------------------------------------------------------------------------------

def zonage_enregistre(sender, instance: Zonage, created=False, update_fields=None, raw=False, **kwargs):
    """A version just published (its status saved as « publié »): one change, from its first day."""
    publiee = instance.statut == Zonage.Statut.PUBLIE and (created or (update_fields and "statut" in update_fields))
    if raw or not publiee or Evenement.objects.filter(zonage=instance).exists():
        return
    evenement = Evenement.objects.create(
        nature=Evenement.Nature.ZONAGE, zonage=instance, date_effet=instance.valid_from,
        description=f"Nouvelle version du zonage « {instance.type_zonage.libelle} » publiée ({instance.reference}), "
                    f"en vigueur à partir du {date_en_francais(instance.valid_from)}.")
    from .tasks import traiter_changement

    transaction.on_commit(lambda: lancer(traiter_changement, evenement.pk))


# --- Rules ---------------------------------------------------------------------------------------------------------

def regle_modifiee(sender, raw=False, **kwargs):
    if raw:
        return
    from .tasks import comparer_les_regles

    transaction.on_commit(lambda: lancer(comparer_les_regles))


def etat_initial_des_regles(sender, using="default", **kwargs):
    """After migrate: the rules as they are now are the state the alerts start from (none on a new database). Not
    when the alerts' tables are not there (a migration run backwards, as tests of older migrations do)."""
    from django.db import connections

    tables = connections[using].introspection.table_names()
    if EtatDesRegles._meta.db_table not in tables or RegleEnregistree._meta.db_table not in tables:
        return
    if not EtatDesRegles.objects.using(using).exists():
        EtatDesRegles.objects.using(using).create(
            regles={d.code: d.regle for d in RegleEnregistree.objects.using(using).all()})


def constater_les_changements_de_regles(jour: datetime.date | None = None) -> list[Evenement]:
    """One Evenement per rule document that changed since the state last seen, and that changes something from
    `jour` (today) on; the state is then the catalogue's. The first catalogue ever loaded changes no answer."""
    jour = jour or timezone.localdate()
    with transaction.atomic():
        etat = EtatDesRegles.objects.select_for_update().order_by("pk").first()
        actuelles = {d.code: d.regle for d in RegleEnregistree.objects.all()}
        if etat is None:
            EtatDesRegles.objects.create(regles=actuelles)
            return []
        if not etat.regles:
            etat.regles = actuelles
            etat.save()
            return []
        evenements = []
        for code in sorted(set(etat.regles) | set(actuelles)):
            avant, apres = etat.regles.get(code), actuelles.get(code)
            if avant == apres:
                continue
            date_effet = date_d_effet(avant, apres, jour)
            if date_effet is not None:
                evenements.append(_evenement_de_regle(code, avant, apres, date_effet))
        etat.regles = actuelles
        etat.save()
    return evenements


def _evenement_de_regle(code: str, avant: dict | None, apres: dict | None, date_effet: datetime.date) -> Evenement:
    document = apres or avant
    obligation = document.get("nature") == OBLIGATION
    quoi = "la contrainte d'installation" if obligation else "l'aide"
    jour = date_en_francais(date_effet)
    if avant is None:
        description = f"Nouveau dans le catalogue : {quoi} « {document['nom']} », à partir du {jour}."
    elif apres is None:
        description = f"Retiré du catalogue : {quoi} « {document['nom']} »."
    else:
        description = f"Règle modifiée : {quoi} « {document['nom']} », à partir du {jour}."
    return Evenement.objects.create(nature=Evenement.Nature.OBLIGATION if obligation else Evenement.Nature.REGLE,
                                    code_dispositif=code, regle_avant=avant, regle_apres=apres, date_effet=date_effet,
                                    description=description)


def date_d_effet(avant: dict | None, apres: dict | None, jour: datetime.date) -> datetime.date | None:
    """The first day from `jour` on when the two documents do not answer alike (their rule open or closed on that
    day, their professions or exclusions); None when they answer alike from `jour` on (a past version corrected, a
    source's title)."""
    regles = [construire(d) if d is not None else None for d in (avant, apres)]
    jours = {jour}
    for regle in regles:
        for version in regle.versions if regle else ():
            jours |= {d for d in (version.valid_from, version.valid_to and version.valid_to + UN_JOUR)
                      if d is not None and d > jour}
    for candidat in sorted(jours):
        if _ce_qui_repond(regles[0], candidat) != _ce_qui_repond(regles[1], candidat):
            return candidat
    return None


def _ce_qui_repond(regle: Dispositif | None, jour: datetime.date) -> tuple | None:
    if regle is None:
        return None
    return (regle.version_le(jour), regle.fermeture_le(jour), regle.professions, regle.exclusions, regle.nature)
