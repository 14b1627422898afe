from django.urls import path

from . import views

urlpatterns = [
    path("", views.liste, name="aides"),
    path("<str:code>/", views.detail, name="aide"),
]
