"""Public pages of the CPTS (included by paps/urls.py)."""
from django.urls import path

from . import views

urlpatterns = [
    path("cpts/", views.liste, name="cpts"),
    path("cpts/<int:pk>/", views.detail, name="cpts_detail"),
]
