"""The subscription form: an address, a commune or a département, a profession."""
from django import forms

from aides.eligibilite.faits import PROFESSIONS
from aides.formulaires import ChoixExplicite
from territoires.recherche import commune_designee
from zonages.carte import departements_de_la_region


class AbonnementForm(forms.Form):
    courriel = forms.EmailField(label="Votre adresse électronique", max_length=254,
                                help_text="Un message de confirmation y sera envoyé ; rien d'autre sans votre accord.",
                                error_messages={"required": "L'adresse électronique est obligatoire.",
                                                "invalid": "Adresse électronique invalide (ex. prenom.nom@exemple.fr)."})
    commune = forms.CharField(label="Commune", required=False, max_length=100,
                              help_text="Nom ou code INSEE ; ou bien choisissez un département.")
    departement = ChoixExplicite(label="Ou tout un département", required=False, choices=[("", "Aucun")])
    profession = ChoixExplicite(label="Profession", choices=list(PROFESSIONS.items()),
                                error_messages={"required": "La profession est obligatoire."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Aucun"), *((code, f"{code} — {nom}") for code, nom in
                                                              departements_de_la_region().items())]

    def clean_commune(self):
        texte = (self.cleaned_data.get("commune") or "").strip()
        return commune_designee(texte) if texte else None

    def clean(self):
        donnees = super().clean()
        if "commune" in self.errors:
            return donnees
        if bool(donnees.get("commune")) == bool(donnees.get("departement")):
            raise forms.ValidationError("Choisissez une commune, ou bien un département (pas les deux).")
        return donnees
