"""Commune search (included by paps/urls.py); a commune's own page belongs to the portal."""
from django.urls import path

from . import views

urlpatterns = [
    path("communes/", views.recherche_communes, name="recherche_communes"),
    path("communes/suggestions/", views.suggestions_communes, name="suggestions_communes"),
]
