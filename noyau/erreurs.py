"""Error answers in French, never Django's English pages: JSON ({"detail": …}) under /api/, a page of the portal
elsewhere. Used by the URL root's handler400 and handler403, by CSRF_FAILURE_VIEW and by the kernel's middleware.

Django turns a body too large, too many fields or files, and other malformed requests (SuspiciousOperation,
BadRequest) into handler400, also when they happen inside an API view (DRF leaves them to Django)."""
from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import JsonResponse
from django.shortcuts import render

MESSAGE_CSRF = ("Le formulaire a expiré ou ne vient pas du portail (jeton CSRF absent ou invalide). Rechargez la page "
                "puis recommencez ; vérifiez que votre navigateur accepte les cookies du portail.")


def nombre(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


def taille(octets: int) -> str:
    return f"{octets / 1024 / 1024:.1f}".rstrip("0").rstrip(".").replace(".", ",") + "\u00a0Mo"


def message_400(exception) -> str:
    if isinstance(exception, RequestDataTooBig):
        return f"Le corps de la requête dépasse la taille permise ({taille(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)})."
    if isinstance(exception, TooManyFieldsSent):
        return f"La requête contient trop de champs ({nombre(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)} au plus)."
    if isinstance(exception, TooManyFilesSent):
        return f"La requête contient trop de fichiers ({nombre(settings.DATA_UPLOAD_MAX_NUMBER_FILES)} au plus)."
    return "La requête est invalide ou mal formée."


def reponse_erreur(request, statut: int, message: str, titre: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=statut)
    return render(request, "erreur.html", {"title": titre, "statut": statut, "message": message}, status=statut)


def erreur_400(request, exception=None):
    return reponse_erreur(request, 400, message_400(exception), "Requête invalide")


def erreur_403(request, exception=None):
    return reponse_erreur(request, 403, "Accès refusé : votre compte n'a pas le droit d'accéder à cette page.",
                          "Accès refusé")


def erreur_csrf(request, reason=""):
    return reponse_erreur(request, 403, MESSAGE_CSRF, "Formulaire expiré")
