from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from zonages.models import Commune

from .sante import etat_base, etat_broker, etat_cache


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
@never_cache
def healthz(request):
    etats = {"base_de_donnees": etat_base(), "cache": etat_cache(), "broker": etat_broker()}
    ok = etats["base_de_donnees"]["etat"] == "ok"
    return JsonResponse({"statut": "ok" if ok else "erreur", **etats}, status=200 if ok else 503)


def erreur_404(request, exception=None):
    return render(request, "404.html", {"title": "Page introuvable", "message": _message(exception)}, status=404)


def _message(exception) -> str:
    # Only our own French messages are shown; Django's technical ones ("No X matches…") are not.
    texte = str(exception or "")
    return texte if texte.startswith("Aucune") else ""
