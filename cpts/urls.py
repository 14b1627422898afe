"""Public pages of the CPTS, included under /cpts/ by paps/urls.py."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.liste, name="cpts"),
    path("<int:pk>/", views.detail, name="cpts_detail"),
]
