"""Staff access: the départements a "délégation départementale" user may edit."""
from django.conf import settings
from django.db import models


class PerimetreAgent(models.Model):
    utilisateur = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="perimetre")
    departements = models.ManyToManyField(
        "zonages.Departement", blank=True, related_name="agents",
        help_text="Pour le groupe « ARS — délégation départementale » : les seuls départements dont l'agent peut "
                  "modifier les structures, CPTS, offres et contacts.")

    class Meta:
        verbose_name = "périmètre de l'agent"
        verbose_name_plural = "périmètres des agents"

    def __str__(self):
        return f"Périmètre de {self.utilisateur}"
