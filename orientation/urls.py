"""Pages of « Où m'installer ? » (included by paps/urls.py before the portal, whose commune page would take
« comparer » for an INSEE code); its API is registered with the others in portail/urls.py."""
from django.urls import path

from . import views

urlpatterns = [
    path("ou-m-installer/", views.ou_m_installer, name="ou_m_installer"),
    path("communes/comparer/", views.comparer, name="comparer_communes"),
]
