from django import template
from django.contrib.humanize.templatetags.humanize import intcomma

from aides.eligibilite.faits import PROFESSIONS
from aides.eligibilite.moteur import montant_en_texte
from aides.eligibilite.predicats import SEUILS, date_en_francais, designation
from aides.eligibilite.vocabulaire import FAITS
from territoires.regions_servies import region_unique
from zonages.niveaux import TYPES

register = template.Library()
# How a result's status reads on a page: an aid, a constraint of the place, another scheme it cannot be cumulated with.
STATUTS = {"eligible": "éligible", "au_choix": "éligible, au choix", "a_preciser": "à préciser",
           "non_eligible": "non éligible", "ferme": "fermé aux nouvelles demandes", None: "pas en vigueur à cette date"}
STATUTS_OBLIGATION = {"eligible": "s'applique ici", "a_preciser": "à préciser", "non_eligible": "ne s'applique pas ici"}


@register.filter
def montant(m) -> str:
    """10000, "unique" → "10 000 € (versement unique)"; percentages as "25 %"; "montant à préciser"."""
    return "" if m is None else montant_en_texte(m)


@register.filter
def statut_libelle(statut) -> str:
    return STATUTS.get(statut, statut)


@register.filter
def statut_obligation(statut) -> str:
    return STATUTS_OBLIGATION.get(statut, statut)


@register.filter
def sources_de(dispositif, version) -> list:
    """A version's sources by title, official ones first."""
    return dispositif.sources_de(version)


@register.filter
def en_francais(jour) -> str:
    return date_en_francais(jour) if jour else ""


@register.filter
def condition_en_texte(condition) -> str:
    """A readable rendering of a condition tree for the scheme page."""
    return _texte(condition)


def _en_minuscule(libelle: str) -> str:
    """A label inside a sentence: its first letter in lower case, unless it begins an acronym ("CPTS …")."""
    return libelle if libelle[1:2].isupper() else libelle[:1].lower() + libelle[1:]


# Plain-French names of the facts (their declared labels), and the vocabularies of their values.
NOMS_FAITS = {"profession": "profession", "departement": "département",
              **{f.nom: _en_minuscule(f.libelle) for f in FAITS.values()}}
VOCABULAIRES = {"profession": PROFESSIONS, **{f.nom: f.choix for f in FAITS.values() if f.choix}}


def _texte(condition, niveau=0) -> str:
    (cle, valeur), = condition.items()
    if cle in {"all", "any"}:
        lien = " ; et " if cle == "all" else " ; ou "
        parties = [_texte(sous, niveau + 1) for sous in valeur]
        texte = lien.join(parties)
        return f"({texte})" if niveau and len(parties) > 1 else texte
    if cle == "not":
        return f"sauf si : {_texte(valeur, niveau + 1)}"
    if cle == "zonage":
        type_zonage = TYPES[valeur["type"]]
        niveaux = [designation(type_zonage, n) for n in valeur["niveaux"]]
        return f"zonage {_en_minuscule(type_zonage.libelle)} : {' ou '.join(niveaux)}"
    if cle == "qpv":
        return "lieu d'exercice en quartier prioritaire (QPV)" if valeur else "lieu d'exercice hors QPV"
    nom = NOMS_FAITS.get(cle, cle.replace("_", " "))
    if isinstance(valeur, list):
        libelles = [VOCABULAIRES.get(cle, {}).get(v, v) for v in valeur]
        return f"{nom} : {' ou '.join(str(l) for l in libelles)}"
    if isinstance(valeur, dict):
        fait = FAITS.get(cle)
        unite = f" {fait.unite_pour(list(valeur.values())[-1])}" if fait and fait.unite else ""
        if cle == "population_commune":
            nom, unite = "population de la commune", " habitants"
        return f"{nom} : " + " et ".join(f"{SEUILS[k]} {intcomma(v)}" for k, v in valeur.items() if k in SEUILS) + unite
    if isinstance(valeur, bool):
        return f"{nom} : {'oui' if valeur else 'non'}"
    return str(valeur).strip()


@register.filter
def get_item(dictionnaire, cle):
    return dictionnaire.get(cle) if dictionnaire else None


@register.filter
def contact_de(simulation, resultat) -> dict:
    return simulation.contact(resultat)


@register.filter
def par_statut(simulation, statut: str):
    return simulation.par_statut(statut)


@register.filter
def financeur(dispositif) -> str:
    """Who funds a scheme of the catalogue: an ARS or a Région after the rule's region, or after the served region
    when the portal serves one (every commune of it is there), else « … de votre région »."""
    return dispositif.nom_du_financeur(region_unique())


@register.filter
def version_du_jour(dispositif, jour):
    return dispositif.version_le(jour)


@register.simple_tag
def lien_parcours(parcours, **changements) -> str:
    """The simulator's query string with `changements` ("" or None removes a parameter)."""
    return parcours.lien(**{cle: (valeur or None) for cle, valeur in changements.items()})


@register.filter
def caches_sauf(parcours, champs: str) -> list[tuple[str, str]]:
    """The simulator's state as hidden inputs, without the comma-separated `champs` the form asks."""
    return parcours.caches(set(champs.split(",")))


@register.filter
def euros(valeur) -> str:
    return f"{valeur:,.0f}".replace(",", "\u202f") + " €"


@register.filter
def in_list(valeur, valeurs: str) -> bool:
    return valeur in valeurs.split(",")
