"""Commune search: the search page and the autocomplete's suggestions."""
from django.core.paginator import Paginator
from django.http import JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .filtres import RAYON_PAR_DEFAUT_KM, RAYONS_PROPOSES_KM, CommuneFilter
from .models import Commune
from .recherche import commune_autour_de, rechercher_communes, rechercher_departements

NOMBRE_SUGGESTIONS = 8


@require_GET
def recherche_communes(request):
    texte = request.GET.get("q", "")
    _, centre = commune_autour_de(texte)
    if centre is not None:
        # "autour de rodez" is a search around Rodez: its own, shareable address.
        parametres = QueryDict(mutable=True)
        parametres.update({"autour": centre.code_insee, "rayon": request.GET.get("rayon") or RAYON_PAR_DEFAUT_KM})
        return redirect(f"{request.path}?{parametres.urlencode()}")
    filtre = CommuneFilter(request.GET or None, queryset=Commune.objects.servies().select_related("departement")
                           .prefetch_related("codes_postaux").defer("contour"))
    recherche_lancee = any(request.GET.get(cle) for cle in ("q", "departement", "epci", "autour"))
    page = None
    if recherche_lancee and filtre.is_valid():
        page = Paginator(filtre.qs, 20).get_page(request.GET.get("page"))
    autour = filtre.form.cleaned_data.get("autour") if filtre.is_bound and filtre.is_valid() else ""
    return render(request, "territoires/recherche.html", {
        "filtre": filtre, "page_obj": page, "recherche_lancee": recherche_lancee,
        "requete": texte, "title": "Rechercher une commune",
        "departements": rechercher_departements(texte) if texte else [],
        "centre": Commune.objects.filter(code_insee=autour).select_related("departement").defer("contour").first()
        if autour else None,
        "rayon": filtre.rayon_km if autour else RAYON_PAR_DEFAUT_KM, "rayons": RAYONS_PROPOSES_KM,
        "autour_introuvable": commune_autour_de(texte)[0] if texte else "",
    }, status=400 if recherche_lancee and not filtre.is_valid() else 200)


@require_GET
@cache_control(max_age=300, public=True)
def suggestions_communes(request):
    """Light JSON for the search box autocomplete (the API is for partners; this one is for the site's own UI): the
    départements the text names, "autour de …" searches, then communes. `type` tells them apart."""
    texte = request.GET.get("q", "")[:100]
    resultats = [{"type": "departement", "code": d.code, "nom": d.nom, "departement": f"Département ({d.code})",
                  "codes_postaux": [], "url": reverse("departement", args=[d.code])}
                 for d in rechercher_departements(texte)] if texte.strip() else []
    nom, _ = commune_autour_de(texte)
    if nom:
        for c in rechercher_communes(nom).select_related("departement").defer("contour")[:NOMBRE_SUGGESTIONS]:
            resultats.append({"type": "autour", "code_insee": c.code_insee, "nom": f"Autour de {c.nom}",
                              "departement": f"{c.departement.nom} ({c.departement_id})", "codes_postaux": [],
                              "url": f"{reverse('recherche_communes')}?autour={c.code_insee}&rayon={RAYON_PAR_DEFAUT_KM}"})
    else:
        communes = (rechercher_communes(texte).select_related("departement").prefetch_related("codes_postaux")
                    .defer("contour"))
        resultats += [{"type": "commune", "code_insee": c.code_insee, "nom": c.nom,
                       "departement": f"{c.departement.nom} ({c.departement_id})",
                       "codes_postaux": c.codes_postaux_liste, "url": reverse("commune", args=[c.code_insee])}
                      for c in communes[:NOMBRE_SUGGESTIONS]]
    return JsonResponse({"resultats": resultats[:NOMBRE_SUGGESTIONS]})
