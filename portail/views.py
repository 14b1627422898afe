"""The portal's own pages, which combine the domain apps: home, the commune page, the dashboard, content pages."""
import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from aides import catalogue
from aides.annuaire import contacts_du_lieu
from aides.api import parametres_de_l_eligibilite
from aides.simulation import ZONAGE_DE_LA_PROFESSION, aides_par_profession, contacts_du_departement
from indicateurs.consultation import apl_de
from indicateurs.models import DEFINITION_APL, SOURCE_APL
from noyau import csv_sur
from noyau.cache_pages import page_en_cache
from noyau.professions import PROFESSIONS
from noyau.regions import REGIONS_INSEE
from territoires.models import Commune, CommuneRattachee, Departement
from territoires.regions_servies import (
    RegionNonServie,
    cle_des_regions_servies,
    codes_des_regions_servies,
    message_commune_hors_regions,
    nom_du_perimetre,
)
from zonages.consultation import qpv_de_la_commune, zonages_de
from zonages.niveaux import TYPES, type_de_la_profession

from .etat_donnees import etat_des_donnees
from .fiche_commune import (
    RAYON_OFFRES_KM,
    RAYON_STRUCTURES_KM,
    carte_du_voisinage,
    cpts_proches,
    offres_proches,
    structures_proches,
    zonages_inconnus,
)
from .fiche_departement import chiffres, resume_zonage
from .tableau_de_bord import indicateurs, region_du_tableau


@require_GET
def accueil(request):
    return render(request, "pages/accueil.html", {"nombre_communes": Commune.objects.servies().count()})


def page(gabarit: str, titre: str, **contexte):
    """A plain content page of the site."""

    @require_GET
    def vue(request):
        return render(request, gabarit, {"title": titre, **contexte})

    return vue


@require_GET
def donnees(request):
    """What is loaded, layer by layer, and what is missing: generated from the database, never written by hand."""
    return render(request, "pages/donnees.html", {"title": "Données et sources", "etat": etat_des_donnees()})


def erreur_404(request, exception=None):
    return render(request, "404.html", {"title": "Page introuvable", "message": _message(exception)}, status=404)


def _message(exception) -> str:
    # Only our own French messages are shown; Django's technical ones ("No X matches…") are not.
    texte = str(exception or "")
    return texte if texte.startswith("Aucun") else ""  # « Aucune commune… », « Aucun département… »


@require_GET
def tableau_de_bord(request, departement: str | None = None):
    """A served region (?region=84, chosen in a list when several are served), or one of its départements (the
    "focus", with its main installation measures): tables and CSV. One query for the départements, whose figures
    are cached."""
    departements = list(Departement.objects.servis().defer("contour").order_by("code"))
    dep = None
    if departement is not None:
        dep = next((d for d in departements if d.code == departement), None)
        if dep is None:
            raise Http404(f"Aucun département « {departement[:10]} » parmi ceux que sert ce portail "
                          f"({nom_du_perimetre()}).")
    try:
        region = region_du_tableau(request.GET.get("region"), dep, departements)
    except RegionNonServie as exc:
        raise Http404(str(exc)) from exc
    except ValueError as exc:
        return render(request, "pages/tableau_de_bord.html", {
            "title": "Tableau de bord : région inconnue", "erreur": str(exc), **_choix_des_regions(None)}, status=400)
    donnees = indicateurs(departement, region=region)
    if request.GET.get("format") == "csv":
        reponse = HttpResponse(content_type="text/csv; charset=utf-8")
        reponse["Content-Disposition"] = f'attachment; filename="tableau-de-bord-{donnees.perimetre}-{donnees.jour}.csv"'
        reponse.write("\ufeff")
        ecrivain = csv_sur.ecrivain(reponse, delimiter=";")
        for ligne in donnees.lignes_csv():
            ecrivain.writerow(ligne)
        return reponse
    mesures = [d for d in catalogue.dispositifs() if "medecin-generaliste" in d.professions
               and "installation" in d.etapes and d.version_le(donnees.jour)
               and d.s_applique_dans(dep.region_id)] if dep else []
    nom_region = REGIONS_INSEE.get(region, region)
    return render(request, "pages/tableau_de_bord.html", {
        "title": f"Tableau de bord — {dep.nom}" if dep else f"{nom_region} : tableau de bord", "indicateurs": donnees,
        "departement": departement, "nom_departement": dep.nom if dep else None, "mesures": mesures,
        "departements": [d for d in departements if d.region_id == region], **_choix_des_regions(region),
        "definition_apl": DEFINITION_APL, "source_apl": SOURCE_APL,
    })


def _choix_des_regions(region: str | None) -> dict:
    """The region shown and, when the portal serves several, the list to choose another."""
    codes = codes_des_regions_servies()
    return {"region": {"code": region, "nom": REGIONS_INSEE.get(region, region)} if region else None,
            "regions": [{"code": c, "nom": REGIONS_INSEE[c]} for c in codes] if len(codes) > 1 else []}


# What a commune's page shows: its territory, zonages and QPV, aids and contacts, structures and offers, CPTS, APL.
DOMAINES_DE_LA_FICHE = ("territoires", "zonages", "qpv", "aides", "structures", "cpts", "indicateurs")


@require_GET
def commune(request, code_insee: str):
    """A commune: can I settle here? Its zonages, the map of its neighbours in a profession's zonage, APL,
    structures, CPTS, offers and contacts around it, and the aids of each profession. The same for every anonymous
    visitor: kept in the cache until its data change (noyau/cache_pages.py)."""
    return page_en_cache(request, f"commune:{code_insee[:10].upper()}:{cle_des_regions_servies()}",
                         DOMAINES_DE_LA_FICHE, _commune, code_insee)


def _commune(request, code_insee: str):
    try:
        commune = (Commune.objects.servies().select_related("departement__region", "epci")
                   .defer("departement__contour", "departement__region__contour")
                   .prefetch_related("codes_postaux", "communes_rattachees").get(code_insee=code_insee.upper()))
    except Commune.DoesNotExist:
        rattachee = CommuneRattachee.objects.filter(
            code=code_insee.upper(), commune__in=Commune.objects.servies()).first()
        if rattachee:
            return redirect("commune", code_insee=rattachee.commune_id, permanent=True)
        raise Http404(message_commune_hors_regions(code_insee)
                      or f"Aucune commune n'a le code INSEE « {code_insee} ».") from None
    jour, erreur_date = _date_demandee(request.GET.get("date"))
    choisie = request.GET.get("profession", "")
    choisie = choisie if choisie in PROFESSIONS else ""
    profession_carte = _profession_demandee(choisie)
    zonages = zonages_de(commune.code_insee, jour)
    inconnus = zonages_inconnus(commune.nom, zonages, jour)
    aides = aides_par_profession(commune, jour)

    def lignes(famille: str) -> list[tuple]:
        return [(z, inconnus.get(z.type)) for z in zonages.values() if TYPES[z.type].famille == famille]

    type_carte = ZONAGE_DE_LA_PROFESSION[profession_carte]
    carte = carte_du_voisinage(commune, type_carte, jour)
    if carte:
        carte["profession"] = choisie
    return render(request, "portail/commune.html", {
        "commune": commune, "title": commune.nom, **_carte_par_defaut(),
        "jour": jour, "aujourd_hui": jour == timezone.localdate(), "erreur_date": erreur_date,
        "zonages_professions": lignes("profession"), "zonages_superpositions": lignes("superposition"),
        "qpv": qpv_de_la_commune(commune.code_insee, jour),
        "aides_par_profession": aides,
        # Each profession's aids with its zonage when unknown here (a notice in its panel).
        "aides_et_zonages": [(groupe, inconnus.get(t.code) if (t := type_de_la_profession(groupe.profession))
                              else None) for groupe in aides],
        "apl": apl_de(commune.code_insee), "definition_apl": DEFINITION_APL, "source_apl": SOURCE_APL,
        "professions": PROFESSIONS, "profession": choisie,
        "aides_de_la_profession": next((g for g in aides if g.profession == choisie), None),
        "zonage_de_la_profession": zonages.get(ZONAGE_DE_LA_PROFESSION.get(choisie, "")),
        "carte": carte, "type_carte": TYPES[type_carte], "profession_carte": profession_carte,
        "structures": structures_proches(commune, jour), "cpts": cpts_proches(commune, jour),
        "offres": offres_proches(commune, jour, choisie),
        "contacts": contacts_du_lieu(commune.departement_id, choisie, contacts_du_departement(commune.departement_id),
                                     commune.departement.region_id),
        "rayons": {"structures": RAYON_STRUCTURES_KM, "offres": RAYON_OFFRES_KM},
    }, status=400 if erreur_date else 200)


def _date_demandee(texte: str | None) -> tuple[datetime.date, str]:
    """The date the user asked for (default today), or today with a message when it is not a date."""
    if not texte:
        return timezone.localdate(), ""
    try:
        return datetime.date.fromisoformat(texte), ""
    except ValueError:
        return timezone.localdate(), f"« {texte} » n'est pas une date valide : les zonages affichés sont ceux d'aujourd'hui."


PROFESSION_PAR_DEFAUT = "medecin-generaliste"


def _carte_par_defaut() -> dict:
    """The tiles of a map (the view it takes when it has nothing to frame is the served extent, from the context
    processor)."""
    return {"tuiles_url": settings.LEAFLET_CONFIG["TILES"][0][1]}


def _profession_demandee(texte: str | None) -> str:
    """A profession whose place of practice has a zonage (the map colours it); the GP's by default."""
    return texte if texte in ZONAGE_DE_LA_PROFESSION else PROFESSION_PAR_DEFAUT


@require_GET
def departement(request, code: str):
    """A département: its communes, how the zonage of a profession classes them, its map, its structures."""
    dep = (Departement.objects.servis().filter(code=code.upper()).select_related("region")
           .defer("contour", "region__contour").first())
    if dep is None:
        raise Http404(f"Aucun département « {code[:10]} » parmi ceux que sert ce portail.")
    jour, erreur_date = _date_demandee(request.GET.get("date"))
    profession = _profession_demandee(request.GET.get("profession"))
    type_zonage = ZONAGE_DE_LA_PROFESSION[profession]
    resume = resume_zonage(dep, type_zonage, jour)
    chef_lieu = Commune.objects.filter(code_insee=dep.chef_lieu).only("code_insee", "nom").first()
    return render(request, "portail/departement.html", {
        "title": f"{dep.nom} ({dep.code})", "departement": dep, "chef_lieu": chef_lieu, "chiffres": chiffres(dep),
        "jour": jour, "aujourd_hui": jour == timezone.localdate(), "erreur_date": erreur_date,
        "profession": profession, "professions": {p: PROFESSIONS[p] for p in ZONAGE_DE_LA_PROFESSION},
        "resume": resume, **_carte_par_defaut(),
        "carte": {"contours": reverse("zonages_contours_departement", args=[dep.code]),
                  "classement": f"{reverse('zonages_classement')}?type={type_zonage}&date={jour.isoformat()}",
                  "legende": resume.legende, "commune": reverse("commune", args=["CODE"]),
                  "profession": profession},
    }, status=400 if erreur_date else 200)


QUOTAS = (("anon", "Sans jeton (anonyme)", "par adresse IP"), ("user", "Avec un jeton de compte", "par compte"),
          ("partenaire", "Avec un jeton de partenaire (groupe « Partenaire API »)", "par compte"))


@require_GET
def guide_api(request):
    """The API in French: what it serves, a curl example, the rate limits, how to get a token; the parameters of
    the eligibility answer as the documentation describes them (one definition, aides/api.py)."""
    debits = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    racine = request.build_absolute_uri("/").rstrip("/")
    return render(request, "pages/api.html", {
        "title": "API : guide", "racine": racine,
        "quotas": [(libelle, debits[cle], par) for cle, libelle, par in QUOTAS],
        "parametres": parametres_de_l_eligibilite(),
    })
