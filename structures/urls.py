"""Public pages of the structures, included under /structures/ by paps/urls.py."""
from django.urls import path

from . import views

urlpatterns = [
    path("", views.liste, name="structures"),
    path("<int:pk>/", views.detail, name="structure"),
]
