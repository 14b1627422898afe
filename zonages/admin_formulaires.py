"""Forms of the zonages administration (import of a file, publication, a commune's level, a version)."""
import datetime
from pathlib import Path

from django import forms

from .imports.execution import DemandeImport
from .models import Classement, Zonage
from .niveaux import CHOIX_TYPES, TYPES

CHOIX_TYPES_IMPORT = CHOIX_TYPES + [("qpv", "Quartiers prioritaires de la politique de la ville (QPV)")]
CHOIX_FORMATS = [
    ("", "Détection automatique"),
    ("csv", "CSV avec en-tête (colonne du code INSEE et colonne du niveau)"),
    ("cartosante", "Export CartoSanté (« Code;Libellé;Zonage … »)"),
    ("geojson", "GeoJSON des QPV (ANCT)"),
]
EXTENSIONS_CLASSEMENT = {".csv", ".txt", ".tsv"}
EXTENSIONS_QPV = {".geojson", ".json"}


class ChampDate(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FormulaireImport(forms.Form):
    type = forms.ChoiceField(label="Type de zonage", choices=CHOIX_TYPES_IMPORT)
    fichier = forms.FileField(label="Fichier", help_text="CSV, export CartoSanté, ou GeoJSON pour les QPV.")
    format = forms.ChoiceField(label="Format", choices=CHOIX_FORMATS, required=False)
    valid_from = ChampDate(label="En vigueur du", help_text="Date d'effet de l'arrêté.")
    valid_to = ChampDate(label="Jusqu'au (inclus)", required=False, help_text="Vide : sans date de fin.")
    reference = forms.CharField(label="Référence de l'arrêté", max_length=500)
    note_source = forms.CharField(label="Note sur la source", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text="Affichée aux usagers à côté du zonage (source, date, réserves).")
    colonne_code = forms.CharField(label="Colonne du code INSEE", required=False, max_length=100,
                                   help_text="Facultatif : seulement si elle n'est pas reconnue automatiquement.")
    colonne_niveau = forms.CharField(label="Colonne du niveau", required=False, max_length=100,
                                     help_text="Facultatif : seulement si elle n'est pas reconnue automatiquement.")
    essai = forms.BooleanField(label="Essai à blanc", required=False,
                               help_text="Valide le fichier et affiche le rapport sans rien écrire.")

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        if not fichier.size:
            raise forms.ValidationError("Le fichier est vide.")
        return fichier

    def clean(self):
        donnees = super().clean()
        debut, fin = donnees.get("valid_from"), donnees.get("valid_to")
        if debut and fin and fin < debut:
            self.add_error("valid_to", "La date de fin est antérieure à la date d'effet.")
        type_, format_, fichier = donnees.get("type"), donnees.get("format"), donnees.get("fichier")
        if type_ == "qpv" and format_ not in ("", "geojson", None):
            self.add_error("format", "Les QPV s'importent depuis un fichier GeoJSON.")
        if type_ and type_ != "qpv" and format_ == "geojson":
            self.add_error("format", "Le format GeoJSON est réservé aux QPV.")
        if type_ and fichier:
            extension = Path(fichier.name).suffix.lower()
            attendues = EXTENSIONS_QPV if type_ == "qpv" else EXTENSIONS_CLASSEMENT
            if extension not in attendues:
                self.add_error("fichier", f"Extension « {extension or 'aucune'} » inattendue pour ce type "
                                          f"(attendues : {', '.join(sorted(attendues))}).")
        return donnees

    def demande(self) -> DemandeImport:
        d = self.cleaned_data
        return DemandeImport(
            type=d["type"], valid_from=d["valid_from"], valid_to=d["valid_to"], reference=d["reference"].strip(),
            note_source=d["note_source"].strip(), format=d["format"] or None,
            colonne_code=d["colonne_code"].strip() or None, colonne_niveau=d["colonne_niveau"].strip() or None,
            essai=d["essai"],
        )


class FormulairePublication(forms.Form):
    date_effet = ChampDate(label="Date d'effet",
                           help_text="La version en vigueur la veille prendra fin ce jour-là moins un jour.")

    def __init__(self, *args, zonage: Zonage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if zonage is not None and not self.is_bound:
            self.initial.setdefault("date_effet", zonage.valid_from)


def _choix_niveaux(zonage: Zonage | None):
    if zonage is not None:
        return [(n.code, f"{n.code} — {n.libelle}") for n in zonage.type_zonage.niveaux]
    return [("", "---------")] + [(t.libelle, [(n.code, f"{n.code} — {n.libelle}") for n in t.niveaux])
                                  for t in TYPES.values()]


class FormulaireClassement(forms.ModelForm):
    """A commune's level in one version, restricted to the levels of the version's kind."""

    niveau = forms.CharField(label="niveau", max_length=12)

    class Meta:
        model = Classement
        fields = ["zonage", "commune", "niveau"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zonage = self.instance.zonage if self.instance.zonage_id else None
        self.fields["niveau"].widget = forms.Select(choices=_choix_niveaux(zonage))
        if zonage is not None and zonage.statut == Zonage.Statut.PUBLIE:
            self.fields["niveau"].help_text = ("Cette version est publiée : la modification s'applique dès "
                                               "l'enregistrement et figure dans l'historique.")

    def clean(self):
        donnees = super().clean()
        zonage = donnees.get("zonage") or (self.instance.zonage if self.instance.zonage_id else None)
        niveau = (donnees.get("niveau") or "").strip()
        if zonage is not None and niveau:
            if zonage.type_zonage.niveau(niveau) is None:
                attendus = ", ".join(f"{n.code} ({n.libelle})" for n in zonage.type_zonage.niveaux)
                self.add_error("niveau", f"« {niveau} » n'est pas un niveau du zonage "
                                         f"{zonage.type_zonage.libelle} (attendus : {attendus}).")
            else:
                donnees["niveau"] = niveau
        return donnees


class FormulaireZonage(forms.ModelForm):
    class Meta:
        model = Zonage
        fields = ["reference", "valid_from", "valid_to", "note_source"]

    def clean(self):
        donnees = super().clean()
        debut = donnees.get("valid_from", self.instance.valid_from)
        fin = donnees.get("valid_to", self.instance.valid_to)
        if isinstance(debut, datetime.date) and isinstance(fin, datetime.date) and fin < debut:
            self.add_error("valid_to" if "valid_to" in self.fields else None,
                           "La date de fin est antérieure à la date d'effet.")
        return donnees
