"""The parameters of a simulation, defined once for the API and the "Mes aides" pages. The situation's fields and
the place of practice are derived from their declaration (aides/eligibilite/vocabulaire.py): label, help, bounds,
choices."""
import datetime

from django import forms
from django.utils import timezone

from noyau.cache_generations import MemoireLocale
from territoires.models import Commune
from territoires.regions_servies import cle_des_regions_servies, message_commune_hors_regions

from .eligibilite.faits import PROFESSIONS, Situation
from .eligibilite.vocabulaire import CHOIX, ENTIER, FAITS, LIEU, NOMBRE, OUI_NON, Fait

REPONSES_OUI_NON = [("", "Je ne sais pas / non précisé"), ("oui", "Oui"), ("non", "Non")]


def _permis(choix) -> str:
    return ", ".join(str(c) for c, _ in choix if c != "")


class ChoixExplicite(forms.ChoiceField):
    """A choice whose error names the allowed values."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = f"« %(value)s » n'est pas permis ; valeurs permises : {_permis(self.choices)}."


class OuiNon(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=REPONSES_OUI_NON, coerce=lambda v: v in {"oui", "true", "1", True}, empty_value=None,
                         required=False, **kwargs)
        self.error_messages["invalid_choice"] = "« %(value)s » n'est pas permis ; valeurs permises : oui, non."

    def to_python(self, value):
        # The API also accepts JSON booleans and true/false.
        return {True: "oui", False: "non", "true": "oui", "false": "non", "1": "oui", "0": "non"}.get(value, value)


def _bornes(fait: Fait) -> dict:
    """min/max of a number field, with errors that name the field (the API reports them under its name)."""
    bornes, messages = {}, {}
    libelle = fait.libelle.replace("%", "%%")  # the message is %-formatted with the bound
    if fait.minimum is not None:
        bornes["min_value"] = fait.minimum
        messages["min_value"] = f"{libelle} : au moins %(limit_value)s."
    if fait.maximum is not None:
        bornes["max_value"] = fait.maximum
        messages["max_value"] = f"{libelle} : au plus %(limit_value)s."
    return {**bornes, "error_messages": messages}


def champ_du_fait(fait: Fait) -> forms.Field:
    commun = {"label": fait.libelle, "help_text": fait.aide}
    if fait.nature == CHOIX:
        return ChoixExplicite(required=False, choices=[("", "Non précisé"), *fait.choix.items()], **commun)
    if fait.nature == OUI_NON:
        return OuiNon(**commun)
    classe = {ENTIER: forms.IntegerField, NOMBRE: forms.FloatField}[fait.nature]
    return classe(required=False, **_bornes(fait), **commun)


_communes = MemoireLocale(6000)  # a region's communes, without their outlines: a few megabytes


def commune_servie(code: str) -> Commune | None:
    """The served commune of INSEE code `code` with its département, kept in the process until a territory changes
    (one query per request saved). Without its outlines: large JSON documents the simulation does not use (decoding
    them was a third of an API request's time)."""
    return _communes.obtenir(f"aides:commune:{code}:{cle_des_regions_servies()}", ("territoires",), lambda: (
        Commune.objects.servies().select_related("departement").defer("contour", "departement__contour")
        .filter(code_insee=code).first()))


class ChampsPartages(dict):
    """The form's fields, shared by its instances instead of deep-copied for each one (Django's default, for forms
    that change their fields per instance; this one never does): the copy of its thirty fields was a third of an
    API request's time."""

    def __deepcopy__(self, memo):
        return dict(self)


class SimulationForm(forms.Form):
    commune = forms.CharField(label="Commune", max_length=5,
                              help_text="Dans quelle commune exercerez-vous ? Son code INSEE, à 5 caractères (ex. 34032 "
                                        "pour Béziers).",
                              error_messages={"required": "Le code INSEE de la commune est obligatoire."})
    profession = ChoixExplicite(label="Profession", choices=list(PROFESSIONS.items()),
                                help_text="Quelle est votre profession ?",
                                error_messages={"required": "La profession est obligatoire ; valeurs permises : "
                                                + ", ".join(PROFESSIONS) + "."})
    date = forms.DateField(label="Date", required=False, input_formats=["%Y-%m-%d"],
                           help_text="La date à laquelle les règles et les zonages sont lus ; aujourd'hui si elle "
                           "est laissée vide.",
                           error_messages={"invalid": "Date attendue au format AAAA-MM-JJ."},
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    toutes_professions = OuiNon(label="Dispositifs de toutes les professions",
                                help_text="oui : répondre aussi sur les dispositifs des autres professions (non "
                                          "éligibles) ; par défaut, seulement ceux ouverts à la profession choisie.")

    def clean_commune(self):
        code = self.cleaned_data["commune"].strip().upper()
        commune = commune_servie(code)
        if commune is None:
            raise forms.ValidationError(message_commune_hors_regions(code)
                                        or f"Commune inconnue : « {code} » (code INSEE à 5 caractères, ex. 34032).")
        return commune

    def clean(self):
        donnees = super().clean()
        invalide = "lon" in self.errors or "lat" in self.errors  # already reported; not "missing" as well
        if not invalide and (donnees.get("lon") is None) != (donnees.get("lat") is None):
            raise forms.ValidationError({"lon": "Donnez la longitude et la latitude ensemble."})
        return donnees

    @property
    def situation(self) -> Situation:
        valeurs = {nom: self.cleaned_data.get(nom) for nom in FAITS}
        return Situation(**{nom: None if valeur == "" else valeur for nom, valeur in valeurs.items()})

    @property
    def jour(self) -> datetime.date:
        return self.cleaned_data.get("date") or timezone.localdate()

    @classmethod
    def noms_situation(cls) -> list[str]:
        return list(FAITS)


# After commune, profession and date: the situation, most decisive first, the place of practice, then the option on
# other professions' schemes. Built once per process; Django deep-copies base_fields for each form.
_toutes_professions = SimulationForm.base_fields.pop("toutes_professions")
SimulationForm.base_fields.update({fait.nom: champ_du_fait(fait) for fait in (*FAITS.values(), *LIEU.values())})
SimulationForm.base_fields["toutes_professions"] = _toutes_professions
SimulationForm.base_fields = ChampsPartages(SimulationForm.base_fields)
