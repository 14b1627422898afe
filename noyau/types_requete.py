"""What a request's value must be for each kind of field, checked before any form or serializer reads it.

A JSON body may hold a number, a list or an object where a text or a yes/no is expected (`"date": 5`,
`"premiere_installation": []`), a number too large for a double (`1e400`, read as infinity), a float where an id is
expected (`1.5`, which the database would round to 1); any text may hold digits other than 0-9 ("٣", "²", which
int() and float() accept). Forms and serializers would crash on some, silently convert others: each value is checked
here first, and refused with a French message. Query strings and form-encoded bodies hold texts only, which pass the
same checks (a number written in them with the digits 0-9).
"""
import math
import re

TEXTE, CODE_INSEE, DATE, ENTIER, NOMBRE, NUMERO, BOOLEEN, OUI_NON = (
    "texte", "code_insee", "date", "entier", "nombre", "numero", "booleen", "oui_non")

ATTENDU = {
    TEXTE: "une chaîne de caractères est attendue",
    CODE_INSEE: "une chaîne de caractères est attendue (code INSEE)",
    DATE: "une chaîne de caractères est attendue (date AAAA-MM-JJ)",
    ENTIER: "un nombre entier est attendu",
    NOMBRE: "un nombre est attendu",
    NUMERO: "un numéro (nombre entier positif) est attendu",
    BOOLEEN: "un booléen (true ou false) est attendu",
    OUI_NON: "un booléen (true ou false, ou « oui », « non ») est attendu",
}
MESSAGE_HORS_LIMITES = "Nombre hors des limites."
MESSAGE_ENTIER = "Nombre entier attendu, écrit avec les chiffres 0 à 9."
MESSAGE_NOMBRE = "Nombre attendu, écrit avec les chiffres 0 à 9 (et un point pour les décimales)."
MESSAGE_NUMERO = "Numéro attendu : un nombre entier positif, écrit avec les chiffres 0 à 9."

ECRIT_ENTIER = re.compile(r"[+-]?[0-9]+")
ECRIT_NOMBRE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
ECRIT_NUMERO = re.compile(r"[0-9]+")
TEXTES = {TEXTE, CODE_INSEE, DATE}


def erreur_de_type(valeur, attendu: str) -> str | None:
    """The French message refusing `valeur` for a field of kind `attendu`, or None when it is of the right kind.
    None (JSON null) is left to the field, which knows whether it may be empty."""
    if valeur is None:
        return None
    if isinstance(valeur, float) and not math.isfinite(valeur) and attendu in {ENTIER, NOMBRE, NUMERO}:
        return MESSAGE_HORS_LIMITES
    if isinstance(valeur, str):
        return _erreur_du_texte(valeur.strip(), attendu)
    if attendu in TEXTES:
        return _type_invalide(valeur, attendu)
    if attendu in {BOOLEEN, OUI_NON}:
        return None if isinstance(valeur, bool) else _type_invalide(valeur, attendu)
    if isinstance(valeur, bool) or not isinstance(valeur, (int, float)):
        return _type_invalide(valeur, attendu)
    if attendu == NOMBRE:
        return None
    if not isinstance(valeur, int):
        return _type_invalide(valeur, attendu)
    return MESSAGE_NUMERO if attendu == NUMERO and valeur < 1 else None


def _erreur_du_texte(texte: str, attendu: str) -> str | None:
    """A text: right for a text field; for a number, the digits 0-9 only (and a finite value). An empty text is
    an empty field, left to the field."""
    if not texte:
        return None
    if attendu == ENTIER and not ECRIT_ENTIER.fullmatch(texte):
        return MESSAGE_ENTIER
    if attendu == NUMERO and not ECRIT_NUMERO.fullmatch(texte):
        return MESSAGE_NUMERO
    if attendu == NOMBRE:
        if not ECRIT_NOMBRE.fullmatch(texte):
            return MESSAGE_NOMBRE
        if not math.isfinite(float(texte)):
            return MESSAGE_HORS_LIMITES
    return None  # yes/no texts ("oui", "true"…) are read by the field, which names the values it accepts


def _type_invalide(valeur, attendu: str) -> str:
    return f"Type invalide : {ATTENDU[attendu]}, pas {_nature(valeur)}."


def _nature(valeur) -> str:
    if isinstance(valeur, bool):
        return "un booléen"
    if isinstance(valeur, int):
        return "un nombre"
    if isinstance(valeur, float):
        return "un nombre décimal"
    if isinstance(valeur, list):
        return "une liste"
    if isinstance(valeur, dict):
        return "un objet"
    return "une valeur d'un autre type"


def erreurs_de_type(donnees, attendus: dict[str, str]) -> dict[str, list[str]]:
    """{field: [message]} for every value of `donnees` (a dict, or a QueryDict from a query string or a form) not
    of the kind `attendus` gives for its field. A field whose kind ends with "[]" expects a list of that kind."""
    erreurs = {}
    multiple = hasattr(donnees, "getlist")
    for nom, attendu in attendus.items():
        if nom not in donnees:
            continue
        if attendu.endswith("[]"):
            valeurs = donnees.getlist(nom) if multiple else donnees[nom]
            if not isinstance(valeurs, list):
                continue  # the field itself says a list is expected
            message = next(filter(None, (erreur_de_type(v, attendu[:-2]) for v in valeurs)), None)
        else:
            message = erreur_de_type(donnees.get(nom) if multiple else donnees[nom], attendu)
        if message:
            erreurs[nom] = [message]
    return erreurs
