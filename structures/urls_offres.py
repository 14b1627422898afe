from django.urls import path

from . import offres

urlpatterns = [
    path("", offres.liste, name="offres"),
    path("flux.atom", offres.FluxOffres(), name="offres_flux"),
    path("<int:pk>/", offres.detail, name="offre"),
]
