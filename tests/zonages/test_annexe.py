"""The annex of a version's arrêté: its communes by level, as CSV and as a printable page with the version's
references (issue 15). Test-only versions on real communes."""
import datetime
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import version
from zonages.exports import annexe, csv_version
from zonages.models import Classement

pytestmark = pytest.mark.django_db


@pytest.fixture
def zonage():
    zonage = version("ZAC", datetime.date(2026, 1, 1), communes=("34032", "09001"))
    Classement.objects.create(zonage=zonage, commune_id="31555", niveau="ZIP")
    Classement.objects.create(zonage=zonage, commune_id="12202", niveau="ZAR")
    return zonage


def test_annexe_par_niveau_puis_departement(zonage):
    niveaux = annexe(zonage)
    assert [(n.code, [c.code_insee for c in n.communes]) for n in niveaux] == [
        ("ZIP", ["31555"]), ("ZAC", ["09001", "34032"]), ("ZAR", ["12202"])]
    lignes = csv_version(zonage).lstrip("\ufeff").splitlines()
    assert [ligne.split(";")[0] for ligne in lignes[1:]] == ["31555", "09001", "34032", "12202"]


def test_annexe_imprimable_avec_les_references(admin_client, zonage):
    reponse = admin_client.get(reverse("admin:zonages_zonage_annexe", args=[zonage.pk]))
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200 and '<html lang="fr">' in html
    assert zonage.reference in html and "du 01/01/2026, sans date de fin" in html
    assert "ce document n'est pas une version publiée" in html
    assert html.index("Zone d'intervention prioritaire (ZIP) : 1 commune") < html.index(
        "Zone d'action complémentaire (ZAC) : 2 communes")
    assert "Béziers" in html and "Hérault (34)" in html and "css/annexe_arrete.css" in html
    liste = admin_client.get(reverse("admin:zonages_zonage_changelist")).content.decode()
    assert reverse("admin:zonages_zonage_annexe", args=[zonage.pk]) in liste
