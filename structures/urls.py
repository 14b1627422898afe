"""Public pages of the structures and job offers (included by paps/urls.py)."""
from django.urls import path

from . import views
from .flux import FluxOffres

urlpatterns = [
    path("structures/", views.liste, name="structures"),
    path("structures/<int:pk>/", views.detail, name="structure"),
    path("offres/", views.liste_offres, name="offres"),
    path("offres/flux.atom", FluxOffres(), name="offres_flux"),
    path("offres/<int:pk>/", views.detail_offre, name="offre"),
]
