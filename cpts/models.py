"""Communautés professionnelles territoriales de santé (CPTS): identity, stage, dated territory, missions.

A CPTS's territory is a set of communes, each attached for a dated period (`TerritoireCpts`). A commune belongs to
at most one CPTS at a time: `TerritoireCpts.clean()` refuses an overlapping attachment and names the other CPTS.
The population is computed from the communes attached on a day (today by default); the declared figure, with its
source, is kept beside it.
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from territoires.models import Commune, Departement


class Stade(models.TextChoices):
    """In the order of a CPTS's life."""

    INCONNU = "inconnu", "stade non précisé par la source"
    PROJET = "projet", "projet à l'étude"
    PREPARATION = "preparation", "en préparation"
    VALIDEE = "validee", "projet de santé validé"
    CONTRAT_SIGNE = "contrat_signe", "contrat ACI signé"


class Cpts(models.Model):
    nom = models.CharField(max_length=300, unique=True)
    porteur = models.CharField("porteur", max_length=500, blank=True,
                               help_text="Structure qui porte la CPTS (association, MSP, SISA…).")
    stade = models.CharField(max_length=15, choices=Stade.choices, default=Stade.PROJET, db_index=True)
    date_aci = models.DateField("date de signature du contrat ACI", null=True, blank=True,
                                help_text="Seulement au stade « contrat ACI signé ».")
    departements = models.ManyToManyField(Departement, related_name="cpts", blank=True, verbose_name="départements")
    population_declaree = models.PositiveIntegerField("population déclarée", null=True, blank=True)
    source_population = models.CharField("source de la population déclarée", max_length=500, blank=True)
    nombre_communes_declare = models.PositiveIntegerField("nombre de communes déclaré", null=True, blank=True)
    territoire_declare = models.CharField("territoire déclaré", max_length=300, blank=True,
                                          help_text="Description du territoire quand la source n'en donne pas les "
                                                    "communes (ex. des cantons).")
    source = models.TextField("source des informations", blank=True)
    email = models.EmailField("courriel de contact", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    site_web = models.URLField("site web", blank=True, max_length=500)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords(m2m_fields=[departements], excluded_fields=["modifie_le"])

    class Meta:
        verbose_name = "CPTS"
        verbose_name_plural = "CPTS"
        ordering = ["nom", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(date_aci__isnull=True) | Q(stade="contrat_signe"),
                                   name="cpts_date_aci_si_contrat_signe",
                                   violation_error_message="Une date de contrat ACI suppose le stade « contrat ACI "
                                                           "signé »."),
        ]

    def __str__(self):
        return self.nom

    def territoires_le(self, jour: datetime.date | None = None) -> list["TerritoireCpts"]:
        """The attachments in force on `jour` (today by default), from the (prefetchable) territory rows."""
        jour = jour or timezone.localdate()
        return sorted((t for t in self.territoires.all() if t.en_vigueur_le(jour)), key=lambda t: t.commune.nom)

    def population_calculee(self, jour: datetime.date | None = None) -> int | None:
        """Sum of the populations of the communes attached on `jour`; None when none is attached."""
        territoires = self.territoires_le(jour)
        if not territoires:
            return None
        return sum(t.commune.population or 0 for t in territoires)


class TerritoireCpts(models.Model):
    """One commune of a CPTS's territory, from `valid_from` to `valid_to` (both included; open-ended if empty). A
    start left empty is unknown: the source (an undated page of the CPTS) lists the commune without a date; the
    attachment then counts as in force until its end, and pages say the start is not known."""

    cpts = models.ForeignKey(Cpts, on_delete=models.CASCADE, related_name="territoires", verbose_name="CPTS")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="territoires_cpts")
    valid_from = models.DateField("en vigueur du", null=True, blank=True,
                                  help_text="Vide : date de début non connue (source non datée).")
    valid_to = models.DateField("jusqu'au", null=True, blank=True, help_text="Vide : sans date de fin.")
    source = models.CharField("source du rattachement", max_length=500, blank=True,
                              help_text="Document qui liste la commune dans le territoire de la CPTS (adresse ou titre).")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "commune du territoire"
        verbose_name_plural = "territoire (communes datées)"
        ordering = ["cpts", "commune", "valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True)
                                   | Q(valid_to__gte=models.F("valid_from")),
                                   name="territoire_cpts_dates_ordonnees",
                                   violation_error_message="La date de fin précède la date de début."),
        ]
        indexes = [models.Index(fields=["commune", "valid_from"], name="territoire_cpts_commune_idx")]

    def __str__(self):
        return f"{self.commune_id} : {self.cpts} {periode(self.valid_from, self.valid_to)}"

    def en_vigueur_le(self, jour: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= jour) and (self.valid_to is None or jour <= self.valid_to)

    def chevauchements(self):
        """The other attachments of the same commune whose period meets this one (an unknown start reaches back
        indefinitely)."""
        autres = TerritoireCpts.objects.filter(commune_id=self.commune_id).exclude(pk=self.pk)
        if self.valid_to is not None:
            autres = autres.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=self.valid_to))
        if self.valid_from is not None:
            autres = autres.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        return autres.select_related("cpts")

    def clean(self):
        super().clean()
        if not self.commune_id or (self.valid_from and self.valid_to and self.valid_to < self.valid_from):
            return  # field errors and the dates' constraint speak for themselves
        autre = self.chevauchements().order_by("valid_from").first()
        if autre is not None:
            raise ValidationError({"commune": message_chevauchement(self.commune, autre)})


def periode(debut: datetime.date | None, fin: datetime.date | None) -> str:
    """ "du 01/01/2020 au 31/12/2022", "depuis une date non connue"…"""
    texte = f"du {debut:%d/%m/%Y}" if debut else "depuis une date non connue"
    return texte + (f" au {fin:%d/%m/%Y}" if fin else "")


def message_chevauchement(commune: Commune, autre: TerritoireCpts) -> str:
    fin = "" if autre.valid_to else " sans date de fin"
    return (f"La commune {commune.nom} ({commune.code_insee}) appartient déjà à la CPTS « {autre.cpts.nom} » "
            f"{periode(autre.valid_from, autre.valid_to)}{fin} : une commune ne peut appartenir qu'à une CPTS à la fois.")


class Mission(models.Model):
    class Code(models.TextChoices):
        ACCES_MEDECIN_TRAITANT = "acces_medecin_traitant", "Accès à un médecin traitant"
        SOINS_NON_PROGRAMMES = "soins_non_programmes", "Soins non programmés"
        PARCOURS = "parcours", "Parcours de soins"
        PREVENTION = "prevention", "Prévention"
        CRISE = "crise", "Réponse aux crises sanitaires"
        OPTIONNELLE = "optionnelle", "Mission optionnelle"

    class Etat(models.TextChoices):
        A_DEFINIR = "a_definir", "à définir"
        EN_COURS = "en_cours", "en cours"
        REALISEE = "realisee", "réalisée"

    cpts = models.ForeignKey(Cpts, on_delete=models.CASCADE, related_name="missions", verbose_name="CPTS")
    code = models.CharField("mission", max_length=25, choices=Code.choices)
    libelle = models.CharField("intitulé", max_length=300, blank=True,
                               help_text="Obligatoire pour une mission optionnelle.")
    etat = models.CharField("état", max_length=12, choices=Etat.choices, default=Etat.A_DEFINIR)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "mission"
        verbose_name_plural = "missions"
        ordering = ["cpts", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cpts", "code"], condition=~Q(code="optionnelle"),
                                    name="mission_socle_unique",
                                    violation_error_message="Cette mission socle figure déjà pour cette CPTS."),
            models.CheckConstraint(condition=~Q(code="optionnelle") | ~Q(libelle=""), name="mission_optionnelle_libelle",
                                   violation_error_message="Une mission optionnelle a besoin d'un intitulé."),
        ]

    def __str__(self):
        return self.intitule

    @property
    def socle(self) -> bool:
        return self.code != self.Code.OPTIONNELLE

    @property
    def intitule(self) -> str:
        return self.libelle if self.libelle and not self.socle else self.get_code_display()
