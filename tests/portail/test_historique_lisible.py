"""Readable history (issue 15) for the records ARS staff edit: zonage levels (classements), contacts, structures —
who, when, what changed, before → after in words, never "None", "False → True" or a Python dict. (Rules: their
changed paths in words, tests/aides/test_admin_regles.py; versions and CPTS: tests/noyau/test_historique.py.)
The records are test-only ones."""
import datetime
from html import unescape

import pytest
from django.contrib.auth.models import User

from aides.models import Contact
from structures.models import Structure
from tests.factories import version
from zonages.models import Classement

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    compte = User.objects.create_superuser("agent.historique", "agent@exemple.test", "x" * 16)
    client.force_login(compte)
    return compte


def lire(client, url: str) -> str:
    page = unescape(client.get(url).content.decode())
    for brut in ("None", "False", "True", "CHANGES", "{'"):
        assert brut not in page.split("<body", 1)[1], brut
    return page


def test_niveau_d_une_commune(client, agent):
    zonage = version("ZAC", datetime.date(2026, 1, 1), communes=())
    classement = Classement.objects.create(zonage=zonage, commune_id="34032", niveau="ZAC")  # with its history
    client.post(f"/admin/zonages/classement/{classement.pk}/change/", {"niveau": "ZIP"})
    page = lire(client, f"/admin/zonages/classement/{classement.pk}/history/")
    assert "<strong>Niveau</strong> : ZAC → ZIP" in page and "agent.historique" in page


def test_contact(client, agent):
    contact = Contact.objects.create(departement_id="34", type="ars-dd", nom="Contact fictif de test")
    contact.telephone = "04 00 00 00 00"
    contact.save()
    page = lire(client, f"/admin/aides/contact/{contact.pk}/history/")
    assert "<strong>Téléphone</strong> : (vide) → 04 00 00 00 00" in page
    assert "Délégation départementale de l'ARS" in page


def test_structure(client, agent):
    structure = Structure.objects.create(identifiant="TEST-HISTORIQUE", nom="MSP fictive de test", type="msp",
                                         commune_id="34172")
    structure.aci_signe = True
    structure.aci_date = datetime.date(2026, 3, 1)
    structure.save()
    page = lire(client, f"/admin/structures/structure/{structure.pk}/history/")
    assert "<strong>ACI signé</strong> : non → oui" in page
    assert "<strong>Date de signature de l'ACI</strong> : (vide) → 01/03/2026" in page
