"""History pages of the admin in plain French: who, when, what changed, before → after in words.

django-simple-history shows raw values ("None", "False → True", a truncated Python dict). `HistoriqueAdmin` (to use
instead of SimpleHistoryAdmin) writes each change with the field's French name and its values as a reader says them:
yes/no, the label of a choice, a date as 01/12/2026, "(vide)", the related record's name, and for a JSON document
(a rule of an aid) the paths that changed with their old and new values, in words where the admin says how
(`chemin_json_en_mots`). Its template is templates/simple_history/object_history_list.html."""
import datetime
import json

from django.db import models
from django.utils.html import conditional_escape
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

VIDE = "(vide)"
CHANGEMENTS_JSON_MAX = 12  # a rule edit rarely touches more; beyond, the count is said


def en_mots(valeur, champ: models.Field | None = None) -> str:
    """A stored value as a reader says it."""
    if valeur is None or valeur == "" or valeur == [] or valeur == {}:
        return VIDE
    if champ is not None and champ.choices:
        libelles = {str(code): str(libelle) for code, libelle in champ.flatchoices}
        if str(valeur) in libelles:
            return libelles[str(valeur)]
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, datetime.datetime):
        return valeur.strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, datetime.date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, (list, tuple)):
        return ", ".join(en_mots(v) for v in valeur) or VIDE
    if isinstance(valeur, dict):
        return json.dumps(valeur, ensure_ascii=False, default=str)[:200]
    return str(valeur)


def _feuilles(valeur, chemin: str = "") -> dict[str, object]:
    """{path: leaf value} of a JSON document: "versions[1].montants[0].valeur" → 50000."""
    if isinstance(valeur, dict):
        feuilles = {}
        for cle, sous in valeur.items():
            feuilles.update(_feuilles(sous, f"{chemin}.{cle}" if chemin else str(cle)))
        return feuilles or {chemin: {}}
    if isinstance(valeur, list) and any(isinstance(v, (dict, list)) for v in valeur):
        feuilles = {}
        for i, sous in enumerate(valeur):
            feuilles.update(_feuilles(sous, f"{chemin}[{i}]"))
        return feuilles
    return {chemin: valeur}


def differences_json(avant, apres) -> list[tuple[str, str, str]]:
    """(path, before, after) of every leaf that differs between two JSON documents."""
    if isinstance(avant, str):
        avant = json.loads(avant or "null")
    if isinstance(apres, str):
        apres = json.loads(apres or "null")
    a, b = _feuilles(avant or {}), _feuilles(apres or {})
    return [(chemin, en_mots(a.get(chemin)), en_mots(b.get(chemin))) for chemin in sorted(a.keys() | b.keys())
            if a.get(chemin) != b.get(chemin)]


def _document(valeur):
    return json.loads(valeur or "null") if isinstance(valeur, str) else valeur


class HistoriqueLisible(HistoricalRecordContextHelper):
    def __init__(self, model, historical_record, chemin_en_mots=None, **options):
        super().__init__(model, historical_record, **options)
        # (field, path, document) → the path in words; the path itself by default.
        self.chemin_en_mots = chemin_en_mots or (lambda champ, chemin, document: chemin)

    def format_delta_change(self, change):
        champ = self.model._meta.get_field(change.field)
        nom = str(champ.verbose_name)
        if isinstance(champ, models.JSONField):
            lignes = differences_json(change.old, change.new)
            document = _document(change.new) or _document(change.old)
            details = [f"{self.chemin_en_mots(change.field, chemin, document)} : {avant} → {apres}"
                       for chemin, avant, apres in lignes[:CHANGEMENTS_JSON_MAX]]
            if len(lignes) > CHANGEMENTS_JSON_MAX:
                details.append(f"… et {len(lignes) - CHANGEMENTS_JSON_MAX} autre(s) changement(s)")
            return type(change)(field=nom[:1].upper() + nom[1:], old="", new=conditional_escape("\n".join(details)))
        if isinstance(champ, models.ManyToManyField):
            autre = champ.m2m_reverse_field_name()
            avant = [str(ligne.get(autre)) for ligne in change.old or []]
            apres = [str(ligne.get(autre)) for ligne in change.new or []]
            return type(change)(field=nom[:1].upper() + nom[1:], old=conditional_escape(en_mots(avant)),
                                new=conditional_escape(en_mots(apres)))
        if isinstance(champ, models.ForeignKey):
            avant, apres = (en_mots(v) for v in (change.old, change.new))
        else:
            avant, apres = en_mots(change.old, champ), en_mots(change.new, champ)
        return type(change)(field=nom[:1].upper() + nom[1:], old=conditional_escape(avant),
                            new=conditional_escape(apres))


class HistoriqueAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page reads in plain French. An admin whose model holds a JSON document may
    define `chemin_json_en_mots(field, path, document)` to say its changed paths in words."""

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoriqueLisible(self.model, historical_record, getattr(self, "chemin_json_en_mots", None))
