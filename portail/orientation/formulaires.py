"""The profile of « Où m'installer ? », for the page and the API alike: the simulation's own fields (profession, date,
the situation: aides/formulaires.py, derived from the declared facts) without the place, and where to look (a
département, around a commune) and how to sort."""
from django import forms

from aides.formulaires import ChoixExplicite, SimulationForm
from territoires.proximite import RAYON_MAXIMAL_KM
from territoires.recherche import commune_designee
from zonages.carte import departements_de_la_region, nom_de_la_region

RAYON_PAR_DEFAUT_KM = 30
TRIS = {"aides": "aides (les plus d'aides certaines d'abord)", "distance": "distance", "commune": "commune",
        "departement": "département", "population": "population"}
# The place of one simulation: not asked here, every commune is evaluated.
CHAMPS_DU_LIEU = ("commune", "lon", "lat")


class ProfilForm(SimulationForm):
    departement = forms.CharField(label="Département", required=False, max_length=3,
                                  help_text="Code du département (ex. 12) ; toute la région si vide.")
    autour = forms.CharField(label="Autour de la commune", required=False, max_length=100,
                             help_text="Nom ou code INSEE : seules les communes à moins du rayon sont gardées.")
    rayon_km = forms.FloatField(label="Rayon, en km", required=False, min_value=1, max_value=RAYON_MAXIMAL_KM,
                                help_text=f"À vol d'oiseau, entre les communes ; {RAYON_PAR_DEFAUT_KM} km si vide.",
                                error_messages={"min_value": "Rayon, en km : au moins %(limit_value)s.",
                                                "max_value": "Rayon, en km : au plus %(limit_value)s.",
                                                "invalid": "Rayon, en km : un nombre est attendu."})
    tri = ChoixExplicite(label="Tri", required=False,
                         choices=[("", "Par défaut (aides)"), *((c, l) for c, l in TRIS.items()),
                                  *((f"-{c}", f"{l}, ordre inverse") for c, l in TRIS.items())],
                         help_text="« - » devant : ordre inverse.")

    def clean_departement(self):
        code = (self.cleaned_data.get("departement") or "").strip().upper()
        if code and code not in departements_de_la_region():
            raise forms.ValidationError(f"« {code[:10]} » n'est pas un département de la région {nom_de_la_region()} "
                                        f"(permis : {', '.join(departements_de_la_region())}).")
        return code or None

    def clean_autour(self):
        texte = (self.cleaned_data.get("autour") or "").strip()
        if not texte:
            return None
        commune = commune_designee(texte)
        if commune.longitude is None or commune.latitude is None:
            raise forms.ValidationError(f"La position de {commune.nom} n'est pas connue du portail (contours des "
                                        "communes non chargés) : la distance ne peut être calculée.")
        return commune

    def clean(self):
        donnees = super().clean()
        autour = donnees.get("autour")
        if autour is None and "autour" not in self.errors:
            if donnees.get("rayon_km") is not None:
                self.add_error("autour", "Indiquez la commune autour de laquelle chercher.")
            if (donnees.get("tri") or "").removeprefix("-") == "distance":
                self.add_error("tri", "Le tri par distance demande une commune (paramètre autour).")
        return donnees

    @property
    def rayon(self) -> float | None:
        """The radius around the commune, when one is given."""
        if self.cleaned_data.get("autour") is None:
            return None
        return self.cleaned_data.get("rayon_km") or RAYON_PAR_DEFAUT_KM


# Profession and date, then where to look, then the situation (the simulation's order: most decisive first).
_SIMULATION = {nom: champ for nom, champ in SimulationForm.base_fields.items() if nom not in CHAMPS_DU_LIEU}
_OU = {nom: ProfilForm.base_fields[nom] for nom in ("departement", "autour", "rayon_km", "tri")}
ProfilForm.base_fields = {"profession": _SIMULATION.pop("profession"), "date": _SIMULATION.pop("date"), **_OU,
                          **_SIMULATION}
