"""Dashboard figures are recomputed from the data (test structures, offers, CPTS and a test zonage version), per
served region (PAPS_REGIONS) with a region selector when several are served."""
import csv
import datetime
import io
from html import unescape

import pytest
from django.core.cache import cache
from django.utils import timezone

from aides.catalogue import charger_regles
from cpts.models import Cpts, TerritoireCpts
from portail.tableau_de_bord import indicateurs
from structures.models import ChangementStatut, Offre, Structure
from territoires.models import Commune
from territoires.regions_servies import message_hors_regions
from tests.factories import territoires_de_deux_regions, version
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
    monkeypatch.setattr(views, "indicateurs", lambda departement, region=None: donnees)
    lignes = list(csv.reader(io.StringIO(client.get("/tableau-de-bord/?format=csv").content.decode("utf-8-sig")),
                             delimiter=";"))
    assert lignes[1:] == [["'=1+1 (libellé de test)", "'@SOMME(A1)", "-3", ""],
                          ["'=1+1 (libellé de test)", "'-libellé de test", "0", ""]]


# --- Several served regions (PAPS_REGIONS="76,84"), with test-only territories of both ------------------------------

@pytest.fixture
def deux_regions(settings):
    """Occitanie (the session's communes and a test département) and region 84 (a test département and commune):
    a test MSP and a test zonage version in each region."""
    settings.PAPS_REGIONS = "76,84"
    territoires_de_deux_regions()
    structure("MSP de test en Lozère", "msp", "ouverte")
    structure("MSP de test (84)", "msp", "ouverte", commune="00001")
    structure("Autre MSP de test (84)", "msp", "projet", commune="00001")
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("48095", "00001")))  # test version
    cache.clear()


def test_chiffres_par_region(deux_regions):
    occitanie, auvergne = indicateurs(region="76"), indicateurs(region="84")
    assert occitanie.communes == 4446 + 2 and auvergne.communes == 1  # the test communes of each region
    assert auvergne.population == 2000
    assert tableau(auvergne, "Maisons de santé pluriprofessionnelles") == {"ouvertes ou labellisées": 1, "en projet": 1}
    assert tableau(occitanie, "Maisons de santé pluriprofessionnelles") == {"ouvertes ou labellisées": 1, "en projet": 0}
    assert tableau(auvergne, "Zonage médecins généralistes : communes") == {"Zone d'intervention prioritaire": 1}
    assert tableau(auvergne, "Zonage médecins généralistes : population") == {"Zone d'intervention prioritaire": 2000}
    # Without a region: every served region together.
    assert tableau(indicateurs(), "Maisons de santé pluriprofessionnelles")["ouvertes ou labellisées"] == 2


def test_page_d_une_region_et_son_selecteur(client, deux_regions):
    reponse = client.get("/tableau-de-bord/", {"region": "84"})
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "<h1>Auvergne-Rhône-Alpes&nbsp;: tableau de bord</h1>" in html
    assert "<title>Auvergne-Rhône-Alpes : tableau de bord" in html
    # The selector: a labelled list of the served regions, the one shown selected, and a button (no JavaScript).
    assert '<form method="get" action="/tableau-de-bord/" class="fr-mb-3w" id="choix-region">' in html
    assert '<label class="fr-label" for="region">Région</label>' in html
    assert '<option value="84" selected>Auvergne-Rhône-Alpes</option>' in html
    assert '<option value="76">Occitanie</option>' in html and '<button class="fr-btn" type="submit">' in html
    # The region's départements only; the link back to the region keeps it.
    assert 'href="/tableau-de-bord/00/"' in html and 'href="/tableau-de-bord/48/"' not in html
    assert '<a href="/tableau-de-bord/?region=84" aria-current="page">Auvergne-Rhône-Alpes</a>' in html
    assert 'href="?region=84&amp;format=csv"' in html
    reponse = client.get("/tableau-de-bord/", {"region": "84", "format": "csv"})
    assert 'filename="tableau-de-bord-region-84-' in reponse["Content-Disposition"]
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Maisons de santé pluriprofessionnelles", "en projet", "1", ""] in lignes
    # No region asked: the first served one.
    html = client.get("/tableau-de-bord/").content.decode()
    assert "<h1>Occitanie&nbsp;: tableau de bord</h1>" in html and '<option value="76" selected>Occitanie</option>' in html
    assert 'href="/tableau-de-bord/48/"' in html and 'href="/tableau-de-bord/00/"' not in html


def test_un_departement_est_dans_sa_region(client, deux_regions):
    html = client.get("/tableau-de-bord/00/").content.decode()
    assert "<h1>Département fictif de test (84) (00)</h1>" in html
    assert '<a href="/tableau-de-bord/?region=84">Auvergne-Rhône-Alpes</a>' in html
    assert '<option value="84" selected>' in html
    assert client.get("/tableau-de-bord/00/", {"region": "84"}).status_code == 200
    reponse = client.get("/tableau-de-bord/48/", {"region": "84"})
    assert reponse.status_code == 404
    assert ("Aucun département « 48 » dans la région Auvergne-Rhône-Alpes : Lozère est dans la région Occitanie."
            in reponse.content.decode())


def test_region_invalide_ou_hors_du_portail(client, deux_regions):
    reponse = client.get("/tableau-de-bord/", {"region": "11"})
    assert reponse.status_code == 404
    assert message_hors_regions("la région Île-de-France") in unescape(reponse.content.decode())
    assert message_hors_regions("la région Île-de-France").startswith(
        "Aucune donnée ici pour la région Île-de-France : ce portail ne sert que Occitanie et Auvergne-Rhône-Alpes.")
    for valeur in ("occitanie", "99", "<script>"):
        reponse = client.get("/tableau-de-bord/", {"region": valeur})
        assert reponse.status_code == 400
        html = unescape(reponse.content.decode())
        assert "n'est pas le code INSEE d'une région. Régions de ce portail : 76 (Occitanie), 84 " \
               "(Auvergne-Rhône-Alpes)." in html
        assert 'id="choix-region"' in html  # to choose one
    assert "&lt;script&gt;" in client.get("/tableau-de-bord/", {"region": "<script>"}).content.decode()


def test_une_seule_region_sans_selecteur(client, donnees):
    html = client.get("/tableau-de-bord/").content.decode()
    assert "<h1>Occitanie&nbsp;: tableau de bord</h1>" in html and 'id="choix-region"' not in html
    assert client.get("/tableau-de-bord/", {"region": "76"}).status_code == 200
    assert client.get("/tableau-de-bord/", {"region": "84"}).status_code == 404


def test_nombre_de_requetes_par_region(client, deux_regions, django_assert_num_queries):
    client.get("/tableau-de-bord/", {"region": "84"})
    with django_assert_num_queries(2):  # the served départements; the figures cached (+1: the generations)
        assert client.get("/tableau-de-bord/", {"region": "84"}).status_code == 200
