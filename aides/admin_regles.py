"""Editing a scheme's rule in the administration.

`FormulaireRegle`: the scheme's texts, sources, and for each version its dates, sources, amounts and simple
conditions, in form fields (yes/no as « oui »/« non », choices as boxes, the kind's levels for a zonage). Advanced
parts (conditions with alternatives or exceptions, exclusions) are shown as they are and kept unchanged.
`FormulaireYaml`: the whole document as YAML, for the advanced.

Both build a document and validate it with the same schema (aides.eligibilite.regles.valider, plus the catalogue's
checks, through `valider_document`). The schema's problems name a path ("versions[0].conditions.all[6].pdsa : true
ou false est attendu"): the fields' form puts each next to its field; the YAML form says the path in words
(« version 1 (à partir du 01/01/2026), condition 7, « … (PDSA) » »: the fact's label, as declared).
"""
import copy
import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal

import yaml
from django import forms

from zonages.niveaux import TYPES

from . import catalogue
from .eligibilite.faits import PROFESSIONS
from .eligibilite.regles import CONTACTS, FINANCEURS, UNITES, construire, valider, verifier_catalogue
from .eligibilite.vocabulaire import CHOIX, FAITS, OUI_NON
from .models import Dispositif

OUI_NON_CHOIX = [("oui", "oui"), ("non", "non")]
SEUILS = {"min": "au moins", "max": "au plus", "plus_de": "plus de", "moins_de": "moins de"}
# Words for the keys of a rule document, in messages.
MOTS = {"valeur": "valeur", "unite": "unité", "duree": "durée", "libelle": "libellé", "verifie": "vérifié",
        "valid_from": "début", "valid_to": "fin", "note": "note", "titre": "titre", "editeur": "éditeur",
        "date": "date", "url": "adresse", "ferme": "fermeture", "remplace_par": "remplacé par", "texte": "texte",
        "annonce": "annonce", "exclusions": "exclusions", "conditions": "conditions", "montants": "montants",
        "condition": "condition du montant", "nom": "nom", "nom_court": "nom court", "resume": "résumé",
        "financeur": "financeur", "contact": "contact", "professions": "professions", "etapes": "étapes",
        "nature": "nature", "code": "code", "officielle": "officielle", "niveaux": "niveaux", "type": "type",
        "sources": "sources", "versions": "versions", "all": "conditions", "any": "conditions au choix",
        "precisions_regionales": "précisions régionales"}
MESSAGES = {"true ou false est attendu": "oui ou non est attendu (en YAML : true ou false)",
            "valid_to antérieure à valid_from": "la fin est antérieure au début"}
CHEMIN = re.compile(r"^[\w\-]+(\[\d+\]|\.[\w\-]+)*$")
DERNIER_ELEMENT = re.compile(r"(\[\d+\]|\.[\w\-]+)$")
# Predicates that have no declared fact.
PREDICATS = {"profession": "Profession", "zonage": "Zonage", "departement": "Département",
             "population_commune": "Population de la commune", "qpv": "Quartier prioritaire (QPV)",
             "donnee_indisponible": "Donnée non disponible"}


def libelle_predicat(nom: str) -> str:
    return FAITS[nom].libelle if nom in FAITS else PREDICATS.get(nom, nom)


# --- One validation for both forms --------------------------------------------------------------------------------

def valider_document(document, code: str) -> list[str]:
    """Every problem of a scheme's document: its size, the schema, its code, and the schemes it names."""
    problemes = catalogue.problemes_de_taille(document)
    if problemes:
        return problemes
    problemes = valider(document)
    if not problemes and document.get("code") != code:
        problemes.append(f"code : le code du document ({document.get('code')!r}) doit être {code!r}")
    if not problemes:
        autres = [construire(d.regle) for d in Dispositif.objects.exclude(code=code)]
        problemes += verifier_catalogue([*autres, construire(document)])
    return problemes


def en_json(document: dict) -> dict:
    """The document as stored (dates as ISO strings, which the rule reader accepts)."""
    return json.loads(json.dumps(document, default=lambda v: v.isoformat() if isinstance(v, datetime.date) else v))


def separer(probleme: str) -> tuple[str | None, str]:
    """ "versions[0].montants[1].valeur : nombre positif…" → (path, message); (None, problem) without a path."""
    chemin, sep, message = probleme.partition(" : ")
    if sep and CHEMIN.match(chemin):
        return chemin, MESSAGES.get(message, message)
    return None, MESSAGES.get(probleme, probleme)


def chemin_en_mots(chemin: str, document) -> str:
    """ "versions[0].conditions.all[6].pdsa" → "version 1 (à partir du 01/01/2026), condition 7 « … (PDSA) »"."""
    mots, noeud, parent = [], document, None
    elements = re.findall(r"([\w\-]+)|\[(\d+)\]", chemin)
    for position, (cle, indice) in enumerate(elements):
        suivi_d_un_indice = position + 1 < len(elements) and bool(elements[position + 1][1])
        if indice:
            i = int(indice)
            element = noeud[i] if isinstance(noeud, list) and i < len(noeud) else None
            if parent == "versions":
                debut = element.get("valid_from") if isinstance(element, dict) else None
                mots.append(f"version {i + 1}" + (f" (à partir du {_date_fr(debut)})" if debut else ""))
            elif parent in ("all", "any"):
                mots.append(f"condition {i + 1}" + (" (au choix)" if parent == "any" else ""))
            elif parent == "montants":
                mots.append(f"montant {i + 1}")
            else:
                mots.append(f"élément {i + 1}")
            noeud, parent = element, None
            continue
        if parent == "sources" and isinstance(noeud, dict):
            mots.append(f"source « {cle} »")
        elif cle in ("all", "any", "versions", "montants") and suivi_d_un_indice:
            pass  # said by the index that follows
        elif cle in ("conditions", "sources") and position + 1 < len(elements):
            pass  # said by what follows (a condition, a source)
        elif cle == "not":
            mots.append("exception")
        elif cle in FAITS or cle in PREDICATS:
            mots.append(f"« {libelle_predicat(cle)} »")
        else:
            mots.append(MOTS.get(cle, cle))
        noeud = noeud.get(cle) if isinstance(noeud, dict) else None
        parent = cle
    return ", ".join(mots) or chemin


def en_mots(probleme: str, document) -> str:
    chemin, message = separer(probleme)
    return f"{chemin_en_mots(chemin, document)} : {message}" if chemin else message


def _date_fr(valeur) -> str:
    try:
        jour = valeur if isinstance(valeur, datetime.date) else datetime.date.fromisoformat(str(valeur))
    except ValueError:
        return str(valeur)
    return jour.strftime("%d/%m/%Y")


# --- The YAML form (advanced) ---------------------------------------------------------------------------------------

class FormulaireYaml(forms.ModelForm):
    """The rule document as YAML (as in aides/regles/), validated by the same schema as the fields' form."""

    regle_yaml = forms.CharField(
        label="Règle (YAML)", max_length=catalogue.TAILLE_MAX_REGLE * 2,
        widget=forms.Textarea(attrs={"rows": 40, "cols": 110, "spellcheck": "false"}),
        help_text="Même schéma que les fichiers aides/regles/*.yaml. Sans ancres ni alias (&nom, *nom).")

    class Meta:
        model = Dispositif
        fields = ["code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True
            self.initial["regle_yaml"] = yaml.safe_dump(self.instance.regle, allow_unicode=True, sort_keys=False)

    def clean_regle_yaml(self):
        texte = self.cleaned_data["regle_yaml"]
        problemes = catalogue.problemes_du_texte(texte)
        if problemes:
            raise forms.ValidationError(problemes)
        try:
            document = yaml.safe_load(texte)
        except yaml.YAMLError as exc:
            ligne = f" (ligne {exc.problem_mark.line + 1})" if getattr(exc, "problem_mark", None) else ""
            raise forms.ValidationError(f"YAML invalide{ligne} : {getattr(exc, 'problem', exc)}") from None
        code = self.cleaned_data.get("code") or self.instance.code
        problemes = valider_document(document, code)
        if problemes:
            raise forms.ValidationError([en_mots(p, document) for p in problemes])
        return en_json(document)

    def save(self, commit=True):
        return enregistrer(self.instance, self.cleaned_data["regle_yaml"], commit, super().save)


def enregistrer(instance: Dispositif, document: dict, commit: bool, sauver):
    instance.regle = document
    instance.nom = document["nom"]
    instance.financeur = document["financeur"]
    instance.modifie_dans_l_admin = True
    return sauver(commit)


# --- The fields' form ---------------------------------------------------------------------------------------------

@dataclass
class Section:
    """A group of fields of the form (a fieldset of the admin page)."""

    titre: str
    lignes: list[list[str]] = field(default_factory=list)  # fields shown side by side
    description: str = ""

    @property
    def champs(self) -> list:
        """As the admin's fieldsets write them: a name, or a tuple of names on one line."""
        return [ligne[0] if len(ligne) == 1 else tuple(ligne) for ligne in self.lignes]


def _feuilles(conditions) -> list | None:
    """The top-level leaves of a version's conditions when they are an `all` list or one leaf; None otherwise."""
    if not isinstance(conditions, dict) or len(conditions) != 1:
        return None
    (cle, valeur), = conditions.items()
    if cle == "all":
        return valeur if isinstance(valeur, list) else None
    if cle in ("any", "not"):
        return None
    return [conditions]


def _simple(feuille) -> str | None:
    """The kind of field a leaf is edited with, or None for an advanced one (kept as it is)."""
    if not isinstance(feuille, dict) or len(feuille) != 1:
        return None
    (nom, parametre), = feuille.items()
    fait = FAITS.get(nom)
    if nom == "profession" or (fait and fait.nature == CHOIX):
        return "choix" if isinstance(parametre, list) else None
    if fait and fait.nature == OUI_NON:
        return "oui_non" if isinstance(parametre, bool) else None
    if nom == "zonage":
        return "zonage" if isinstance(parametre, dict) and parametre.get("type") in TYPES else None
    if nom == "population_commune" or (fait and fait.nature not in (CHOIX, OUI_NON)):
        return "seuils" if isinstance(parametre, dict) and set(parametre) <= set(SEUILS) else None
    if nom == "donnee_indisponible":
        return "texte" if isinstance(parametre, str) else None
    return None


def _choix_du_predicat(nom: str) -> list[tuple[str, str]]:
    if nom == "profession":
        return list(PROFESSIONS.items())
    return list(FAITS[nom].choix.items())


def _niveaux(type_code: str) -> list[tuple[str, str]]:
    return [(n.code, f"{n.code} — {n.libelle}") for n in TYPES[type_code].niveaux]


def _nombre(valeur: Decimal | None):
    if valeur is None:
        return None
    return int(valeur) if valeur == valeur.to_integral_value() else float(valeur)


def _iso(jour: datetime.date | None) -> str | None:
    return jour.isoformat() if jour else None


def _date(valeur) -> datetime.date | None:
    try:
        return None if valeur in (None, "") else (
            valeur if isinstance(valeur, datetime.date) else datetime.date.fromisoformat(str(valeur)))
    except ValueError:
        return None


class FormulaireRegle(forms.ModelForm):
    """A scheme's rule in form fields (see the module's docstring). Fields are made from the stored document:
    `sections` says how they group, `chemins` which path of the document each one writes."""

    class Meta:
        model = Dispositif
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.document = copy.deepcopy(self.instance.regle or {})
        self.sections: list[Section] = []
        self.chemins: dict[str, str] = {}  # document path → field name
        self._general()
        self._sources()
        for j, version in enumerate(self.document.get("versions") or []):
            self._version(j, version)

    # Building the fields --------------------------------------------------------------------------------------

    def _champ(self, section: Section, nom: str, champ: forms.Field, initial=None, chemin: str | None = None,
               a_cote: bool = False):
        """Adds a field; `a_cote`: on the line of the previous one."""
        self.fields[nom] = champ
        if initial is not None:
            self.initial[nom] = initial
        if chemin:
            self.chemins[chemin] = nom
        if a_cote and section.lignes:
            section.lignes[-1].append(nom)
        else:
            section.lignes.append([nom])

    def _general(self):
        d = self.document
        s = Section("Dispositif")
        self._champ(s, "nom", forms.CharField(label="Nom", max_length=300), d.get("nom"), "nom")
        self._champ(s, "nom_court", forms.CharField(label="Nom court", max_length=200,
                                                    help_text="Dans les phrases : « l'aide à l'installation … »."),
                    d.get("nom_court"), "nom_court")
        self._champ(s, "resume", forms.CharField(label="Résumé", widget=forms.Textarea(attrs={"rows": 5})),
                    d.get("resume"), "resume")
        self._champ(s, "financeur", forms.ChoiceField(label="Financeur", choices=list(FINANCEURS.items())),
                    d.get("financeur"), "financeur")
        self._champ(s, "contact", forms.ChoiceField(label="Contact", choices=list(CONTACTS.items())),
                    d.get("contact"), "contact")
        self._champ(s, "professions", forms.MultipleChoiceField(
            label="Professions", choices=list(PROFESSIONS.items()), widget=forms.CheckboxSelectMultiple),
            d.get("professions"), "professions")
        self._champ(s, "etapes", forms.MultipleChoiceField(
            label="Étapes du parcours", choices=list(FAITS["etape"].choix.items()),
            widget=forms.CheckboxSelectMultiple), d.get("etapes"), "etapes")
        self.sections.append(s)

    def _sources(self):
        s = Section("Sources", description="Chaque source se cite par son titre, son éditeur et sa date. Une "
                                           "version indique lesquelles la justifient.")
        self.cles_sources = list((self.document.get("sources") or {}).keys())
        for i, cle in enumerate(self.cles_sources):
            source = self.document["sources"][cle]
            ici = f"sources.{cle}"
            self._champ(s, f"s{i}_titre", forms.CharField(label=f"Source « {cle} » — titre", max_length=500),
                        source.get("titre"), ici)
            self._champ(s, f"s{i}_editeur", forms.CharField(label="Éditeur", max_length=300),
                        source.get("editeur"), f"{ici}.editeur", a_cote=True)
            self._champ(s, f"s{i}_date", forms.CharField(
                label="Date", max_length=100, help_text="Telle que la source la donne : « consultée le … », "
                                                        "« mise à jour du 26/01/2026 »."),
                str(source.get("date") or ""), f"{ici}.date", a_cote=True)
            self._champ(s, f"s{i}_url", forms.URLField(label="Adresse", required=False, max_length=1000,
                                                       assume_scheme="https"), source.get("url"), f"{ici}.url")
            self._champ(s, f"s{i}_supprimer", forms.BooleanField(label="Retirer cette source", required=False),
                        a_cote=True)
        self._champ(s, "snew_cle", forms.SlugField(label="Nouvelle source — clé", required=False, max_length=80,
                                                   help_text="Un identifiant court, sans espace (jamais affiché)."))
        self._champ(s, "snew_titre", forms.CharField(label="Titre", required=False, max_length=500), a_cote=True)
        self._champ(s, "snew_editeur", forms.CharField(label="Éditeur", required=False, max_length=300))
        self._champ(s, "snew_date", forms.CharField(label="Date", required=False, max_length=100), a_cote=True)
        self._champ(s, "snew_url", forms.URLField(label="Adresse", required=False, max_length=1000,
                                                  assume_scheme="https"), a_cote=True)
        self.sections.append(s)

    def _version(self, j: int, version: dict):
        ici = f"versions[{j}]"
        debut, fin = _date(version.get("valid_from")), _date(version.get("valid_to"))
        titre = f"Version {j + 1}" + (f" — à partir du {debut:%d/%m/%Y}" if debut else "") + (
            f" jusqu'au {fin:%d/%m/%Y}" if fin else "") + (" (fermée aux nouvelles demandes)" if "ferme" in version else "")
        s = Section(titre)
        self._champ(s, f"v{j}_valid_from", forms.DateField(
            label="En vigueur du", required="ferme" in version, widget=forms.DateInput(attrs={"type": "date"},
                                                                                          format="%Y-%m-%d"),
            help_text="Vide : depuis toujours."), debut, f"{ici}.valid_from")
        self.chemins[ici] = f"v{j}_valid_from"
        self._champ(s, f"v{j}_valid_to", forms.DateField(
            label="Jusqu'au (inclus)", required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), help_text="Vide : sans fin."),
            fin, f"{ici}.valid_to", a_cote=True)
        self._champ(s, f"v{j}_sources", forms.MultipleChoiceField(
            label="Sources de cette version", choices=[(c, c) for c in self.cles_sources],
            widget=forms.CheckboxSelectMultiple), version.get("sources"), f"{ici}.sources")
        self._champ(s, f"v{j}_note", forms.CharField(label="Note", required=False,
                                                     widget=forms.Textarea(attrs={"rows": 2})),
                    version.get("note"), f"{ici}.note")
        if "ferme" in version:
            ferme = version["ferme"] or {}
            self._champ(s, f"v{j}_ferme_texte", forms.CharField(
                label="Texte de la fermeture", required=False, widget=forms.Textarea(attrs={"rows": 2})),
                ferme.get("texte"), f"{ici}.ferme")
            self.sections.append(s)
            return
        self._champ(s, f"v{j}_annonce", forms.BooleanField(
            label="Annoncée (application non vérifiée)", required=False), bool(version.get("annonce")),
            f"{ici}.annonce")
        self.sections.append(s)
        self._montants(j, version, titre)
        self._conditions(j, version, titre)

    def _montants(self, j: int, version: dict, titre: str):
        s = Section(f"{titre} : montants", description="Le premier montant dont la condition est remplie "
                                                        "s'applique. Valeur vide : montant à préciser (le libellé dit "
                                                        "pourquoi).")
        for m, montant in enumerate(version.get("montants") or []):
            ici, nom = f"versions[{j}].montants[{m}]", f"v{j}_m{m}"
            self._champ(s, f"{nom}_valeur", forms.DecimalField(label=f"Montant {m + 1} — valeur", required=False,
                                                               min_value=0, decimal_places=2),
                        montant.get("valeur"), f"{ici}.valeur")
            self.chemins[ici] = f"{nom}_valeur"
            self._champ(s, f"{nom}_unite", forms.ChoiceField(label="Unité", choices=list(UNITES.items())),
                        montant.get("unite"), f"{ici}.unite", a_cote=True)
            self._champ(s, f"{nom}_duree", forms.CharField(label="Durée", required=False, max_length=100),
                        montant.get("duree"), f"{ici}.duree", a_cote=True)
            self._champ(s, f"{nom}_libelle", forms.CharField(label="Libellé", required=False, max_length=300),
                        montant.get("libelle"), f"{ici}.libelle")
            self._champ(s, f"{nom}_verifie", forms.BooleanField(label="Montant vérifié", required=False),
                        montant.get("verifie", True), f"{ici}.verifie", a_cote=True)
            condition = montant.get("condition")
            if condition is not None:
                if _simple(condition) == "zonage":
                    parametre = condition["zonage"]
                    self._champ(s, f"{nom}_zonage", forms.MultipleChoiceField(
                        label=f"Condition : niveaux du zonage {TYPES[parametre['type']].libelle}",
                        choices=_niveaux(parametre["type"]), widget=forms.CheckboxSelectMultiple),
                        parametre.get("niveaux"), f"{ici}.condition")
                else:
                    self._avance(s, f"{nom}_condition", "Condition du montant (modifiable en YAML)", condition)
            self._champ(s, f"{nom}_supprimer", forms.BooleanField(label="Retirer ce montant", required=False),
                        a_cote=True)
        nom = f"v{j}_mnew"
        self._champ(s, f"{nom}_valeur", forms.DecimalField(label="Nouveau montant — valeur", required=False,
                                                           min_value=0, decimal_places=2))
        self._champ(s, f"{nom}_unite", forms.ChoiceField(label="Unité", required=False,
                                                         choices=[("", "—")] + list(UNITES.items())), a_cote=True)
        self._champ(s, f"{nom}_libelle", forms.CharField(label="Libellé", required=False, max_length=300),
                    a_cote=True)
        self.sections.append(s)

    def _conditions(self, j: int, version: dict, titre: str):
        s = Section(f"{titre} : conditions", description="Toutes doivent être remplies. Les conditions avancées "
                                                          "(alternatives, exceptions) se modifient en YAML.")
        feuilles = _feuilles(version.get("conditions"))
        if feuilles is None:
            self._avance(s, f"v{j}_conditions", "Conditions (modifiables en YAML)", version.get("conditions"))
            self.sections.append(s)
            return
        prefixe = f"versions[{j}].conditions" + (".all" if "all" in version["conditions"] else "")
        for k, feuille in enumerate(feuilles):
            ici = f"{prefixe}[{k}]" if "all" in version["conditions"] else prefixe
            nom, genre = f"v{j}_c{k}", _simple(feuille)
            if genre is None:
                self._avance(s, nom, f"Condition {k + 1} (avancée, modifiable en YAML)", feuille)
                continue
            (predicat, parametre), = feuille.items()
            libelle = f"Condition {k + 1} : {libelle_predicat(predicat)}"
            if genre == "choix":
                self._champ(s, nom, forms.MultipleChoiceField(label=libelle, choices=_choix_du_predicat(predicat),
                                                              widget=forms.CheckboxSelectMultiple), parametre, ici)
            elif genre == "oui_non":
                self._champ(s, nom, forms.ChoiceField(label=libelle, choices=OUI_NON_CHOIX, widget=forms.RadioSelect),
                            "oui" if parametre else "non", ici)
            elif genre == "zonage":
                self._champ(s, nom, forms.MultipleChoiceField(
                    label=f"{libelle} {TYPES[parametre['type']].libelle} — niveaux", choices=_niveaux(parametre["type"]),
                    widget=forms.CheckboxSelectMultiple), parametre.get("niveaux"), ici)
            elif genre == "seuils":
                unite = FAITS[predicat].unite if predicat in FAITS else "habitants"
                for cle, mot in SEUILS.items():
                    self._champ(s, f"{nom}_{cle}", forms.DecimalField(
                        label=f"{libelle} — {mot}" + (f" ({unite})" if unite else ""), required=False),
                        parametre.get(cle), a_cote=cle != "min")
                self.chemins[ici] = f"{nom}_min"
            elif genre == "texte":
                self._champ(s, nom, forms.CharField(label=libelle, widget=forms.Textarea(attrs={"rows": 2})),
                            parametre, ici)
            self._champ(s, f"{nom}_supprimer", forms.BooleanField(label="Retirer cette condition", required=False),
                        a_cote=True)
        presents = {next(iter(f)) for f in feuilles if isinstance(f, dict) and len(f) == 1}
        ajoutables = [(n, f.libelle) for n, f in FAITS.items() if f.nature == OUI_NON and n not in presents]
        self._champ(s, f"v{j}_ajout", forms.ChoiceField(
            label="Ajouter une condition oui/non", required=False, choices=[("", "—")] + ajoutables))
        self._champ(s, f"v{j}_ajout_valeur", forms.ChoiceField(label="Valeur demandée", required=False,
                                                               choices=OUI_NON_CHOIX, widget=forms.RadioSelect),
                    a_cote=True)
        self.sections.append(s)

    def _avance(self, section: Section, nom: str, libelle: str, valeur):
        texte = yaml.safe_dump(valeur, allow_unicode=True, sort_keys=False).strip()
        self._champ(section, nom, forms.CharField(label=libelle, required=False, disabled=True,
                                                  widget=forms.Textarea(attrs={"rows": min(8, texte.count("\n") + 1)})),
                    texte)

    # Cleaning: the fields' values written into the document, then the same validation as the YAML form ----------

    def clean(self):
        donnees = super().clean()
        if self.errors:
            return donnees
        self._verifier_champs(donnees)
        if self.errors:
            return donnees
        document = self._document(donnees)
        for probleme in valider_document(document, self.instance.code):
            chemin, message = separer(probleme)
            champ = self._champ_du_chemin(chemin) if chemin else None
            self.add_error(champ, message if champ else en_mots(probleme, document))
        self.document_valide = en_json(document)
        return donnees

    def _verifier_champs(self, d: dict):
        """What a field says better than the schema would."""
        for j, _ in enumerate(self.document.get("versions") or []):
            debut, fin = d.get(f"v{j}_valid_from"), d.get(f"v{j}_valid_to")
            if debut and fin and fin < debut:
                self.add_error(f"v{j}_valid_to", "La fin est antérieure au début.")
            if d.get(f"v{j}_mnew_valeur") is not None and not d.get(f"v{j}_mnew_unite"):
                self.add_error(f"v{j}_mnew_unite", "Choisissez l'unité du nouveau montant.")
            if d.get(f"v{j}_ajout") and not d.get(f"v{j}_ajout_valeur"):
                self.add_error(f"v{j}_ajout_valeur", "Choisissez « oui » ou « non ».")
        nouvelle = [d.get(f"snew_{c}") for c in ("titre", "editeur", "date")]
        if any(nouvelle) or d.get("snew_cle"):
            if not d.get("snew_cle"):
                self.add_error("snew_cle", "Donnez une clé à la nouvelle source.")
            elif d["snew_cle"] in self.cles_sources:
                self.add_error("snew_cle", f"La source « {d['snew_cle']} » existe déjà.")
            for c, valeur in zip(("titre", "editeur", "date"), nouvelle):
                if not valeur:
                    self.add_error(f"snew_{c}", "Ce champ est obligatoire pour une nouvelle source.")

    def _champ_du_chemin(self, chemin: str) -> str | None:
        """The field that writes `chemin`, or the closest enclosing path's."""
        while chemin:
            if chemin in self.chemins:
                return self.chemins[chemin]
            chemin = DERNIER_ELEMENT.sub("", chemin) if DERNIER_ELEMENT.search(chemin) else ""
        return None

    def _document(self, d: dict) -> dict:
        document = copy.deepcopy(self.document)
        for cle in ("nom", "nom_court", "resume", "financeur", "contact", "professions", "etapes"):
            document[cle] = d[cle]
        sources = {}
        for i, cle in enumerate(self.cles_sources):
            if d.get(f"s{i}_supprimer"):
                continue
            source = dict(document["sources"][cle])
            source.update(titre=d[f"s{i}_titre"], editeur=d[f"s{i}_editeur"], date=d[f"s{i}_date"])
            _fixer(source, "url", d[f"s{i}_url"] or None)
            sources[cle] = source
        if d.get("snew_cle"):
            sources[d["snew_cle"]] = {"titre": d["snew_titre"], "editeur": d["snew_editeur"], "date": d["snew_date"],
                                      **({"url": d["snew_url"]} if d.get("snew_url") else {})}
        document["sources"] = sources
        for j, version in enumerate(document.get("versions") or []):
            self._ecrire_version(j, version, d)
        return document

    def _ecrire_version(self, j: int, version: dict, d: dict):
        version["valid_from"] = _iso(d[f"v{j}_valid_from"])
        version["valid_to"] = _iso(d[f"v{j}_valid_to"])
        choisies = list(d[f"v{j}_sources"])  # in the version's own order, new ones after
        version["sources"] = [c for c in version.get("sources") or [] if c in choisies] + [
            c for c in choisies if c not in (version.get("sources") or [])]
        _fixer(version, "note", d[f"v{j}_note"].strip() or None)
        if "ferme" in version:
            version["ferme"] = dict(version["ferme"] or {})
            _fixer(version["ferme"], "texte", d[f"v{j}_ferme_texte"].strip() or None)
            return
        _fixer(version, "annonce", True if d[f"v{j}_annonce"] else None)
        montants = []
        for m, montant in enumerate(version.get("montants") or []):
            nom = f"v{j}_m{m}"
            if d.get(f"{nom}_supprimer"):
                continue
            montant = dict(montant)
            montant["valeur"] = _nombre(d[f"{nom}_valeur"])
            montant["unite"] = d[f"{nom}_unite"]
            _fixer(montant, "duree", d[f"{nom}_duree"] or None)
            _fixer(montant, "libelle", d[f"{nom}_libelle"] or None)
            _fixer(montant, "verifie", None if d[f"{nom}_verifie"] else False)
            if f"{nom}_zonage" in d:
                montant["condition"] = {"zonage": {**montant["condition"]["zonage"], "niveaux": d[f"{nom}_zonage"]}}
            montants.append(montant)
        if d.get(f"v{j}_mnew_valeur") is not None or d.get(f"v{j}_mnew_libelle"):
            nouveau = {"valeur": _nombre(d.get(f"v{j}_mnew_valeur")), "unite": d.get(f"v{j}_mnew_unite")}
            _fixer(nouveau, "libelle", d.get(f"v{j}_mnew_libelle") or None)
            montants.append(nouveau)
        version["montants"] = montants
        self._ecrire_conditions(j, version, d)

    def _ecrire_conditions(self, j: int, version: dict, d: dict):
        feuilles = _feuilles(version.get("conditions"))
        if feuilles is None:
            return
        gardees = []
        for k, feuille in enumerate(feuilles):
            nom = f"v{j}_c{k}"
            genre = _simple(feuille)
            if genre is None:
                gardees.append(feuille)
                continue
            if d.get(f"{nom}_supprimer"):
                continue
            (predicat, parametre), = feuille.items()
            if genre == "choix":
                parametre = list(d[nom])
            elif genre == "oui_non":
                parametre = d[nom] == "oui"
            elif genre == "zonage":
                parametre = {**parametre, "niveaux": list(d[nom])}
            elif genre == "seuils":
                parametre = {cle: _nombre(d[f"{nom}_{cle}"]) for cle in SEUILS if d[f"{nom}_{cle}"] is not None}
            elif genre == "texte":
                parametre = d[nom]
            gardees.append({predicat: parametre})
        if d.get(f"v{j}_ajout"):
            gardees.append({d[f"v{j}_ajout"]: d[f"v{j}_ajout_valeur"] == "oui"})
        version["conditions"] = {"all": gardees} if "all" in version["conditions"] or len(gardees) != 1 else gardees[0]

    def save(self, commit=True):
        return enregistrer(self.instance, self.document_valide, commit, super().save)


def _fixer(dictionnaire: dict, cle: str, valeur):
    """Sets `cle`, or removes it for None (the schema's optional keys are absent rather than null)."""
    if valeur is None:
        dictionnaire.pop(cle, None)
    else:
        dictionnaire[cle] = valeur
