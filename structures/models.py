"""Structures d'exercice coordonné: MSP, centres de santé, ESP, PTA, réseaux territoriaux.

A structure's status is not a field: it is derived from its dated status changes (`ChangementStatut`), the latest
one on or before the day asked (today by default). `Structure.objects.avec_statut()` annotates it in SQL (for lists
and filters); `Structure.statut_le()` derives it in Python from the prefetched changes (for one page).
"""
import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When
from django.utils import formats, timezone
from simple_history.models import HistoricalRecords

from noyau.importation import EnregistrementImport
from noyau.professions import CHOIX_PROFESSIONS, libelle
from territoires.models import Commune


class Type(models.TextChoices):
    MSP = "msp", "Maison de santé pluriprofessionnelle (MSP)"
    CENTRE_SANTE = "centre-sante", "Centre de santé"
    ESP = "esp", "Équipe de soins primaires (ESP)"
    PTA = "pta", "Plateforme territoriale d'appui (PTA)"
    RESEAU = "reseau-territorial", "Réseau territorial"


class SousType(models.TextChoices):
    """Only for centres de santé. "non précisée" says that the source does not give it (the FINESS register files
    every centre de santé under one category, 124): stated, never guessed."""

    POLYVALENT = "polyvalent", "polyvalent"
    MEDICAL = "medical", "médical"
    DENTAIRE = "dentaire", "dentaire"
    INFIRMIER = "infirmier", "infirmier"
    NON_PRECISE = "non-precise", "catégorie non précisée"


class Statut(models.TextChoices):
    """In the order of a structure's life: on the same day, the later stage wins."""

    PROJET = "projet", "en projet"
    LABELLISEE = "labellisee", "labellisée"
    OUVERTE = "ouverte", "ouverte"
    FERMEE = "fermee", "fermée"


RANG_STATUT = {statut.value: rang for rang, statut in enumerate(Statut)}


class FormeJuridique(models.TextChoices):
    SISA = "sisa", "Société interprofessionnelle de soins ambulatoires (SISA)"
    ASSOCIATION = "association", "Association"
    SCM = "scm", "Société civile de moyens (SCM)"
    SEL = "sel", "Société d'exercice libéral (SEL)"
    GCS = "gcs", "Groupement de coopération sanitaire (GCS)"
    COLLECTIVITE = "collectivite", "Collectivité territoriale"
    ETABLISSEMENT_PUBLIC = "etablissement-public", "Établissement public"
    MUTUELLE = "mutuelle", "Mutuelle"
    FONDATION = "fondation", "Fondation"
    AUTRE = "autre", "Autre"


class ImportStructures(EnregistrementImport):
    """The record of one structures file import (or dry run): who, when, which file, what came of it."""

    utilisateur = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="imports_structures")
    origine = models.CharField("lancé depuis", max_length=200, blank=True,
                               help_text="Commande (avec l'identifiant système) ou administration.")
    fichier = models.FileField(upload_to="imports/structures/%Y/%m/", blank=True,
                               help_text="Le fichier déposé dans l'administration, gardé pour le worker et la relance.")
    parametres = models.JSONField("paramètres demandés", default=dict, blank=True,
                                  help_text="Date du registre donnée pour un fichier FINESS qui ne la dit pas.")
    signe_de_vie = models.DateTimeField(
        "dernier signe de vie", null=True, blank=True,
        help_text="Mis à jour régulièrement par le processus qui exécute l'import : un import en cours sans signe de "
                  "vie récent a été interrompu.")
    creees = models.PositiveIntegerField("structures créées", default=0)
    modifiees = models.PositiveIntegerField("structures modifiées", default=0)
    inchangees = models.PositiveIntegerField("structures inchangées", default=0)
    registre = models.CharField("registre", max_length=20, blank=True,
                                help_text="Registre officiel dont vient le fichier (FINESS), vide pour un fichier de l'ARS.")
    date_registre = models.DateField("date du registre", null=True, blank=True,
                                     help_text="Date d'extraction du registre : ses structures sont celles de ce jour-là.")

    class Meta:
        verbose_name = "import de structures"
        verbose_name_plural = "imports de structures"
        ordering = ["-cree_le"]

    @property
    def libelle_registre(self) -> str:
        """« registre FINESS au 8 janvier 2021 », or "" for a file that is not a register's."""
        if not self.registre:
            return ""
        if not self.date_registre:
            return f"registre {self.registre}"
        return f"registre {self.registre} au {formats.date_format(self.date_registre, 'j F Y')}"


class StructureQuerySet(models.QuerySet):
    def avec_statut(self, jour: datetime.date | None = None):
        """Annotates `statut_actuel` and `statut_depuis`: the latest status change on or before `jour` (today by
        default); None when the structure has none yet."""
        jour = jour or timezone.localdate()
        dernier = (ChangementStatut.objects.filter(structure=OuterRef("pk"), date__lte=jour)
                   .annotate(rang=Case(*[When(statut=s, then=Value(r)) for s, r in RANG_STATUT.items()],
                                       output_field=IntegerField()))
                   .order_by("-date", "-rang", "-pk"))
        return self.annotate(statut_actuel=Subquery(dernier.values("statut")[:1]),
                             statut_depuis=Subquery(dernier.values("date")[:1]))


class Structure(models.Model):
    identifiant = models.CharField(
        max_length=40, unique=True,
        help_text="Identifiant stable (numéro de l'ARS ou FINESS) : les imports mettent à jour la structure qui le porte.")
    nom = models.CharField(max_length=300)
    type = models.CharField(max_length=20, choices=Type.choices, db_index=True)
    sous_type = models.CharField("catégorie de centre de santé", max_length=12, choices=SousType.choices, blank=True,
                                 help_text="Centres de santé seulement.")
    universitaire = models.BooleanField(default=False, help_text="MSP universitaire (MSP seulement).")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="structures_principales",
                                verbose_name="commune principale")
    communes = models.ManyToManyField(Commune, related_name="structures", blank=True,
                                      help_text="Toutes les communes de la structure, la principale comprise "
                                                "(une ESP ou une PTA peut en couvrir plusieurs).")
    adresse = models.CharField(max_length=500, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    forme_juridique = models.CharField(max_length=25, choices=FormeJuridique.choices, blank=True)
    aci_signe = models.BooleanField("ACI signé", default=False,
                                    help_text="Accord conventionnel interprofessionnel signé avec l'Assurance Maladie.")
    aci_date = models.DateField("date de signature de l'ACI", null=True, blank=True)
    email = models.EmailField("courriel de contact", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    site_web = models.URLField("site web", blank=True, max_length=500)
    themes = models.JSONField("thèmes du projet de santé", default=list, blank=True)
    import_source = models.ForeignKey(ImportStructures, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="structures", verbose_name="dernier import")
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords(m2m_fields=[communes], excluded_fields=["modifie_le"])

    objects = StructureQuerySet.as_manager()

    class Meta:
        ordering = ["nom", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(sous_type="") | models.Q(type="centre-sante"),
                                   name="structure_sous_type_centre_sante",
                                   violation_error_message="La catégorie est réservée aux centres de santé."),
            models.CheckConstraint(condition=models.Q(universitaire=False) | models.Q(type="msp"),
                                   name="structure_universitaire_msp",
                                   violation_error_message="Seule une MSP peut être universitaire."),
            models.CheckConstraint(condition=models.Q(aci_date__isnull=True) | models.Q(aci_signe=True),
                                   name="structure_aci_date_si_signe",
                                   violation_error_message="Une date de signature de l'ACI suppose un ACI signé."),
            models.CheckConstraint(
                condition=(models.Q(longitude__isnull=True, latitude__isnull=True)
                           | models.Q(longitude__isnull=False, latitude__isnull=False, longitude__gte=-180, longitude__lte=180,
                             latitude__gte=-90, latitude__lte=90)),
                name="structure_point_valide",
                violation_error_message="Longitude et latitude vont ensemble, en degrés décimaux WGS 84."),
        ]

    def __str__(self):
        return self.nom

    def clean(self):
        if self.type == Type.CENTRE_SANTE and not self.sous_type:
            raise ValidationError({"sous_type": "Précisez la catégorie du centre de santé."})

    @property
    def type_complet(self) -> str:
        """« Centre de santé dentaire », « Maison de santé pluriprofessionnelle (MSP) universitaire »…"""
        texte = self.get_type_display()
        if self.sous_type == SousType.NON_PRECISE:
            texte += f" ({self.get_sous_type_display()})"
        elif self.sous_type:
            texte += f" {self.get_sous_type_display()}"
        if self.universitaire:
            texte += " universitaire"
        return texte

    def statut_le(self, jour: datetime.date | None = None) -> "ChangementStatut | None":
        """The status change in force on `jour` (today by default), from the (prefetchable) changes."""
        jour = jour or timezone.localdate()
        passes = [c for c in self.changements_statut.all() if c.date <= jour]
        return max(passes, key=lambda c: (c.date, RANG_STATUT[c.statut], c.pk or 0), default=None)

    @property
    def statut_actuel_libelle(self) -> str:
        code = getattr(self, "statut_actuel", None)
        return Statut(code).label if code else "statut non renseigné"

    @property
    def registre(self) -> str:
        """Where the structure's data comes from when a register's file gave it: « registre FINESS au 8 janvier
        2021 » (its last import; `import_source` selected), else ""."""
        return self.import_source.libelle_registre if self.import_source_id else ""

    @property
    def a_un_point(self) -> bool:
        return self.longitude is not None and self.latitude is not None


class ChangementStatut(models.Model):
    """A dated status change: the structure became `statut` on `date`."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="changements_statut")
    statut = models.CharField(max_length=12, choices=Statut.choices)
    date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "changement de statut"
        verbose_name_plural = "statuts (historique daté)"
        ordering = ["structure", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["structure", "statut", "date"], name="changement_statut_unique")]
        indexes = [models.Index(fields=["structure", "date"], name="changement_statut_date_idx")]

    def __str__(self):
        return f"{self.get_statut_display()} le {self.date:%d/%m/%Y}"


class EffectifProfession(models.Model):
    """How many professionals of one profession work in the structure."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="effectifs")
    profession = models.CharField(max_length=30, choices=CHOIX_PROFESSIONS)
    nombre = models.PositiveIntegerField()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "effectif par profession"
        verbose_name_plural = "professionnels par profession"
        ordering = ["structure", "profession"]
        constraints = [models.UniqueConstraint(fields=["structure", "profession"], name="effectif_profession_unique")]
        indexes = [models.Index(fields=["profession", "nombre"], name="effectif_profession_idx")]

    def __str__(self):
        return f"{self.nombre} {libelle(self.profession).lower()}"


class TypeOffre(models.TextChoices):
    SALARIE = "salarie", "Salarié"
    EXERCICE_PARTAGE = "exercice-partage", "Exercice partagé ville-hôpital"
    COLLABORATION = "collaboration", "Collaboration"
    REMPLACEMENT = "remplacement", "Remplacement"
    ASSOCIATION = "association", "Association"


class OffreQuerySet(models.QuerySet):
    def visibles(self, jour: datetime.date | None = None):
        """Published and not expired on `jour` (today by default): expired offers leave public lists by themselves."""
        jour = jour or timezone.localdate()
        return self.filter(publiee_le__lte=jour, expire_le__gte=jour)


class Offre(models.Model):
    """A job offer (e.g. the ARS's salaried and shared ville-hôpital GP posts), published for a period."""

    titre = models.CharField(max_length=200)
    profession = models.CharField(max_length=30, choices=CHOIX_PROFESSIONS)
    type = models.CharField(max_length=20, choices=TypeOffre.choices)
    structure = models.ForeignKey(Structure, on_delete=models.SET_NULL, null=True, blank=True, related_name="offres",
                                  verbose_name="employeur (structure du portail)")
    employeur = models.CharField("employeur", max_length=200, blank=True,
                                 help_text="Si l'employeur n'est pas une structure du portail (hôpital, collectivité…).")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="offres")
    quotite = models.PositiveSmallIntegerField("quotité (% d'un temps plein)", default=100)
    date_debut = models.DateField("prise de poste", null=True, blank=True)
    publiee_le = models.DateField("publiée le")
    expire_le = models.DateField("expire le")
    description = models.TextField(blank=True)
    contact_nom = models.CharField("contact", max_length=200)
    contact_courriel = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=30, blank=True)
    history = HistoricalRecords()
    objects = OffreQuerySet.as_manager()

    class Meta:
        verbose_name = "offre d'emploi"
        verbose_name_plural = "offres d'emploi"
        ordering = ["-publiee_le", "titre"]
        indexes = [models.Index(fields=["expire_le", "publiee_le"], name="offre_visibilite_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(expire_le__gte=models.F("publiee_le")),
                                   name="offre_expire_apres_publication",
                                   violation_error_message="La date d'expiration précède la date de publication."),
            models.CheckConstraint(condition=models.Q(quotite__gte=1, quotite__lte=100), name="offre_quotite_valide",
                                   violation_error_message="La quotité est un pourcentage de 1 à 100."),
        ]

    def __str__(self):
        return self.titre

    def clean(self):
        if not self.structure_id and not self.employeur.strip():
            raise ValidationError({"employeur": "Indiquez l'employeur : une structure du portail ou son nom."})

    @property
    def nom_employeur(self) -> str:
        return self.structure.nom if self.structure_id else self.employeur
