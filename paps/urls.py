from django.contrib import admin
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from aides import views as aides_views
from aides.api import eligibilite
from aides.eligibilite.faits import PROFESSIONS
from cpts.api import CptsViewSet
from structures.api import StructureViewSet
from structures.offres import OffreViewSet
from zonages import views as zonages_views
from zonages.api import CommuneViewSet
from zonages.api_zonages import ZonageViewSet, qpv_point, zonages_commune

from . import views

routeur = DefaultRouter()
routeur.register("communes", CommuneViewSet, basename="commune")
routeur.register("zonages", ZonageViewSet, basename="zonage")
routeur.register("structures", StructureViewSet, basename="structure")
routeur.register("offres", OffreViewSet, basename="offre")
routeur.register("cpts", CptsViewSet, basename="cpts")

@csrf_exempt
def api_introuvable(request, chemin=""):
    """Any other address under /api/v1/ (for example a malformed code): a JSON 404 like the API's own."""
    return JsonResponse({"detail": "Aucune ressource de l'API à cette adresse."}, status=404)


api_v1 = [
    path("eligibilite/", eligibilite, name="eligibilite"),
    path("communes/<str:code_insee>/zonages/", zonages_commune, name="commune-zonages"),
    path("qpv/", qpv_point, name="qpv-point"),
    path("", include((routeur.urls, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),  # no inline script (CSP)
    # Last: only addresses ending with "/", so that APPEND_SLASH still redirects "/api/v1/communes".
    re_path(r"^(?P<chemin>.*)/$", api_introuvable),
]

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("healthz", views.healthz, name="healthz"),
    path("communes/", zonages_views.recherche_communes, name="recherche_communes"),
    path("communes/suggestions/", zonages_views.suggestions_communes, name="suggestions_communes"),
    path("communes/<str:code_insee>/", zonages_views.commune, name="commune"),
    path("je-m-installe/", views.page("pages/je_m_installe.html", "Je m'installe", professions=PROFESSIONS),
         name="je_m_installe"),
    path("je-m-installe/<str:profession>/", aides_views.je_m_installe_profession, name="je_m_installe_profession"),
    path("zonages/", include("zonages.urls_carte")),
    path("aides/", include("aides.urls")),
    path("mes-aides/", aides_views.mes_aides, name="mes_aides"),
    path("structures/", include("structures.urls")),
    path("offres/", include("structures.urls_offres")),
    path("cpts/", include("cpts.urls")),
    path("tableau-de-bord/", views.tableau_de_bord, name="tableau_de_bord"),
    path("tableau-de-bord/<str:departement>/", views.tableau_de_bord, name="tableau_de_bord_departement"),
    path("mentions-legales/", views.page("pages/mentions_legales.html", "Mentions légales"), name="mentions_legales"),
    path("accessibilite/", views.page("pages/accessibilite.html", "Déclaration d'accessibilité"), name="accessibilite"),
    path("donnees/", views.page("pages/donnees.html", "Données et sources"), name="donnees"),
    path("api/", RedirectView.as_view(pattern_name="swagger-ui"), name="api"),
    path("api/v1/", include(api_v1)),
    path("admin/", admin.site.urls),
]

handler404 = "paps.views.erreur_404"

admin.site.site_header = "PAPS Occitanie — administration ARS"
admin.site.site_title = "PAPS Occitanie"
admin.site.index_title = "Référentiels, zonages et aides"
