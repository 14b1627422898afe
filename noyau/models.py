"""The kernel's own tables: cache generations, and API quota counters when there is no shared cache."""
from django.db import models


class Generation(models.Model):
    """The current generation of one domain of cached data (noyau/cache_generations.py). Replaced by every change of
    the domain's data, inside the writer's transaction: every process sees the new one when the change is committed."""

    domaine = models.CharField(max_length=50, primary_key=True)
    valeur = models.BigIntegerField()

    class Meta:
        verbose_name = "génération de cache"

    def __str__(self):
        return f"{self.domaine} : {self.valeur}"


class CompteurQuota(models.Model):
    """The requests of one API quota key (scope and client) in its current window, shared by every process when
    there is no Redis (noyau/quotas.py)."""

    cle = models.CharField(max_length=250, primary_key=True)
    compte = models.PositiveIntegerField()
    fin = models.FloatField(db_index=True, help_text="Fin de la fenêtre, en secondes depuis l'époque Unix.")

    class Meta:
        verbose_name = "compteur de quota"

    def __str__(self):
        return f"{self.cle} : {self.compte}"
