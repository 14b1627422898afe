"""Routes of the public zonage map, included under /zonages/ by paps/urls.py."""
from django.urls import path

from . import views_carte

urlpatterns = [
    path("", views_carte.carte_zonages, name="zonages"),
    path("classement.json", views_carte.classement, name="zonages_classement"),
    path("contours/region.geojson", views_carte.contours_region, name="zonages_contours_region"),
    path("contours/departements.geojson", views_carte.limites_departements, name="zonages_limites_departements"),
    path("contours/<str:code>.geojson", views_carte.contours_departement, name="zonages_contours_departement"),
    path("qpv.geojson", views_carte.qpv, name="zonages_qpv"),
    path("communes/<str:code_insee>.json", views_carte.commune, name="zonages_commune"),
    path("tableau/", views_carte.tableau, name="zonages_tableau"),
    path("tableau.csv", views_carte.tableau_csv, name="zonages_tableau_csv"),
]
