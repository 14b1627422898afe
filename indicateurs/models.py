"""The DREES accessibility indicator (APL) to médecins généralistes, one value per commune and vintage."""
from django.db import models

from territoires.models import Commune

DEFINITION_APL = (
    "L'accessibilité potentielle localisée (APL) mesure, pour chaque commune, le nombre de consultations ou visites "
    "de médecin généraliste accessibles par an et par habitant, en tenant compte de l'offre des communes voisines, "
    "de l'activité des médecins et des besoins de soins selon l'âge de la population. Indicateur de la DREES.")
SOURCE_APL = ("DREES, « L'accessibilité potentielle localisée (APL) aux médecins généralistes », "
              "https://data.drees.solidarites-sante.gouv.fr/explore/dataset/530_l-accessibilite-potentielle-localisee-apl/")


class ValeurApl(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="valeurs_apl")
    annee = models.PositiveSmallIntegerField("année")
    apl = models.FloatField("APL aux médecins généralistes", help_text="Consultations accessibles par an et par habitant.")
    apl_moins_65_ans = models.FloatField("APL aux médecins généralistes de moins de 65 ans", null=True, blank=True)
    population_standardisee = models.FloatField("population standardisée pour la médecine générale", null=True,
                                                blank=True)
    population_totale = models.PositiveIntegerField(null=True, blank=True)
    fichier = models.CharField(max_length=255, help_text="Fichier d'où vient la valeur.")
    ancien_territoire = models.BooleanField(
        "calculée sur l'ancien territoire", default=False,
        help_text="La commune a absorbé d'anciennes communes depuis le millésime du fichier : la valeur ne concerne que "
                  "son territoire d'alors.")

    class Meta:
        verbose_name = "valeur d'APL"
        verbose_name_plural = "valeurs d'APL"
        ordering = ["commune_id", "-annee"]
        constraints = [models.UniqueConstraint(fields=["commune", "annee"], name="apl_unique_par_commune_et_annee")]

    def __str__(self):
        return f"APL {self.annee} de {self.commune_id} : {self.apl:g}"
