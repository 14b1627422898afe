"""Aids as stored data: each scheme's rule document (loaded from aides/regles/*.yaml, editable by ARS staff with the
same schema validation), and the contacts per département that ARS staff maintain."""
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .eligibilite.regles import CONTACTS, FINANCEURS, valider


class Dispositif(models.Model):
    code = models.CharField(max_length=40, primary_key=True)
    nom = models.CharField(max_length=300)
    financeur = models.CharField(max_length=30, choices=list(FINANCEURS.items()))
    regle = models.JSONField("règle", help_text="Le document de règle (même schéma que les fichiers YAML).")
    empreinte_fichier = models.CharField(max_length=64, blank=True,
                                         help_text="SHA-256 du fichier YAML chargé en dernier (vide : saisi dans l'administration).")
    modifie_dans_l_admin = models.BooleanField("modifié dans l'administration depuis le dernier chargement", default=False)
    modifie_le = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "dispositif d'aide"
        verbose_name_plural = "dispositifs d'aide"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.nom}"

    def clean(self):
        problemes = valider(self.regle)
        if not problemes and self.regle.get("code") != self.code:
            problemes.append(f"le code du document ({self.regle.get('code')!r}) doit être {self.code!r}")
        if problemes:
            raise ValidationError({"regle": problemes})


class Contact(models.Model):
    """Who to contact about a scheme in a département: the ARS délégation, the CPAM, the URPS, the faculty…"""

    departement = models.ForeignKey("territoires.Departement", on_delete=models.CASCADE, related_name="contacts")
    type = models.CharField(max_length=20, choices=list(CONTACTS.items()))
    nom = models.CharField(max_length=200)
    adresse = models.TextField(blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    courriel = models.EmailField(blank=True)
    site = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["departement", "type"]
        constraints = [models.UniqueConstraint(fields=["departement", "type"], name="contact_unique_par_type")]

    def __str__(self):
        return f"{self.get_type_display()} ({self.departement_id}) : {self.nom}"

    def en_dict(self) -> dict:
        return {"type": self.type, "libelle": self.get_type_display(), "nom": self.nom, "adresse": self.adresse,
                "telephone": self.telephone, "courriel": self.courriel, "site": self.site}
