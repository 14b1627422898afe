"""Public pages of the structures and job offers (included by paps/urls.py)."""
from django.urls import path

from . import offres, views

urlpatterns = [
    path("structures/", views.liste, name="structures"),
    path("structures/<int:pk>/", views.detail, name="structure"),
    path("offres/", offres.liste, name="offres"),
    path("offres/flux.atom", offres.FluxOffres(), name="offres_flux"),
    path("offres/<int:pk>/", offres.detail, name="offre"),
]
