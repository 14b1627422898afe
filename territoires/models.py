"""Territories of the portal: régions, départements, EPCI, communes, postal codes, the codes of former communes,
and the départements a délégation départementale agent may edit.

These models lived in the zonages app (and PerimetreAgent in paps) until the layers were separated: they keep their
tables (db_table), so a database created before the move keeps its data (migration 0001 changes the state only)."""
from django.conf import settings
from django.db import models

from .normalisation import normaliser_nom
from .regions_servies import filtre_region


class DepartementQuerySet(models.QuerySet):
    def servis(self):
        """The départements of the served regions (PAPS_REGIONS)."""
        return self.filter(**filtre_region("region_id"))


class CommuneQuerySet(models.QuerySet):
    def servies(self):
        """The communes of the served regions (PAPS_REGIONS)."""
        return self.filter(**filtre_region("departement__region_id"))


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    contour = models.JSONField("contour (GeoJSON)", null=True, blank=True)

    class Meta:
        db_table = "zonages_region"  # kept from when territories lived in zonages
        verbose_name = "région"
        ordering = ["code"]

    def __str__(self):
        return self.nom


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, primary_key=True)
    nom = models.CharField(max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements")
    chef_lieu = models.CharField("chef-lieu (code INSEE)", max_length=5, blank=True)
    contour = models.JSONField("contour (GeoJSON)", null=True, blank=True)

    objects = DepartementQuerySet.as_manager()

    class Meta:
        db_table = "zonages_departement"  # kept from when territories lived in zonages
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"


class EPCI(models.Model):
    code = models.CharField("SIREN", max_length=9, primary_key=True)
    nom = models.CharField(max_length=200)
    type = models.CharField(max_length=10, help_text="CC, CA, CU, METRO")
    mode_financement = models.CharField(max_length=10, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        db_table = "zonages_epci"  # kept from when territories lived in zonages
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"
        ordering = ["nom"]

    def __str__(self):
        return self.nom


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=200)
    # Lower-case, accent- and punctuation-free form of the name, indexed for search (see normalisation.py).
    nom_normalise = models.CharField(max_length=200, db_index=True, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(EPCI, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes")
    population = models.PositiveIntegerField(null=True, blank=True)
    contour = models.JSONField("contour (GeoJSON)", null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True, help_text="Point représentatif, toujours dans le contour.")
    latitude = models.FloatField(null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        db_table = "zonages_commune"  # kept from when territories lived in zonages
        ordering = ["nom"]
        indexes = [models.Index(fields=["-population"], name="commune_population_idx")]

    def __str__(self):
        return f"{self.nom} ({self.code_insee})"

    def save(self, *args, **kwargs):
        self.nom_normalise = normaliser_nom(self.nom)
        super().save(*args, **kwargs)

    @property
    def codes_postaux_liste(self) -> list[str]:
        return [cp.code for cp in self.codes_postaux.all()]


class CodePostal(models.Model):
    code = models.CharField(max_length=5, db_index=True)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="codes_postaux")

    class Meta:
        db_table = "zonages_codepostal"  # kept from when territories lived in zonages
        verbose_name = "code postal"
        verbose_name_plural = "codes postaux"
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["code", "commune"], name="code_postal_unique_par_commune")]

    def __str__(self):
        return self.code


class CommuneRattachee(models.Model):
    """A code that is no longer a current commune (déléguée, associée, or merged away), or an arrondissement
    municipal, and the current commune it belongs to."""

    class Type(models.TextChoices):
        DELEGUEE = "deleguee", "commune déléguée"
        ASSOCIEE = "associee", "commune associée"
        ANCIENNE = "ancienne", "ancienne commune (fusionnée)"
        ARRONDISSEMENT = "arrondissement", "arrondissement municipal"

    code = models.CharField("code INSEE", max_length=5, primary_key=True)
    nom = models.CharField(max_length=200, blank=True)
    type = models.CharField(max_length=14, choices=Type.choices)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="communes_rattachees",
                                verbose_name="commune actuelle")

    class Meta:
        db_table = "zonages_communerattachee"  # kept from when territories lived in zonages
        verbose_name = "commune rattachée"
        verbose_name_plural = "communes rattachées (anciens codes)"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.nom} → {self.commune_id}"


class PerimetreAgent(models.Model):
    """Staff access: the départements a "délégation départementale" user may edit, chosen one by one or as the
    départements of whole régions."""

    utilisateur = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="perimetre")
    departements = models.ManyToManyField(
        Departement, blank=True, related_name="agents", db_table="paps_perimetreagent_departements",
        help_text="Pour le groupe « ARS — délégation départementale » : les seuls départements dont l'agent peut "
                  "modifier les structures, CPTS, offres et contacts.")
    regions = models.ManyToManyField(
        Region, blank=True, related_name="agents", db_table="territoires_perimetreagent_regions",
        help_text="Pour une délégation à l'échelle d'une région : tous ses départements, en plus de ceux choisis "
                  "ci-dessus.")

    class Meta:
        db_table = "paps_perimetreagent"  # kept from when it lived in the paps app
        verbose_name = "périmètre de l'agent"
        verbose_name_plural = "périmètres des agents"

    def __str__(self):
        return f"Périmètre de {self.utilisateur}"
