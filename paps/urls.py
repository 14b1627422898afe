"""The URL root: each app's own urls.py, then the admin. Order matters where prefixes meet: the commune search
(territoires) before the commune page (portail). The API v1 comes early: its requests are the most frequent, each
include before it is tried in turn, and no other address starts with « api/v1/ »."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("noyau.urls")),
    path("api/v1/", include("portail.urls_api")),
    path("", include("territoires.urls")),
    path("", include("zonages.urls")),
    path("", include("aides.urls")),
    path("", include("structures.urls")),
    path("", include("cpts.urls")),
    path("", include("alertes.urls")),
    path("", include("portail.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "noyau.erreurs.erreur_400"
handler403 = "noyau.erreurs.erreur_403"
handler404 = "portail.views.erreur_404"
