"""Zonages as stored data: dated versions of a classification of communes (one per arrêté), each commune's level in
a version, the QPV polygons, and the record of every file import."""
from django.db import models
from simple_history.models import HistoricalRecords

from noyau.importation import EnregistrementImport
from noyau.regions import REGIONS_INSEE
from territoires.models import Commune

from .niveaux import CHOIX_TYPES, TYPES


class ImportZonage(EnregistrementImport):
    """The record of one zonage or QPV file import (or dry run): who, when, which file, what came of it."""

    type = models.CharField(max_length=30, choices=CHOIX_TYPES + [("qpv", "Quartiers prioritaires de la politique de la ville")])
    format = models.CharField(max_length=20)
    fichier = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    utilisateur = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="imports_zonage")
    progression = models.PositiveSmallIntegerField(default=0, help_text="Pourcentage, pour la barre de progression.")
    signe_de_vie = models.DateTimeField(
        "dernier signe de vie", null=True, blank=True,
        help_text="Mis à jour régulièrement par le processus qui exécute l'import : un import en cours sans signe de "
                  "vie récent a été interrompu (voir zonages.tasks.marquer_imports_interrompus).")
    lignes_retenues = models.PositiveIntegerField(default=0)
    lignes_ignorees = models.PositiveIntegerField(default=0, help_text="Communes hors de la région, niveaux non disponibles.")
    parametres = models.JSONField(default=dict, blank=True, help_text="Type, dates, référence… demandés.")

    class Meta:
        verbose_name = "import de zonage"
        verbose_name_plural = "imports de zonage"
        ordering = ["-cree_le"]


class Zonage(models.Model):
    """One dated classification of communes for one kind (a version, as set by one arrêté)."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "brouillon"
        PUBLIE = "publie", "publié"

    type = models.CharField(max_length=30, choices=CHOIX_TYPES)
    reference = models.CharField("référence (arrêté)", max_length=500)
    valid_from = models.DateField("en vigueur du")
    valid_to = models.DateField("jusqu'au (inclus)", null=True, blank=True, help_text="Vide : toujours en vigueur.")
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.BROUILLON)
    note_source = models.TextField("note sur la source", blank=True,
                                   help_text="Affichée aux usagers à côté du zonage (source, date, réserves).")
    import_source = models.ForeignKey(ImportZonage, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="zonages", verbose_name="import d'origine")
    publie_le = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["type", "-valid_from"]
        indexes = [models.Index(fields=["type", "statut", "valid_from"], name="zonage_en_vigueur_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="zonage_periode_valide"),
        ]

    def __str__(self):
        fin = f" au {self.valid_to:%d/%m/%Y}" if self.valid_to else ""
        return f"{self.type_zonage.libelle} du {self.valid_from:%d/%m/%Y}{fin} ({self.get_statut_display()})"

    @property
    def type_zonage(self):
        return TYPES[self.type]

    def en_vigueur_le(self, jour) -> bool:
        return self.valid_from <= jour and (self.valid_to is None or jour <= self.valid_to)


class Classement(models.Model):
    """The level of one commune in one zonage version."""

    zonage = models.ForeignKey(Zonage, on_delete=models.CASCADE, related_name="classements")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="classements")
    niveau = models.CharField(max_length=12)
    history = HistoricalRecords()

    class Meta:
        ordering = ["commune_id"]
        constraints = [models.UniqueConstraint(fields=["zonage", "commune"], name="classement_unique")]
        indexes = [models.Index(fields=["commune", "zonage"], name="classement_commune_idx")]

    def __str__(self):
        return f"{self.commune_id} : {self.niveau}"

    @property
    def niveau_detail(self):
        return self.zonage.type_zonage.niveau(self.niveau)


class QPV(models.Model):
    """Quartier prioritaire de la politique de la ville: a sub-commune polygon."""

    code = models.CharField(max_length=20, primary_key=True, help_text="code_qp de l'ANCT, ex. QN03401M.")
    nom = models.CharField(max_length=300)
    communes = models.ManyToManyField(Commune, related_name="qpv", blank=True)
    geometrie = models.JSONField("géométrie (GeoJSON)")
    valid_from = models.DateField("en vigueur du")
    valid_to = models.DateField("jusqu'au (inclus)", null=True, blank=True)
    import_source = models.ForeignKey(ImportZonage, on_delete=models.SET_NULL, null=True, blank=True, related_name="qpv")
    history = HistoricalRecords(m2m_fields=[communes])

    class Meta:
        verbose_name = "QPV"
        verbose_name_plural = "QPV"
        ordering = ["code"]

    def __str__(self):
        return f"{self.nom} ({self.code})"



class Publication(models.Model):
    """One publication of a version, with what it changed (its own start, the end of the version it ended), so
    that it can be undone exactly: the previous version gets back the end date it had, the version goes back to
    draft. Undoing is recorded on the same row (who, when, why)."""

    zonage = models.ForeignKey(Zonage, on_delete=models.CASCADE, related_name="publications",
                               verbose_name="version publiée")
    date_effet = models.DateField("date d'effet")
    valid_from_avant = models.DateField("date d'effet prévue avant la publication")
    precedente = models.ForeignKey(Zonage, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="publications_terminees", verbose_name="version terminée")
    precedente_valid_to_avant = models.DateField("fin de la version terminée avant la publication", null=True,
                                                 blank=True, help_text="Vide : elle n'avait pas de date de fin.")
    publie_par = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="publications_zonage", verbose_name="publiée par")
    publie_le = models.DateTimeField("publiée le", auto_now_add=True)
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)
    annulee_par = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="annulations_zonage", verbose_name="annulée par")
    motif_annulation = models.TextField("motif de l'annulation", blank=True)

    class Meta:
        verbose_name = "publication de zonage"
        verbose_name_plural = "publications de zonage"
        ordering = ["-publie_le", "-pk"]

    def __str__(self):
        etat = " (annulée)" if self.annulee_le else ""
        return f"Publication de « {self.zonage} » au {self.date_effet:%d/%m/%Y}{etat}"


class PlafondRegional(models.Model):
    """The share of a region's population a level may hold, as the agent reads it for that region in the national
    method (arrêté of 9 May 2025 for the médecins: a national pool of population in ZIP and in ZAC). Entered by ARS
    staff for their region, never guessed: the impact of a draft compares each served region's shares with that
    region's caps."""

    region = models.CharField("région", max_length=3, choices=sorted(REGIONS_INSEE.items()),
                              help_text="La région (code INSEE) dont la population est plafonnée.")
    type = models.CharField(max_length=30, choices=CHOIX_TYPES)
    niveau = models.CharField(max_length=12)
    part_maximale = models.DecimalField("part maximale de la population régionale (%)", max_digits=5,
                                        decimal_places=2)
    source = models.CharField("source", max_length=500,
                              help_text="Le texte qui fixe ce plafond pour la région (arrêté, instruction, date).")
    modifie_le = models.DateTimeField("modifié le", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "plafond régional de population"
        verbose_name_plural = "plafonds régionaux de population"
        ordering = ["region", "type", "niveau"]
        constraints = [
            models.UniqueConstraint(fields=["region", "type", "niveau"], name="plafond_unique_par_region_et_niveau",
                                    violation_error_message="Un plafond est déjà saisi pour ce niveau dans cette "
                                                            "région : modifiez-le."),
            models.CheckConstraint(condition=models.Q(part_maximale__gte=0) & models.Q(part_maximale__lte=100),
                                   name="plafond_pourcentage"),
        ]

    def __str__(self):
        niveau = TYPES[self.type].niveau(self.niveau) if self.type in TYPES else None
        return f"{REGIONS_INSEE.get(self.region, self.region)}, " \
               f"{TYPES[self.type].libelle if self.type in TYPES else self.type} — " \
               f"{niveau.libelle if niveau else self.niveau} : {self.part_maximale} %"
