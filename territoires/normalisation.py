"""Normalisation of place names for search: accents, case, punctuation and common abbreviations."""
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Abbreviations people type for the names of French communes ("St-Jean", "Ste-Marie").
_ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normaliser_nom(texte: str) -> str:
    """'Saint-Jean-du-Gard', 'St Jean du gard' and 'SAINT JEAN DU GARD' all give 'saint jean du gard'."""
    decompose = unicodedata.normalize("NFKD", texte.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae"))
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c)).lower()
    mots = _NON_ALNUM.sub(" ", sans_accents).split()
    return " ".join(_ABREVIATIONS.get(mot, mot) for mot in mots)
