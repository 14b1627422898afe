"""Pages of the aids (included by paps/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("aides/", views.liste, name="aides"),
    path("aides/<str:code>/", views.detail, name="aide"),
    path("mes-aides/", views.mes_aides, name="mes_aides"),
    path("je-m-installe/", views.je_m_installe, name="je_m_installe"),
    path("je-m-installe/<str:profession>/", views.je_m_installe_profession, name="je_m_installe_profession"),
]
