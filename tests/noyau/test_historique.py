"""History pages in plain French: field names, values in words (labels of choices, yes/no, dates, "(vide)", related
records), and the paths that changed in a JSON document."""
import datetime

import pytest
from django.contrib.auth.models import User

from cpts.models import Cpts, Stade
from noyau.historique import differences_json, en_mots
from tests.factories import version
from zonages.publication import publier

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("admin-de-test", "admin@exemple.test", "x" * 16))
    return client


def test_historique_d_une_version_de_zonage_en_mots(admin_client):
    zonage = version("ZIP", datetime.date(2022, 5, 7))
    publier(zonage)
    page = admin_client.get(f"/admin/zonages/zonage/{zonage.pk}/history/").content.decode()
    assert "Ce qui a changé (avant → après)" in page and "CHANGES" not in page and "None" not in page
    assert "<strong>Statut</strong> : brouillon → publié" in page
    assert "modification" in page and "création" in page


def test_historique_d_une_cpts_libelles_et_departements(admin_client):
    cpts = Cpts.objects.create(nom="CPTS fictive de test", stade=Stade.PROJET)
    cpts.stade = Stade.VALIDEE
    cpts.save()
    cpts.departements.set(["34"])
    page = admin_client.get(f"/admin/cpts/cpts/{cpts.pk}/history/").content.decode()
    assert "projet à l&#x27;étude → projet de santé validé" in page
    assert "Hérault (34)" in page


def test_valeurs_en_mots():
    assert [en_mots(v) for v in (None, "", True, False, datetime.date(2026, 12, 1), ["a", "b"])] == [
        "(vide)", "(vide)", "oui", "non", "01/12/2026", "a, b"]


def test_differences_d_un_document_json():
    avant = {"versions": [{"valid_from": "2018-01-01", "montants": [{"valeur": 25000}]}], "nom": "Aide"}
    apres = {"versions": [{"valid_from": "2018-01-01", "montants": [{"valeur": 50000}]}], "nom": "Aide",
             "resume": "Nouveau"}
    assert differences_json(avant, apres) == [("resume", "(vide)", "Nouveau"),
                                              ("versions[0].montants[0].valeur", "25000", "50000")]
