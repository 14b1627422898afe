"""The parameters of a simulation, defined once for the API and the "Mes aides" pages. The situation fields follow
the engine's `Situation` dataclass, so a fact added there is asked here too."""
import dataclasses
import datetime
import typing

from django import forms

from territoires.models import Commune

from .eligibilite import faits as vocabulaire
from .eligibilite.faits import PROFESSIONS, Situation

# Choice lists of the situation's text fields, by field name.
CHOIX = {"etape": vocabulaire.ETAPES, "mode": vocabulaire.MODES, "exercice_coordonne": vocabulaire.EXERCICES_COORDONNES,
         "secteur": vocabulaire.SECTEURS, "porteur_projet": vocabulaire.PORTEURS_PROJET}
LIBELLES = {
    "etape": "Où en êtes-vous ?", "mode": "Mode d'exercice", "exercice_coordonne": "Exercice coordonné",
    "demi_journees": "Demi-journées par semaine", "secteur": "Secteur conventionnel",
    "premiere_installation": "Première installation en libéral", "age": "Âge", "maitre_de_stage": "Maître de stage universitaire",
    "ipa": "Infirmier en pratique avancée", "porteur_projet": "Projet porté", "pdsa": "Permanence des soins (PDSA)",
}
# Upper bounds of numeric facts, where one is obvious (a week has 14 half-days); others are only non-negative.
MAXIMA = {"age": 120, "demi_journees": 14, "jours_par_an_en_zip": 366, "annee_etudes": 15, "cycle_etudes": 3}
OUI_NON = [("", "Je ne sais pas / non précisé"), ("oui", "Oui"), ("non", "Non")]


def _permis(choix) -> str:
    return ", ".join(str(c) for c, _ in choix if c != "")


class ChoixExplicite(forms.ChoiceField):
    """A choice whose error names the allowed values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = f"« %(value)s » n'est pas permis ; valeurs permises : {_permis(self.choices)}."


class OuiNon(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=OUI_NON, coerce=lambda v: v in {"oui", "true", "1", True}, empty_value=None,
                         required=False, **kwargs)
        self.error_messages["invalid_choice"] = "« %(value)s » n'est pas permis ; valeurs permises : oui, non."

    def to_python(self, value):
        # The API also accepts JSON booleans and true/false.
        return {True: "oui", False: "non", "true": "oui", "false": "non", "1": "oui", "0": "non"}.get(value, value)


def _champ_situation(champ: dataclasses.Field) -> forms.Field:
    libelle = LIBELLES.get(champ.name, champ.name.replace("_", " ").capitalize())
    type_ = [t for t in typing.get_args(champ.type) if t is not type(None)][0] if typing.get_args(champ.type) else champ.type
    if champ.name in CHOIX:
        return ChoixExplicite(label=libelle, required=False, choices=[("", "Non précisé"), *CHOIX[champ.name].items()])
    if type_ is bool:
        return OuiNon(label=libelle)
    if type_ is int:
        return forms.IntegerField(label=libelle, required=False, min_value=0, max_value=MAXIMA.get(champ.name))
    if type_ is float:
        return forms.FloatField(label=libelle, required=False, min_value=0, max_value=MAXIMA.get(champ.name))
    return forms.CharField(label=libelle, required=False, max_length=100)


class SimulationForm(forms.Form):
    commune = forms.CharField(label="Commune (code INSEE)", max_length=5,
                              error_messages={"required": "Le code INSEE de la commune est obligatoire."})
    profession = ChoixExplicite(label="Profession", choices=list(PROFESSIONS.items()),
                                error_messages={"required": "La profession est obligatoire ; valeurs permises : "
                                                + ", ".join(PROFESSIONS) + "."})
    date = forms.DateField(label="Date", required=False, input_formats=["%Y-%m-%d"],
                           error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."},
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    lon = forms.FloatField(label="Longitude du lieu d'exercice", required=False, min_value=-180, max_value=180)
    lat = forms.FloatField(label="Latitude du lieu d'exercice", required=False, min_value=-90, max_value=90)

    def clean_commune(self):
        # Without its outlines: large JSON documents the simulation does not use (decoding them was a third of an
        # API request's time).
        code = self.cleaned_data["commune"].strip().upper()
        commune = (Commune.objects.select_related("departement").defer("contour", "departement__contour")
                   .filter(code_insee=code).first())
        if commune is None:
            raise forms.ValidationError(f"Commune inconnue : « {code} » (code INSEE à 5 caractères, ex. 34032).")
        return commune

    def clean(self):
        donnees = super().clean()
        if (donnees.get("lon") is None) != (donnees.get("lat") is None):
            raise forms.ValidationError({"lon": "Donnez la longitude et la latitude ensemble."})
        return donnees

    @property
    def situation(self) -> Situation:
        valeurs = {c.name: self.cleaned_data.get(c.name) for c in dataclasses.fields(Situation)}
        return Situation(**{nom: None if valeur == "" else valeur for nom, valeur in valeurs.items()})

    @property
    def jour(self) -> datetime.date:
        return self.cleaned_data.get("date") or datetime.date.today()

    @classmethod
    def noms_situation(cls) -> list[str]:
        return [c.name for c in dataclasses.fields(Situation)]


# The situation fields are generated from the dataclass once per process; Django deep-copies base_fields per form.
SimulationForm.base_fields.update({champ.name: _champ_situation(champ) for champ in dataclasses.fields(Situation)})
