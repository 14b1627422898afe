"""Every map page opens on the served regions' extent (territoires.etendue), given in json_script: with
PAPS_REGIONS="76,84" and test-only territories of both (tests.factories.territoires_de_deux_regions), it covers
both."""
import datetime
import json
import re

import pytest
from django.test import override_settings

from aides.catalogue import charger_regles
from tests.factories import territoires_de_deux_regions, version
from zonages.publication import publier

pytestmark = pytest.mark.django_db

PAGES_AVEC_CARTE = ["/zonages/", "/structures/", "/cpts/", "/communes/00002/", "/departements/000/",
                    "/ou-m-installer/?profession=medecin-generaliste&date=2026-03-01&etape=installation"]


@pytest.mark.parametrize("url", PAGES_AVEC_CARTE)
def test_chaque_carte_recoit_l_etendue_des_regions_servies(client, url):
    territoires_de_deux_regions()
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("00002",)))  # test version: the département's map
    with override_settings(PAPS_REGIONS="76,84"):
        html = client.get(url).content.decode()
    donnees = re.search(r'<script id="etendue-servie" type="application/json">(.*?)</script>', html)
    assert donnees, f"{url} : pas d'étendue dans la page"
    etendue = json.loads(donnees.group(1))
    # Both regions: Occitanie's test points to the south-west, the test département of 84 to the north-east.
    assert etendue == [[43.1, 1.43], [45.9, 5.0]]
    assert "<script>" not in html  # data only, in json_script: the CSP allows no inline script
    assert "data-centre-lat" not in html  # no centre typed in the page any more
