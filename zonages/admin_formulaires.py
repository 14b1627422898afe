"""Forms of the zonages administration (import of a file, publication, a commune's level, a version)."""
import datetime
from pathlib import Path

from django import forms

from noyau.regions import REGIONS_INSEE
from territoires.regions_servies import codes_des_regions_servies

from .imports.execution import DemandeImport
from .imports.validation import COMPLETE, COUVERTURES, INCOMPLETE
from .models import Classement, PlafondRegional, Zonage
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
    # No kind by default: a file imported under a kind chosen for it (the first of the list) was the usual mistake.
    type = forms.ChoiceField(label="Type de zonage", choices=[("", "— Choisissez le type du fichier —")]
                             + CHOIX_TYPES_IMPORT)
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
    couverture = forms.ChoiceField(
        label="Communes absentes du fichier", choices=list(COUVERTURES.items()), initial=COMPLETE,
        widget=forms.RadioSelect(attrs={"class": "radiolist"}), required=False,
        help_text="Un fichier qui ne classe pas toutes les communes de la région est refusé, sauf choix explicite.")
    motif_couverture = forms.CharField(
        label="Motif (version incomplète)", required=False, max_length=500,
        help_text="Pourquoi des communes restent sans niveau ; enregistré avec l'import.")
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
        if not donnees.get("couverture"):
            donnees["couverture"] = COMPLETE
        if type_ != "qpv" and donnees["couverture"] == INCOMPLETE and not donnees.get("motif_couverture", "").strip():
            self.add_error("motif_couverture", "Dites pourquoi les communes absentes du fichier resteront sans niveau.")
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
            essai=d["essai"], couverture=d["couverture"], motif_couverture=d["motif_couverture"].strip(),
        )

    # The fields a new import may take from a previous one's parameters (importing a file again with another kind).
    REPRIS = ["type", "valid_from", "valid_to", "reference", "note_source", "colonne_code", "colonne_niveau",
              "couverture", "motif_couverture"]

    @classmethod
    def initial_depuis(cls, parametres: dict) -> dict:
        return {cle: parametres[cle] for cle in cls.REPRIS if parametres.get(cle)}


class FormulairePublication(forms.Form):
    date_effet = ChampDate(label="Date d'effet",
                           help_text="La version en vigueur la veille prendra fin ce jour-là moins un jour.")
    # Set by the confirmation page's button only: without it, the view shows what would change.
    confirmation = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, zonage: Zonage | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if zonage is not None and not self.is_bound:
            self.initial.setdefault("date_effet", zonage.valid_from)


class FormulaireAnnulation(forms.Form):
    motif = forms.CharField(label="Motif de l'annulation", max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="Enregistré avec la publication annulée et dans l'historique des versions.")


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


class FormulairePlafond(forms.ModelForm):
    """A regional cap: a served region, a level of the kind chosen, a percentage between 0 and 100, and the text that
    sets it. The region is chosen among the served ones; preselected only when there is one."""

    niveau = forms.ChoiceField(label="niveau", choices=_choix_niveaux(None))

    class Meta:
        model = PlafondRegional
        fields = ["region", "type", "niveau", "part_maximale", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = codes_des_regions_servies()
        if self.instance.pk and self.instance.region not in codes:  # a cap kept from a region served before
            codes = sorted({*codes, self.instance.region})
        choix = [(c, f"{REGIONS_INSEE.get(c, c)} ({c})") for c in codes]
        self.fields["region"].choices = choix if len(choix) == 1 else [("", "— Choisissez la région —"), *choix]
        if len(choix) == 1 and not self.instance.pk:
            self.fields["region"].initial = choix[0][0]

    def clean(self):
        donnees = super().clean()
        type_, niveau = donnees.get("type"), donnees.get("niveau")
        if type_ in TYPES and niveau and TYPES[type_].niveau(niveau) is None:
            attendus = ", ".join(f"{n.code} ({n.libelle})" for n in TYPES[type_].niveaux)
            self.add_error("niveau", f"« {niveau} » n'est pas un niveau du zonage {TYPES[type_].libelle} "
                                     f"(attendus : {attendus}).")
        part = donnees.get("part_maximale")
        if part is not None and not 0 <= part <= 100:
            self.add_error("part_maximale", "Un pourcentage entre 0 et 100 est attendu.")
        return donnees
