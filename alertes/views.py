"""Pages of the alerts: the subscription form, the confirmation (double opt-in) and the end of a subscription. A
link of a message only opens a page: the change is made by its button (a mail scanner that opens links confirms
nothing); unsubscribing also accepts the one-click POST of mail clients (RFC 8058), without a CSRF token: the
token in the address is the key."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from aides.eligibilite.faits import PROFESSIONS

from . import abonnements
from .formulaires import AbonnementForm


@require_http_methods(["GET", "POST"])
def abonner(request):
    if request.method == "POST":
        formulaire = AbonnementForm(request.POST)
        if formulaire.is_valid():
            donnees = formulaire.cleaned_data
            abonnements.demander(donnees["courriel"], donnees["profession"], commune=donnees.get("commune"),
                                 departement=donnees.get("departement") or None)
            lieu = donnees["commune"].nom if donnees.get("commune") else f"le département {donnees['departement']}"
            return render(request, "alertes/demande_envoyee.html", {
                "title": "Confirmez votre abonnement", "courriel": donnees["courriel"], "lieu": lieu,
                "profession": PROFESSIONS[donnees["profession"]]})
        return render(request, "alertes/abonner.html", {"title": "Alertes", "formulaire": formulaire}, status=400)
    initial = {cle: request.GET[cle] for cle in ("commune", "departement", "profession") if request.GET.get(cle)}
    return render(request, "alertes/abonner.html", {"title": "Alertes", "formulaire": AbonnementForm(initial=initial)})


def _abonnement(jeton: str):
    abonnement = abonnements.par_jeton(jeton)
    if abonnement is None:
        raise Http404("Aucun abonnement ne correspond à ce lien : il a pu être mal copié.")
    return abonnement


@require_http_methods(["GET", "POST"])
def confirmer(request, jeton: str):
    abonnement = _abonnement(jeton)
    if not abonnements.confirmable(abonnement):
        return render(request, "alertes/confirmer.html", {"title": "Lien expiré", "abonnement": abonnement,
                                                          "expire": True}, status=410)
    confirme = request.method == "POST" and abonnements.confirmer(abonnement)
    return render(request, "alertes/confirmer.html", {
        "title": "Abonnement confirmé" if confirme else "Confirmer votre abonnement", "abonnement": abonnement,
        "confirme": confirme, "profession": PROFESSIONS[abonnement.profession]})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def desabonner(request, jeton: str):
    abonnement = _abonnement(jeton)
    if request.method == "POST":
        abonnements.desabonner(abonnement)
    return render(request, "alertes/desabonner.html", {
        "title": "Désabonnement", "abonnement": abonnement, "fait": abonnement.desabonne_le is not None,
        "profession": PROFESSIONS[abonnement.profession]})
