import datetime
import re

from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from territoires.models import Commune
from territoires.recherche import rechercher_communes
from territoires.regions_servies import du_perimetre, region_unique, regions_servies
from zonages.niveaux import TYPES

from . import catalogue
from .eligibilite.faits import ETAPES, PROFESSIONS
from .eligibilite.moteur import exclusions_du_catalogue
from .eligibilite.predicats import date_en_francais
from .eligibilite.regles import AIDE, CONTACTS, OBLIGATION
from .parcours import LIEU_ET_METIER, construire

NOMBRE_CANDIDATES = 10
CODE_ENTRE_PARENTHESES = re.compile(r"\((\d{5}|2[ab]\d{3})\)\s*$", re.IGNORECASE)


def _resoudre_commune(donnees):
    """A commune typed by name (no JavaScript) becomes its INSEE code when one commune is meant; otherwise the
    candidates are offered (none: the name matches no commune)."""
    texte = (donnees.get("commune") or "").strip()
    if not texte or (len(texte) == 5 and texte[:2].isalnum() and texte[2:].isdigit()):
        return donnees, None
    if code := CODE_ENTRE_PARENTHESES.search(texte):  # "Béziers (34032)", as the autocomplete writes it
        donnees = donnees.copy()
        donnees["commune"] = code.group(1).upper()
        return donnees, None
    candidates = list(rechercher_communes(texte).select_related("departement")[:NOMBRE_CANDIDATES])
    exactes = [c for c in candidates if c.rang == 0]
    if len(candidates) == 1 or len(exactes) == 1:
        donnees = donnees.copy()
        donnees["commune"] = (exactes or candidates)[0].code_insee
        return donnees, None
    return donnees, candidates


def _etat_apres_passage(donnees: QueryDict) -> QueryDict:
    """« Je ne sais pas » on a question: it is noted as passed (not asked again) and its answer removed."""
    etat = donnees.copy()
    champ = etat.pop("passer", [""])[0]
    if champ:
        passees = [p for p in etat.get("passees", "").split(",") if p]
        etat["passees"] = ",".join(dict.fromkeys([*passees, champ]))
        etat.pop(champ, None)
    return etat


@require_GET
def mes_aides(request):
    """The guided simulator: one step per page without JavaScript; with it, the same pages swapped in place
    (static/js/simulateur.js asks for the fragment with partiel=1)."""
    donnees, candidates = _resoudre_commune(request.GET)
    if "passer" in donnees:
        donnees = _etat_apres_passage(donnees)
    # Canonical, shareable address: the commune by its code, only the fields answered.
    utiles = QueryDict(mutable=True)
    for cle, valeurs in donnees.lists():
        for valeur in valeurs:
            if valeur != "":
                utiles.appendlist(cle, valeur)
    if utiles.urlencode() != request.GET.urlencode():
        return redirect(f"{request.path}?{utiles.urlencode()}" if utiles else request.path)
    # A name that is not resolved yet (several communes, or none) is asked again with the candidates.
    parcours = construire(donnees.dict() if candidates is None else {k: v for k, v in donnees.dict().items()
                                                                       if k != "commune"})
    if candidates == []:
        parcours.erreurs["commune"] = [(f"Aucune commune {du_perimetre()} ne correspond à « {donnees.get('commune')} » : "
                                        "vérifiez l'orthographe, ou tapez son code postal.")]
    partiel = request.GET.get("partiel") == "1"
    contexte = {
        "title": "Mes aides", "parcours": parcours, "question": parcours.question, "candidates": candidates or [],
        "texte_commune": _texte_commune(donnees.get("commune", ""), parcours),
        "professions": PROFESSIONS, "impression": request.GET.get("impression") == "1",
        "etape_lieu": not parcours.lance or parcours.demandee == LIEU_ET_METIER,
        "aujourd_hui": timezone.localdate(),
    }
    statut = 400 if parcours.erreurs else 200
    return render(request, "aides/_simulateur.html" if partiel else "aides/mes_aides.html", contexte, status=statut)


def _texte_commune(saisie: str, parcours) -> str:
    """The commune field shows a name, never a code alone: « Langogne (48080) »."""
    if parcours.commune is not None:
        return f"{parcours.commune.nom} ({parcours.commune.code_insee})"
    code = saisie.strip().upper()
    if len(code) == 5:
        nom = Commune.objects.filter(code_insee=code).values_list("nom", flat=True).first()
        if nom:
            return f"{nom} ({code})"
    return saisie


@require_GET
def liste(request):
    dispositifs = catalogue.dispositifs()
    profession = request.GET.get("profession")
    if profession in PROFESSIONS:
        dispositifs = [d for d in dispositifs if profession in d.professions]
    jour = timezone.localdate()
    return render(request, "aides/liste.html", {
        "title": "Aides à l'installation", "lignes": [(d, _etat_du_jour(d, jour)) for d in dispositifs],
        "professions": PROFESSIONS,
        "profession": profession if profession in PROFESSIONS else "",
    })


def _etat_du_jour(dispositif, jour: datetime.date) -> str:
    """Where a scheme stands today, in a few words for the catalogue's table."""
    if (fermee := dispositif.fermeture_le(jour)) is not None:
        return f"fermé aux nouvelles demandes depuis le {date_en_francais(fermee.valid_from)}"
    version = dispositif.version_le(jour)
    if version is None:
        debut = min((v.valid_from for v in dispositif.versions if v.valid_from and v.valid_from > jour), default=None)
        return f"à partir du {date_en_francais(debut)}" if debut else "plus en vigueur"
    if version.annonce:
        return "annoncé, texte d'application non vérifié"
    return "contrainte d'installation en vigueur" if dispositif.nature == OBLIGATION else "ouvert"


@require_GET
def detail(request, code: str):
    dispositif = catalogue.dispositif(code)
    if dispositif is None:
        raise Http404(f"Aucune aide n'a le code « {code} ».")
    catalogue_complet = catalogue.dispositifs()
    noms = {d.code: d.nom for d in catalogue_complet}
    # The schemes of the served regions only: another region's (its ARS's montagne aid) is not named here.
    exclusions = {autre: motif for autre, motif in exclusions_du_catalogue(catalogue_complet).get(code, {}).items()
                  if autre in noms}
    return render(request, "aides/detail.html", {
        "title": dispositif.nom, "dispositif": dispositif, "financeur": dispositif.nom_du_financeur(region_unique()),
        "precisions": dispositif.precisions_pour(regions_servies()),
        "contact": CONTACTS[dispositif.contact], "professions": [PROFESSIONS[p] for p in dispositif.professions],
        "versions": list(reversed(dispositif.versions)), "noms": noms,
        "exclusions": [(autre, noms.get(autre, autre), motif) for autre, motif in exclusions.items()],
        "ferme_aujourd_hui": dispositif.fermeture_le(timezone.localdate()) is not None,
    })


def _types_de_zonage(condition) -> set[str]:
    """The zonage kinds a condition tree refers to, for "where it applies" links to the map."""
    (cle, valeur), = condition.items()
    if cle in {"all", "any"}:
        return set().union(*(_types_de_zonage(sous) for sous in valeur))
    if cle == "not":
        return _types_de_zonage(valeur)
    return {valeur["type"]} if cle == "zonage" else set()


@require_GET
def je_m_installe(request):
    return render(request, "aides/je_m_installe.html", {"title": "Je m'installe", "professions": PROFESSIONS})


@require_GET
def je_m_installe_profession(request, profession: str):
    if profession not in PROFESSIONS:
        raise Http404(f"Aucune profession « {profession} » : voir la liste des professions.")
    jour = timezone.localdate()
    # Open on the date: a closed scheme is not offered (its page says what replaced it).
    ouverts = [(d, v) for d in catalogue.dispositifs() if profession in d.professions
               and (v := d.version_le(jour)) is not None]

    def ligne(d, version):
        types = sorted(_types_de_zonage(version.conditions))
        return {"dispositif": d, "version": version, "zonages": [(t, TYPES[t].libelle) for t in types]}
    etapes = []
    for etape, libelle in ETAPES.items():
        lignes = [ligne(d, v) for d, v in ouverts if d.nature == AIDE and etape in d.etapes]
        if lignes:
            etapes.append({"code": etape, "libelle": libelle, "dispositifs": lignes})
    return render(request, "aides/je_m_installe_profession.html", {
        "title": PROFESSIONS[profession], "profession": profession, "etapes": etapes, "jour": jour,
        "contraintes": [ligne(d, v) for d, v in ouverts if d.nature == OBLIGATION],
    })
