"""Dashboard figures are recomputed from the data (test structures, offers, CPTS and a test zonage version)."""
import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from aides.catalogue import charger_regles
from cpts.models import Cpts, TerritoireCpts
from portail.tableau_de_bord import indicateurs
from structures.models import ChangementStatut, Offre, Structure
from territoires.models import Commune
from tests.factories import version
from zonages.publication import publier

pytestmark = pytest.mark.django_db
AUJOURDHUI = timezone.localdate()


def structure(nom, type_, statut, commune="48095", sous_type=""):
    s = Structure.objects.create(identifiant=f"TEST-{nom}", nom=nom, type=type_, sous_type=sous_type, commune_id=commune)
    ChangementStatut.objects.create(structure=s, statut=statut, date=AUJOURDHUI - datetime.timedelta(days=30))
    return s


@pytest.fixture
def donnees():
    structure("MSP de test ouverte", "msp", "ouverte")
    structure("MSP de test en projet", "msp", "projet")
    structure("MSP de test fermée", "msp", "fermee")
    structure("Centre de santé de test", "centre-sante", "ouverte", sous_type="dentaire")
    structure("MSP de test dans l'Hérault", "msp", "ouverte", commune="34032")
    Offre.objects.create(titre="Poste de test", profession="medecin-generaliste", type="salarie", employeur="Test",
                         commune_id="48095", publiee_le=AUJOURDHUI, expire_le=AUJOURDHUI, contact_nom="Test")
    cpts = Cpts.objects.create(nom="CPTS de test", stade="validee")
    cpts.departements.add("48")
    TerritoireCpts.objects.create(cpts=cpts, commune_id="48095", valid_from=AUJOURDHUI - datetime.timedelta(days=1))
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("48095", "48001", "34032")))  # test version
    cache.clear()


def tableau(indicateurs_, titre):
    return dict(next(t for t in indicateurs_.tableaux if t.titre == titre).lignes)


def test_chiffres_du_departement(donnees):
    lozere = indicateurs("48")
    assert lozere.communes == 152
    assert tableau(lozere, "Maisons de santé pluriprofessionnelles") == {"ouvertes ou labellisées": 1, "en projet": 1}
    assert tableau(lozere, "Centres de santé ouverts ou labellisés, par type")["dentaire"] == 1
    assert tableau(lozere, "CPTS par stade")["projet de santé validé"] == 1
    mende = Commune.objects.get(code_insee="48095").population
    assert tableau(lozere, "Population couverte par une CPTS")["part de la population"] == round(100 * mende / lozere.population)
    zip_ = tableau(lozere, "Zonage médecins généralistes : communes")
    assert zip_ == {"Zone d'intervention prioritaire": 2}
    assert tableau(lozere, "Offres d'emploi en cours")["Salarié"] == 1


def test_chiffres_de_la_region(donnees):
    region = indicateurs()
    assert region.communes == 4446
    assert tableau(region, "Maisons de santé pluriprofessionnelles")["ouvertes ou labellisées"] == 2
    assert tableau(region, "Zonage médecins généralistes : communes") == {"Zone d'intervention prioritaire": 3}
    assert next(t for t in region.tableaux if t.titre == "Zones de revitalisation rurale").note.startswith("Aucune version")


def test_pages_csv_et_focus(client, donnees):
    charger_regles()
    page = client.get("/tableau-de-bord/48/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Principales mesures d'installation" in html and 'href="/aides/AM-AIDE-INSTALLATION/"' in html
    assert "<progress" in html and "<table>" in html
    assert client.get("/tableau-de-bord/").status_code == 200
    assert client.get("/tableau-de-bord/75/").status_code == 404
    reponse = client.get("/tableau-de-bord/48/?format=csv")
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0] == ["indicateur", "libellé", "valeur", "unité"]
    assert ["Maisons de santé pluriprofessionnelles", "ouvertes ou labellisées", "1", ""] in lignes


def test_csv_neutralise_les_formules_et_garde_les_nombres(client, monkeypatch):
    """Every label of the dashboard comes from the code today; should one ever come from the data, it cannot become a
    spreadsheet formula. Figures stay numbers, negative ones included."""
    from portail import tableau_de_bord, views

    donnees = tableau_de_bord.Indicateurs("region", AUJOURDHUI, 0, 0, [
        tableau_de_bord.Tableau("=1+1 (libellé de test)", [("@SOMME(A1)", -3), ("-libellé de test", 0)])])
    monkeypatch.setattr(views, "indicateurs", lambda departement: donnees)
    lignes = list(csv.reader(io.StringIO(client.get("/tableau-de-bord/?format=csv").content.decode("utf-8-sig")),
                             delimiter=";"))
    assert lignes[1:] == [["'=1+1 (libellé de test)", "'@SOMME(A1)", "-3", ""],
                          ["'=1+1 (libellé de test)", "'-libellé de test", "0", ""]]
