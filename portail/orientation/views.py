"""Pages of « Où m'installer ? » and of the comparison of communes. Thin: the work is in classement.py and
comparaison.py."""
from django.conf import settings
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from aides.eligibilite.faits import PROFESSIONS
from aides.eligibilite.vocabulaire import FAITS
from zonages import carte
from zonages.niveaux import TYPES

from . import classement, comparaison
from .formulaires import TRIS, ProfilForm

LIGNES_PAR_PAGE = 50
# The situation's questions shown first: the most decisive (the order of their declaration); the others folded.
QUESTIONS_EN_TETE = 4
COLONNES = {"commune": "Commune", "departement": "Département", "population": "Population", "distance": "Distance",
            "aides": "Aides pour ce profil"}
MESSAGE_SANS_CONTOUR = ("Les contours des communes ne sont pas chargés dans le portail : la carte ne peut pas être "
                        "dessinée. Le tableau ci-dessous donne les mêmes résultats.")


def _renseignes(parametres: QueryDict) -> QueryDict:
    """The query without its empty fields nor the page: the profile and the filters, for links."""
    utiles = QueryDict(mutable=True)
    for cle, valeur in parametres.items():
        if valeur != "" and cle != "page":
            utiles[cle] = valeur
    return utiles


def _avec(parametres: QueryDict, **autres) -> str:
    copie = parametres.copy()
    for cle, valeur in autres.items():
        if valeur:
            copie[cle] = valeur
        else:
            copie.pop(cle, None)
    return copie.urlencode()


@require_GET
def ou_m_installer(request):
    lancee = bool(request.GET.get("profession"))
    formulaire = ProfilForm(request.GET if lancee else None)
    contexte = {
        "title": "Où m'installer ?", "formulaire": formulaire,
        "champs_en_tete": [formulaire[nom] for nom in list(FAITS)[:QUESTIONS_EN_TETE]],
        "champs_suite": [formulaire[nom] for nom in list(FAITS)[QUESTIONS_EN_TETE:]],
        "departements": carte.departements_de_la_region().items(), "nom_region": carte.nom_de_la_region(),
        "texte_autour": request.GET.get("autour", ""),
    }
    if not lancee or not formulaire.is_valid():
        return render(request, "orientation/ou_m_installer.html", contexte, status=400 if lancee else 200)
    donnees = formulaire.cleaned_data
    recherche = classement.rechercher(donnees["profession"], formulaire.jour, formulaire.situation,
                                      departement=donnees.get("departement"), autour=donnees.get("autour"),
                                      rayon_km=formulaire.rayon, tri=donnees.get("tri") or "")
    parametres = _renseignes(request.GET)
    teintes, teinte_de = classement.teintes(recherche)
    page = Paginator(recherche.lieux, LIGNES_PAR_PAGE).get_page(request.GET.get("page"))
    page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    lignes = [{"lieu": lieu, "bilan": recherche.bilan(lieu), "distance": recherche.distance(lieu),
               "teinte": teinte_de[lieu.code_insee],
               "zonages": [_zonage(lieu, t, recherche) for t in recherche.region.types_utiles],
               "certain": classement.montants_en_texte(recherche.bilan(lieu).total_certain),
               "possible": classement.montants_en_texte(recherche.bilan(lieu).total_possible),
               "simulation": classement.lien_simulation(recherche, lieu.code_insee)} for lieu in page]
    contours = carte.contours_departement(recherche.departement) if recherche.departement else carte.contours_region()
    contexte.update({
        "recherche": recherche, "page_obj": page, "lignes": lignes, "parametres": parametres.urlencode(),
        "colonnes": _colonnes(recherche, parametres),
        "types": [TYPES[t] for t in recherche.region.types_utiles],
        "profession_libelle": PROFESSIONS[recherche.region.profession],
        "teintes": teintes,
        "lien_csv": reverse("eligibilite-communes") + "?" + _avec(parametres, format="csv"),
        "lien_api": reverse("eligibilite-communes") + "?" + parametres.urlencode(),
        "lien_comparer": reverse("comparer_communes"),
        "lien_alertes": reverse("alertes") + "?" + urlencode(
            {"profession": recherche.region.profession, **({"departement": recherche.departement}
                                                           if recherche.departement else {})}),
        "profil": classement.parametres_du_profil(recherche.region.profession, recherche.region.date,
                                                  formulaire.situation),
        "sans_contour": MESSAGE_SANS_CONTOUR if not contours.nombre else "",
        "configuration": {
            "communes": {lieu.code_insee: [teinte_de[lieu.code_insee], recherche.bilan(lieu).certaines,
                                           recherche.bilan(lieu).a_verifier] for lieu in recherche.lieux},
            "contours": (reverse("zonages_contours_departement", args=[recherche.departement])
                         if recherche.departement else reverse("zonages_contours_region"))
                        + "?" + urlencode({"v": carte.jeton_contours()}),
            "limites": reverse("zonages_limites_departements") + "?" + urlencode({"v": carte.jeton_contours()}),
            "tuiles": settings.LEAFLET_CONFIG["TILES"][0][1],
            "simulation": classement.lien_simulation(recherche),
        },
    })
    return render(request, "orientation/ou_m_installer.html", contexte)


def _zonage(lieu, type_zonage: str, recherche) -> dict:
    niveau = lieu.zonages.get(type_zonage)
    detail = TYPES[type_zonage].niveau(niveau) if niveau else None
    return {"libelle": detail.libelle if detail else classement.niveau_en_texte(lieu, type_zonage,
                                                                                 recherche.region.couches),
            "teinte": detail.teinte if detail else "gris", "connu": detail is not None}


def _colonnes(recherche, parametres: QueryDict) -> list[dict]:
    colonnes = []
    for cle, libelle in COLONNES.items():
        if cle == "distance" and recherche.autour is None:
            continue
        actif = recherche.tri.removeprefix("-") == cle
        decroissant = actif and recherche.tri.startswith("-")
        suivant = cle if not actif or decroissant else f"-{cle}"
        colonnes.append({"cle": cle, "libelle": libelle, "actif": actif, "decroissant": decroissant,
                         "lien": "?" + _avec(parametres, tri=suivant), "ordre": TRIS[cle]})
    return colonnes


@require_GET
def comparer(request):
    """2 to 4 communes side by side: zonages by profession, APL, population, structures and CPTS, and the aids of a
    chosen profile."""
    demande = comparaison.lire_demande(request.GET)
    contexte = {"title": "Comparer des communes", "demande": demande, "professions": PROFESSIONS.items()}
    if demande.erreurs:
        return render(request, "orientation/comparer.html", contexte, status=400)
    contexte["comparaison"] = comparaison.comparer(demande)
    return render(request, "orientation/comparer.html", contexte)
