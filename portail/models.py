"""The record of each reference file loaded by `charger_referentiels` that is not a zonage, QPV or structures import
(those have their own records): territories, APL, the CPTS of the seed documents and of the sample. Like any import:
which files, their SHA-256, when, what it created or changed, and its report with every warning."""
from django.db import models

from noyau.importation import EnregistrementImport


class ChargementReferentiel(EnregistrementImport):
    class Nature(models.TextChoices):
        TERRITOIRES = "territoires", "territoires (régions, départements, EPCI, communes, contours, anciens codes)"
        APL = "apl", "accessibilité potentielle localisée (APL, DREES)"
        CPTS = "cpts", "CPTS des documents de référence"
        CPTS_ECHANTILLON = "cpts-echantillon", "échantillon des CPTS"

    nature = models.CharField(max_length=20, choices=Nature.choices)
    origine = models.CharField("lancé depuis", max_length=200, blank=True)
    fichiers = models.JSONField("fichiers lus", default=list, blank=True,
                                help_text="Chaque fichier lu, avec son empreinte SHA-256.")
    comptes = models.JSONField("comptes", default=dict, blank=True,
                               help_text="Ce que le chargement a créé, modifié ou laissé inchangé.")

    class Meta:
        verbose_name = "chargement de référentiel"
        verbose_name_plural = "chargements de référentiels"
        ordering = ["-cree_le"]
