"""Subscriptions to alerts, the changes that can change an answer, and the messages sent."""
import secrets

from django.db import models
from django.db.models import Q

from noyau.professions import PROFESSIONS


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(32)


class Abonnement(models.Model):
    """An address that wants to know what changes at one place (a commune or a département) for one profession.
    Active once confirmed (double opt-in) and until unsubscribed; the token in the links of its messages is the only
    key to it (no account)."""

    courriel = models.EmailField()
    commune = models.ForeignKey("territoires.Commune", on_delete=models.CASCADE, null=True, blank=True,
                                related_name="abonnements")
    departement = models.ForeignKey("territoires.Departement", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="abonnements")
    profession = models.CharField(max_length=30, choices=list(PROFESSIONS.items()))
    jeton = models.CharField(max_length=64, unique=True, default=nouveau_jeton, editable=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    confirmation_envoyee_le = models.DateTimeField(null=True, blank=True)
    confirme_le = models.DateTimeField(null=True, blank=True)
    desabonne_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "abonnement aux alertes"
        verbose_name_plural = "abonnements aux alertes"
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(condition=Q(commune__isnull=True) ^ Q(departement__isnull=True),
                                   name="abonnement_un_lieu"),
            # One live subscription per address, place and profession (unsubscribing ends it).
            models.UniqueConstraint(fields=["courriel", "commune", "departement", "profession"],
                                    condition=Q(desabonne_le__isnull=True), name="abonnement_unique_en_cours"),
        ]

    def __str__(self):
        return f"{self.courriel} — {self.lieu_libelle} ({self.profession})"

    @property
    def actif(self) -> bool:
        return self.confirme_le is not None and self.desabonne_le is None

    @property
    def lieu_libelle(self) -> str:
        return self.commune.nom if self.commune_id else f"département {self.departement.nom} ({self.departement_id})"


class Evenement(models.Model):
    """A change that can change answers: a zonage version published, or a rule (an aid or an obligation) created,
    changed or removed. What it changes at a place is worked out when needed (changements.py)."""

    class Nature(models.TextChoices):
        ZONAGE = "zonage", "version de zonage publiée"
        REGLE = "regle", "règle d'une aide modifiée"
        OBLIGATION = "obligation", "règle d'une contrainte d'installation modifiée"

    nature = models.CharField(max_length=12, choices=Nature.choices)
    zonage = models.OneToOneField("zonages.Zonage", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="evenement_alertes")
    code_dispositif = models.CharField(max_length=40, blank=True)
    regle_avant = models.JSONField(null=True, blank=True, help_text="Le document de règle avant (null : nouveau).")
    regle_apres = models.JSONField(null=True, blank=True, help_text="Le document de règle après (null : retiré).")
    date_effet = models.DateField("à partir du", help_text="Le jour où les réponses changent.")
    description = models.TextField()
    cree_le = models.DateTimeField(auto_now_add=True)
    traite_le = models.DateTimeField("messages envoyés le", null=True, blank=True)

    class Meta:
        verbose_name = "changement signalé"
        verbose_name_plural = "changements signalés"
        ordering = ["-cree_le", "-pk"]
        indexes = [models.Index(fields=["traite_le"], name="evenement_a_traiter_idx")]

    def __str__(self):
        return self.description


class Envoi(models.Model):
    """One message sent to one subscription about one change: never twice."""

    abonnement = models.ForeignKey(Abonnement, on_delete=models.CASCADE, related_name="envois")
    evenement = models.ForeignKey(Evenement, on_delete=models.CASCADE, related_name="envois")
    envoye_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["abonnement", "evenement"], name="envoi_unique")]


class EtatDesRegles(models.Model):
    """The rule documents as the alerts last saw them ({code: document}): a change of the catalogue is told by
    comparing with it. Empty until a catalogue is first loaded, which changes no answer (there was none)."""

    regles = models.JSONField(default=dict)
    vu_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "état des règles vu par les alertes"
