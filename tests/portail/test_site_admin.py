"""The administration's home is grouped by the agents' tasks, technical tools last."""
import re

import pytest
from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


def test_accueil_de_l_administration_par_tache(client):
    client.force_login(User.objects.create_superuser("admin-de-test", "admin@exemple.test", "x" * 16))
    page = client.get("/admin/").content.decode()
    sections = re.findall(r'<(?:a|span)[^>]*class="section"[^>]*>([^<]+)<', page)
    assert sections[:6] == ["Zonages", "Aides", "Structures et CPTS", "Offres d&#x27;emploi",
                            "Territoires et indicateurs", "Comptes et accès"]
    assert sections[-1] == "Outils techniques"
    technique = page[page.index("Outils techniques"):]
    assert "Axes" in technique or "Access attempts" in technique or "Tentatives" in technique
    zonages = page[page.index(">Zonages<"):page.index(">Aides<")]
    assert "/admin/zonages/importzonage/" in zonages and "/admin/zonages/zonage/" in zonages


def test_la_page_d_une_application_garde_ses_modeles(client):
    client.force_login(User.objects.create_superuser("admin-de-test", "admin@exemple.test", "x" * 16))
    assert "/admin/zonages/zonage/" in client.get("/admin/zonages/").content.decode()
