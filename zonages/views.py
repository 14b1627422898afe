"""Pages and files of the public zonage map. Thin: the work is in zonages/carte.py."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from territoires.regions_servies import message_commune_hors_regions

from . import carte
from .niveaux import TYPES

CACHE_CONTOURS = "public, max-age=604800"  # a week; the page adds the outlines' version to their URLs
CACHE_DONNEES = "public, max-age=300"  # classification, QPV, popup: a new publication shows within minutes
MESSAGE_SANS_CONTOUR = ("Les contours des communes ne sont pas chargés dans le portail : la carte ne peut pas être "
                        "dessinée. Le tableau des communes donne les mêmes classements.")


def _erreur_json(exc: carte.ParametreInvalide) -> JsonResponse:
    return JsonResponse({"erreur": exc.message, "parametre": exc.parametre}, status=400)


def _servir(request, fichier: carte.Fichier, type_contenu: str, cache_control: str) -> HttpResponse:
    """Serves a prepared file, gzipped when the client accepts it, with a weak ETag (same content in both encodings)
    and 304 when the client already has it."""
    etag = f'W/"{fichier.empreinte}"'
    connus = {e.strip().removeprefix("W/") for e in request.headers.get("If-None-Match", "").split(",")}
    if etag.removeprefix("W/") in connus or "*" in connus:
        reponse = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        reponse = HttpResponse(fichier.compresse, content_type=type_contenu)
        reponse["Content-Encoding"] = "gzip"
    else:
        reponse = HttpResponse(fichier.contenu, content_type=type_contenu)
    reponse["ETag"] = etag
    reponse["Cache-Control"] = cache_control
    patch_vary_headers(reponse, ["Accept-Encoding"])
    return reponse


def _geojson(request, fichier: carte.Fichier, cache_control: str = CACHE_CONTOURS) -> HttpResponse:
    return _servir(request, fichier, "application/geo+json", cache_control)


@require_GET
def contours_region(request):
    return _geojson(request, carte.contours_region())


@require_GET
def contours_departement(request, code: str):
    try:
        return _geojson(request, carte.contours_departement(code))
    except carte.ParametreInvalide as exc:
        return _erreur_json(exc)


@require_GET
def limites_departements(request):
    return _geojson(request, carte.limites_departements())


@require_GET
def qpv(request):
    try:
        jour = carte.lire_date(request.GET.get("date"))
    except carte.ParametreInvalide as exc:
        return _erreur_json(exc)
    return _geojson(request, carte.qpv_en_vigueur(jour), CACHE_DONNEES)


@require_GET
def classement(request):
    try:
        type_zonage = carte.lire_type(request.GET.get("type"))
        jour = carte.lire_date(request.GET.get("date"))
    except carte.ParametreInvalide as exc:
        return _erreur_json(exc)
    return _servir(request, carte.fichier_classement(type_zonage, jour), "application/json", CACHE_DONNEES)


@require_GET
def commune(request, code_insee: str):
    try:
        jour = carte.lire_date(request.GET.get("date"))
    except carte.ParametreInvalide as exc:
        return _erreur_json(exc)
    donnees = carte.niveaux_de_la_commune(code_insee, jour)
    if donnees is None:
        return JsonResponse({"erreur": message_commune_hors_regions(code_insee)
                             or f"Aucune commune n'a le code INSEE « {code_insee[:10]} »."}, status=404)
    donnees["url"] = reverse("commune", args=[donnees["code"]])
    return JsonResponse(donnees, json_dumps_params={"ensure_ascii": False}, headers={"Cache-Control": CACHE_DONNEES})


def _parametres(request) -> dict[str, str]:
    """Query parameters, a repeated one (the overlays' checkboxes) joined with commas as the map's JS writes it."""
    return {cle: ",".join(request.GET.getlist(cle)) for cle in request.GET}


def _lien(nom: str, parametres: dict) -> str:
    return reverse(nom) + ("?" + urlencode(parametres) if parametres else "")


def _contexte_commun(choix: carte.Choix | None) -> dict:
    return {
        "types": TYPES.values(),
        "departements": carte.departements_de_la_region().items(),
        "choix": choix,
        "nom_region": carte.nom_de_la_region(),
    }


@require_GET
def carte_zonages(request):
    try:
        choix = carte.lire_choix(_parametres(request))
    except carte.ParametreInvalide as exc:
        return render(request, "zonages/carte.html", {**_contexte_commun(None), "title": "Carte des zonages",
                                                      "erreur": exc}, status=400)
    versions = carte.versions_en_vigueur(choix.jour)
    version = versions.get(choix.type)
    # Outlines are cached files (the page builds their version token anyway): none means no map can be drawn, which
    # the page says without JavaScript and tells the map's script, which then shows the same message.
    contours = carte.contours_departement(choix.departement) if choix.departement else carte.contours_region()
    sans_contour = MESSAGE_SANS_CONTOUR if not contours.nombre else ""
    configuration = {
        "contours": {"communes": contours.nombre, "message": sans_contour},
        "types": carte.types_pour_la_carte(),
        "calques": carte.calques_pour_la_carte(),
        "initial": {"type": choix.type, "date": choix.jour.isoformat(), "departement": choix.departement or "",
                    "calques": list(choix.calques)},
        "urls": {
            "contours_region": reverse("zonages_contours_region"),
            "contours_departement": reverse("zonages_contours_departement", args=["CODE"]),
            "limites": reverse("zonages_limites_departements"),
            "classement": reverse("zonages_classement"),
            "commune": reverse("zonages_commune", args=["CODE"]),
            "qpv": reverse("zonages_qpv"),
            "tableau": reverse("zonages_tableau"),
            "tableau_csv": reverse("zonages_tableau_csv"),
            "tuiles": settings.LEAFLET_CONFIG["TILES"][0][1],
        },
        "version_contours": carte.jeton_contours(),
        "aujourdhui": timezone.localdate().isoformat(),
    }
    # The page asks for these two files first: the browser may fetch them while it loads the scripts.
    contours = (reverse("zonages_contours_departement", args=[choix.departement]) if choix.departement
                else reverse("zonages_contours_region"))
    prechargements = [f"{contours}?{urlencode({'v': configuration['version_contours']})}",
                      _lien("zonages_classement", {"type": choix.type, "date": choix.jour.isoformat()})]
    etats = carte.etats_calques(choix.jour, versions, carte.nombre_qpv(choix.jour))
    return render(request, "zonages/carte.html", {
        **_contexte_commun(choix),
        "title": "Carte des zonages",
        "version": version,
        "calques": [{"cle": cle, "libelle": calque.libelle, "etat": etats[cle], "coche": cle in choix.calques}
                    for cle, calque in carte.CALQUES.items()],
        "configuration": configuration,
        "prechargements": prechargements if not sans_contour else prechargements[1:],
        "sans_contour": sans_contour,
        "lien_tableau": _lien("zonages_tableau", choix.parametres()),
        "lien_csv": _lien("zonages_tableau_csv", choix.parametres()),
    })


def _choix_du_tableau(request) -> tuple[carte.Choix, str]:
    choix = carte.lire_choix(_parametres(request))
    return choix, carte.lire_tri(request.GET.get("tri"))


@require_GET
def tableau(request):
    try:
        choix, tri = _choix_du_tableau(request)
    except carte.ParametreInvalide as exc:
        return render(request, "zonages/tableau.html", {**_contexte_commun(None), "title": "Tableau des zonages",
                                                        "erreur": exc}, status=400)
    version = carte.versions_en_vigueur(choix.jour, [choix.type]).get(choix.type)
    page = None
    if version is not None:
        page = Paginator(carte.communes_classees(choix, version, tri), carte.TAILLE_PAGE).get_page(request.GET.get("page"))
        page.pages_list = list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
        for commune in page:
            commune.libelle_niveau = carte.libelle_niveau(choix.type, commune.niveau, version)
            commune.teinte_niveau = carte.teinte_niveau(choix.type, commune.niveau)
    colonnes = []
    for cle, libelle in carte.TRIS.items():
        actif = tri.removeprefix("-") == cle
        decroissant = actif and tri.startswith("-")
        suivant = cle if not actif or decroissant else f"-{cle}"
        colonnes.append({"cle": cle, "libelle": libelle, "actif": actif, "decroissant": decroissant,
                         "lien": _lien("zonages_tableau", choix.parametres(tri=suivant))})
    return render(request, "zonages/tableau.html", {
        **_contexte_commun(choix),
        "title": "Tableau des zonages",
        "version": version,
        "tri": tri,
        "page_obj": page,
        "colonnes": colonnes,
        "lien_csv": _lien("zonages_tableau_csv", choix.parametres(tri=tri if tri != carte.TRI_PAR_DEFAUT else "")),
        "lien_carte": _lien("zonages", choix.parametres()),
    })


@require_GET
def tableau_csv(request):
    try:
        choix, tri = _choix_du_tableau(request)
    except carte.ParametreInvalide as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    version = carte.versions_en_vigueur(choix.jour, [choix.type]).get(choix.type)
    reponse = HttpResponse(carte.tableau_csv(choix, version, tri), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{carte.nom_fichier_csv(choix)}"'
    return reponse
