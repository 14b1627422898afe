"""Regional caps of population per level (PlafondRegional), one set per region: entered in the administration by
the zonage editors for a served region, listed and filtered by region. Every cap here is test data."""
from html import unescape

import pytest
from django.contrib.auth.models import Group, User

from zonages.models import PlafondRegional

pytestmark = pytest.mark.django_db
AJOUT, LISTE = "/admin/zonages/plafondregional/add/", "/admin/zonages/plafondregional/"


@pytest.fixture
def editeur(client):
    compte = User.objects.create_user("editeur.plafonds", password="mot-de-passe-de-test-1", is_staff=True)
    compte.groups.add(Group.objects.get(name="ARS — éditeur zonages"))
    client.force_login(compte)
    return compte


def saisir(client, region, niveau="ZIP", part="12.5"):
    return client.post(AJOUT, {"region": region, "type": "medecin", "niveau": niveau, "part_maximale": part,
                               "source": "Plafond de test"})


def test_une_seule_region_servie_preselectionnee(client, editeur):
    html = client.get(AJOUT).content.decode()
    assert '<option value="76" selected>Occitanie (76)</option>' in html
    assert 'value="84"' not in html  # only the served regions
    assert saisir(client, "76").status_code == 302
    assert PlafondRegional.objects.get().region == "76"


def test_plusieurs_regions_a_choisir_et_un_plafond_par_region(client, editeur, settings):
    settings.PAPS_REGIONS = "76,84"
    html = client.get(AJOUT).content.decode()
    assert '<option value="" selected>— Choisissez la région —</option>' in html  # never a region guessed
    assert '<option value="84">Auvergne-Rhône-Alpes (84)</option>' in html
    assert saisir(client, "76").status_code == 302 and saisir(client, "84", part="20").status_code == 302
    assert dict(PlafondRegional.objects.values_list("region", "part_maximale")) == {"76": 12.5, "84": 20}
    # The same level twice in one region: refused with a French message; a region not served: refused.
    doublon = unescape(saisir(client, "84", part="30").content.decode())
    assert "Un plafond est déjà saisi pour ce niveau dans cette région : modifiez-le." in doublon
    hors = unescape(saisir(client, "11").content.decode())
    assert "Sélectionnez un choix valide" in hors and PlafondRegional.objects.count() == 2
    assert "Ce champ est obligatoire" in unescape(saisir(client, "").content.decode())


def test_liste_par_region_et_filtre(client, editeur, settings):
    settings.PAPS_REGIONS = "76,84"
    for region, part in (("76", 10), ("84", 20)):
        PlafondRegional.objects.create(region=region, type="medecin", niveau="ZIP", part_maximale=part,
                                       source=f"Plafond de test ({region})")
    html = unescape(client.get(LISTE).content.decode())
    assert "Occitanie (76)" in html and "Auvergne-Rhône-Alpes (84)" in html
    filtre = unescape(client.get(LISTE, {"region__exact": "84"}).content.decode())
    assert "Plafond de test (84)" in filtre and "Plafond de test (76)" not in filtre
    assert "?region__exact=84" in html  # the filter's link
