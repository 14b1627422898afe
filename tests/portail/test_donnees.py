"""The "Données et sources" page is made from what is loaded: each layer's version, dates, reference, note, counts and
import; what is missing is said, with where the official information is."""
import datetime
import io
import re
from html import unescape

import pytest
from django.core.management import call_command

from portail.models import ChargementReferentiel
from structures.models import ImportStructures
from tests.factories import version
from zonages.models import ImportZonage
from zonages.publication import publier

pytestmark = pytest.mark.django_db


def test_ce_qui_est_charge_et_ce_qui_manque(client):
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032", "31555")))
    publier(version("C", datetime.date(2017, 7, 1), type_="zrr", fin=datetime.date(2024, 6, 30)))
    page = client.get("/donnees/").content.decode()
    zonages = page[page.index('id="etat-zonages"'):page.index('id="etat-superpositions"')]
    # Médecins: the test-only version with its reference and counts.
    assert "Arrêté de test du 2022-05-07" in zonages and "Zone d&#x27;intervention prioritaire : 2" in zonages
    # Kinés: nothing loaded, said so, with where to check.
    assert "Masseurs-kinésithérapeutes" in zonages and "Non chargé dans le portail" in zonages
    assert "cartosante.atlasante.fr" in zonages
    territoriaux = page[page.index('id="etat-superpositions"'):]
    # The ZRR ended: not missing, but no longer in force.
    assert "plus en vigueur" in territoriaux
    manquantes = page[page.index('id="donnees-manquantes"'):page.index('id="etat-zonages"')]
    assert "Zone de revitalisation rurale" not in manquantes and "Quartiers prioritaires" in manquantes
    assert "sig.ville.gouv.fr" in territoriaux
    assert re.search(r"4\s446 communes,", page)  # the fixture's territories, counted


@pytest.mark.donnees_reelles
def test_chaque_fichier_charge_garde_son_rapport_visible(client, admin_client, donnees_reelles):
    """The shipped data loaded as `make run` does: every file's load is recorded with its report, warnings listed
    in the admin, listed on the page, with a link to the report for staff only."""
    call_command("charger_referentiels", source=str(donnees_reelles), stdout=io.StringIO())
    page = " ".join(client.get("/donnees/").content.decode().split())
    chargements = page[page.index('id="etat-chargements"'):].split("</table>")[0]
    for attendu in ["communes_occitanie.json.gz", "apl_medecins_generalistes_2023_occitanie.csv",
                    "apl_medecins_generalistes_2022_occitanie.csv", "cpts_seeds.yaml", "cpts_occitanie_echantillon.csv",
                    "Structures (registre FINESS au 8 janvier 2021)", "finess_2021-01-08_structures_occitanie.csv"]:
        assert attendu in chargements, attendu
    assert "rapport</a>" not in chargements and "rapport d'import</a>" not in page  # anonymous: no admin link
    assert "Structures d'exercice coordonné : 392, dont 392 du registre FINESS au 8 janvier 2021" in page
    zonages = page[page.index('id="etat-zonages"'):page.index('id="etat-superpositions"')]
    assert "Non chargé dans le portail" not in zonages and zonages.count("importé le") == 6
    assert "qpv2024_occitanie.geojson, importé le" in page and "43 avertissements au rapport d'import" in page

    agent = " ".join(admin_client.get("/donnees/").content.decode().split())
    territoires = ChargementReferentiel.objects.get(nature="territoires")
    assert f'href="/admin/portail/chargementreferentiel/{territoires.pk}/change/">rapport</a>' in agent
    dentistes = ImportZonage.objects.get(type="chirurgien-dentiste")
    assert f'href="/admin/zonages/importzonage/{dentistes.pk}/change/">rapport d\'import</a>' in agent
    # The reports, warnings listed.
    rapport = admin_client.get(f"/admin/portail/chargementreferentiel/{territoires.pk}/change/").content.decode()
    assert "12218 (Conques-en-Rouergue) : pas de contour dans le fichier" in unescape(rapport)
    rapport = unescape(admin_client.get(f"/admin/zonages/importzonage/{dentistes.pk}/change/").content.decode())
    assert "la commune 34144 réunit des communes de niveaux différents" in rapport
    finess = ImportStructures.objects.get()
    rapport = unescape(admin_client.get(f"/admin/structures/importstructures/{finess.pk}/change/").content.decode())
    assert "310032602 « CPTS LA PROVIDENCE » : CPTS (catégorie 604)" in rapport
    assert "Fichier du registre FINESS au 8 janvier 2021." in rapport
    apl = ChargementReferentiel.objects.filter(nature="apl").first()
    assert "12218 absente du fichier" in unescape(
        admin_client.get(f"/admin/portail/chargementreferentiel/{apl.pk}/change/").content.decode())
    # Read only; a second load records nothing new.
    assert admin_client.get("/admin/portail/chargementreferentiel/add/").status_code == 403
    avant = ChargementReferentiel.objects.count()
    call_command("charger_referentiels", source=str(donnees_reelles), stdout=io.StringIO())
    assert ChargementReferentiel.objects.count() == avant == 5
