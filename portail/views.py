"""The portal's own pages, which combine the domain apps: home, the commune page, the dashboard, content pages."""
import datetime

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from aides import catalogue
from aides.simulation import aides_par_profession
from indicateurs.consultation import apl_de
from indicateurs.models import DEFINITION_APL, SOURCE_APL
from noyau import csv_sur
from territoires.models import Commune, CommuneRattachee, Departement
from territoires.regions_servies import message_commune_hors_regions, nom_du_perimetre
from zonages.consultation import qpv_de_la_commune, zonages_de
from zonages.niveaux import TYPES, type_de_la_profession

from .etat_donnees import etat_des_donnees
from .fiche_commune import zonages_inconnus
from .tableau_de_bord import indicateurs


@require_GET
def accueil(request):
    return render(request, "pages/accueil.html", {"nombre_communes": Commune.objects.count()})


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
    return texte if texte.startswith("Aucune") else ""


@require_GET
def tableau_de_bord(request, departement: str | None = None):
    """Region (or one département: the "focus" with its main installation measures), with tables and CSV."""
    nom = None
    if departement is not None:
        dep = Departement.objects.servis().filter(code=departement).first()
        if dep is None:
            raise Http404(f"Aucun département « {departement[:10]} » parmi ceux que sert ce portail "
                          f"({nom_du_perimetre()}).")
        nom = dep.nom
    donnees = indicateurs(departement)
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
               and d.s_applique_dans(dep.region_id)] if departement else []
    return render(request, "pages/tableau_de_bord.html", {
        "title": f"Tableau de bord — {nom}" if nom else "Tableau de bord régional", "indicateurs": donnees,
        "departement": departement, "nom_departement": nom, "mesures": mesures,
        "departements": Departement.objects.servis(),
        "definition_apl": DEFINITION_APL, "source_apl": SOURCE_APL,
    })


@require_GET
def commune(request, code_insee: str):
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
    zonages = zonages_de(commune.code_insee, jour)
    inconnus = zonages_inconnus(commune.nom, zonages, jour)
    aides = aides_par_profession(commune, jour)

    def lignes(famille: str) -> list[tuple]:
        return [(z, inconnus.get(z.type)) for z in zonages.values() if TYPES[z.type].famille == famille]

    return render(request, "portail/commune.html", {
        "commune": commune, "title": commune.nom, "tuiles_url": settings.LEAFLET_CONFIG["TILES"][0][1],
        "jour": jour, "aujourd_hui": jour == timezone.localdate(), "erreur_date": erreur_date,
        "zonages_professions": lignes("profession"), "zonages_superpositions": lignes("superposition"),
        "qpv": qpv_de_la_commune(commune.code_insee, jour),
        "aides_par_profession": aides,
        # Each profession's aids with its zonage when unknown here (a notice in its panel).
        "aides_et_zonages": [(groupe, inconnus.get(t.code) if (t := type_de_la_profession(groupe.profession))
                              else None) for groupe in aides],
        "apl": apl_de(commune.code_insee), "definition_apl": DEFINITION_APL, "source_apl": SOURCE_APL,
    }, status=400 if erreur_date else 200)


def _date_demandee(texte: str | None) -> tuple[datetime.date, str]:
    """The date the user asked for (default today), or today with a message when it is not a date."""
    if not texte:
        return timezone.localdate(), ""
    try:
        return datetime.date.fromisoformat(texte), ""
    except ValueError:
        return timezone.localdate(), f"« {texte} » n'est pas une date valide : les zonages affichés sont ceux d'aujourd'hui."
