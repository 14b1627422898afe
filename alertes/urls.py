"""Pages of the alerts and the communes' Atom feeds (included by paps/urls.py before the portal's commune page)."""
from django.urls import path

from . import views
from .flux import FluxCommune

urlpatterns = [
    path("alertes/", views.abonner, name="alertes"),
    path("alertes/confirmer/<str:jeton>/", views.confirmer, name="alertes_confirmer"),
    path("alertes/desabonner/<str:jeton>/", views.desabonner, name="alertes_desabonner"),
    path("communes/<str:code_insee>/flux.atom", FluxCommune(), name="commune_flux"),
]
