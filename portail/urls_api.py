"""API v1: the router of every app's viewsets, the eligibility endpoints, the schema and its documentation. Included
first by paps/urls.py: API requests are the most frequent, and no other address starts with « api/v1/ »."""
from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from aides.api import eligibilite
from cpts.api import CptsViewSet
from structures.api import OffreViewSet, StructureViewSet
from territoires.api import CommuneViewSet
from zonages.api import ZonageViewSet, qpv_point, zonages_commune

from .documentation_api import DocumentationApi, SchemaApi
from .orientation.api import eligibilite_communes

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
    path("eligibilite/communes/", eligibilite_communes, name="eligibilite-communes"),
    path("communes/<str:code_insee>/zonages/", zonages_commune, name="commune-zonages"),
    path("qpv/", qpv_point, name="qpv-point"),
    path("", include((routeur.urls, "api"))),
    path("schema/", SchemaApi.as_view(), name="schema"),
    path("docs/", DocumentationApi.as_view(url_name="schema"), name="swagger-ui"),
    # Last: only addresses ending with "/", so that APPEND_SLASH still redirects "/api/v1/communes".
    re_path(r"^(?P<chemin>.*)/$", api_introuvable),
]

urlpatterns = api_v1
