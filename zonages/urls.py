"""Routes of the public zonage map (included by paps/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("zonages/", views.carte_zonages, name="zonages"),
    path("zonages/classement.json", views.classement, name="zonages_classement"),
    path("zonages/contours/region.geojson", views.contours_region, name="zonages_contours_region"),
    path("zonages/contours/departements.geojson", views.limites_departements, name="zonages_limites_departements"),
    path("zonages/contours/<str:code>.geojson", views.contours_departement, name="zonages_contours_departement"),
    path("zonages/qpv.geojson", views.qpv, name="zonages_qpv"),
    path("zonages/communes/<str:code_insee>.json", views.commune, name="zonages_commune"),
    path("zonages/tableau/", views.tableau, name="zonages_tableau"),
    path("zonages/tableau.csv", views.tableau_csv, name="zonages_tableau_csv"),
]
