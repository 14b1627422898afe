"""PAPS_REGIONS: which regions the portal serves, checked at start-up; territories elsewhere are neither loaded nor
served (search, API, pages answer 404 with a French message)."""
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from rest_framework.test import APIClient

from tests.conftest import FIXTURE_REFERENTIELS, RACINE
from territoires.referentiels.lecture import lire_territoires
from territoires.referentiels.sources import trouver_source
from territoires.regions_servies import lire_reglage, nom_du_perimetre, regions_servies


def test_reglage_lu_et_valide():
    assert lire_reglage("76") == frozenset({"76"})
    assert lire_reglage(" 76, 84 ") == frozenset({"76", "84"})
    assert lire_reglage("Toutes") is None
    with pytest.raises(ImproperlyConfigured, match="code de région inconnu « 99 »"):
        lire_reglage("76,99")
    with pytest.raises(ImproperlyConfigured, match="PAPS_REGIONS est vide"):
        lire_reglage(" , ")


def test_par_defaut_l_occitanie():
    assert regions_servies() == frozenset({"76"})
    assert nom_du_perimetre() == "Occitanie"
    with override_settings(PAPS_REGIONS="84,76"):
        assert nom_du_perimetre() == "Occitanie et Auvergne-Rhône-Alpes"
    with override_settings(PAPS_REGIONS="toutes"):
        assert regions_servies() is None and nom_du_perimetre() == "France"


def test_reglage_invalide_arrete_le_demarrage():
    sortie = subprocess.run([sys.executable, "manage.py", "check"], cwd=RACINE, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "PAPS_REGIONS": "occitanie", "DJANGO_SECRET_KEY": "x" * 50})
    assert sortie.returncode != 0
    assert "PAPS_REGIONS : code de région inconnu « occitanie »" in sortie.stderr


def test_lecture_ne_garde_que_les_regions_servies():
    source = trouver_source(FIXTURE_REFERENTIELS)
    tout = lire_territoires(source)
    assert len(tout.communes) == 4446
    aucune = lire_territoires(source, frozenset({"84"}))
    assert (aucune.regions, aucune.departements, aucune.communes, aucune.epci, aucune.rattachees) == ({}, {}, {}, {}, {})
    assert aucune.ignores["communes hors des régions servies"] == 4446
    assert aucune.ignores["départements hors des régions servies"] == 13


@pytest.mark.django_db
def test_commune_d_une_region_non_chargee_404_explique(client):
    reponse = client.get("/communes/75056/")
    assert reponse.status_code == 404
    assert "ce portail ne sert pas le département 75" in reponse.content.decode()
    corps = APIClient().get("/api/v1/communes/75056/").json()
    assert corps["detail"].startswith("Aucune commune de code INSEE « 75056 » dans Occitanie")
    assert APIClient().get("/api/v1/communes/99999/").json() == {"detail": "Aucune commune n'a le code INSEE 99999."}


@pytest.mark.django_db
@override_settings(PAPS_REGIONS="84")
def test_commune_enregistree_hors_des_regions_servies_ni_cherchee_ni_montree(client):
    """Béziers is stored (the fixture), but the portal now serves Auvergne-Rhône-Alpes only."""
    reponse = client.get("/communes/34032/")
    assert reponse.status_code == 404
    assert "Aucune donnée ici pour la commune Béziers (34032) : ce portail ne sert que Auvergne-Rhône-Alpes" in \
        reponse.content.decode()
    assert APIClient().get("/api/v1/communes/34032/").status_code == 404
    assert APIClient().get("/api/v1/communes/", {"q": "beziers"}).json()["count"] == 0
    assert client.get("/communes/suggestions/", {"q": "beziers"}).json() == {"resultats": []}
    assert client.get("/tableau-de-bord/34/").status_code == 404


@pytest.mark.django_db
def test_perimetre_de_delegation_par_region_ou_par_departements():
    from django.contrib.auth.models import Group, User

    from territoires import habilitations
    from territoires.models import PerimetreAgent

    delegation = Group.objects.get(name=habilitations.DELEGATION)
    regional = User.objects.create_user("agent-regional", is_staff=True)
    regional.groups.add(delegation)
    PerimetreAgent.objects.create(utilisateur=regional).regions.add("76")
    departemental = User.objects.create_user("agent-ariege", is_staff=True)
    departemental.groups.add(delegation)
    perimetre = PerimetreAgent.objects.create(utilisateur=departemental)
    perimetre.departements.add("09")
    assert habilitations.departements_autorises(User.objects.get(pk=regional.pk)) == frozenset(
        ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"])
    assert habilitations.departements_autorises(User.objects.get(pk=departemental.pk)) == frozenset(["09"])
    perimetre.regions.add("76")  # both: the union
    assert len(habilitations.departements_autorises(User.objects.get(pk=departemental.pk))) == 13


@pytest.mark.django_db
def test_nom_du_portail_selon_les_regions_servies(client):
    assert "PAPS Occitanie" in client.get("/").content.decode()
    with override_settings(PAPS_REGIONS="76,84"):
        assert "PAPS Occitanie et Auvergne-Rhône-Alpes" in client.get("/mentions-legales/").content.decode()


def test_region_demandee_dans_une_adresse():
    from territoires.regions_servies import RegionNonServie, codes_des_regions_servies, lire_region

    assert lire_region(None) is None and lire_region(" ") is None and lire_region(" 76 ") == "76"
    with pytest.raises(RegionNonServie, match="^Aucune donnée ici pour la région Auvergne-Rhône-Alpes : ce portail "
                                              "ne sert que Occitanie."):
        lire_region("84")
    with pytest.raises(ValueError, match="« occitanie » n'est pas le code INSEE d'une région. Régions de ce portail : "
                                         "76 \\(Occitanie\\)."):
        lire_region("occitanie")
    with override_settings(PAPS_REGIONS="76,84"):
        assert lire_region("84") == "84" and codes_des_regions_servies() == ["76", "84"]
    with override_settings(PAPS_REGIONS="toutes"):
        assert len(codes_des_regions_servies()) == 18 and lire_region("11") == "11"
