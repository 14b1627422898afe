"""The portal's pages (the API v1 is in urls_api.py)."""
from django.urls import path

from . import views
from .orientation import views as orientation

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("ou-m-installer/", orientation.ou_m_installer, name="ou_m_installer"),
    path("communes/comparer/", orientation.comparer, name="comparer_communes"),  # before « communes/<code>/ »
    path("communes/<str:code_insee>/", views.commune, name="commune"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("tableau-de-bord/", views.tableau_de_bord, name="tableau_de_bord"),
    path("tableau-de-bord/<str:departement>/", views.tableau_de_bord, name="tableau_de_bord_departement"),
    path("mentions-legales/", views.page("pages/mentions_legales.html", "Mentions légales"), name="mentions_legales"),
    path("accessibilite/", views.page("pages/accessibilite.html", "Déclaration d'accessibilité"), name="accessibilite"),
    path("donnees/", views.donnees, name="donnees"),
    path("api/", views.guide_api, name="api"),
]
