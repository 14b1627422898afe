"""The impact of a draft on a portal serving two regions (PAPS_REGIONS="76,84"): the share of each region's
population per level, compared with that region's own caps only; a region without caps is said so, never given
another's. The territories of 84 and every cap are test-only data (tests.factories.territoires_de_deux_regions)."""
import datetime
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from aides.catalogue import charger_regles
from portail.impact import calculer, lignes_texte
from territoires.models import Commune
from tests.factories import territoires_de_deux_regions, version
from zonages.models import PlafondRegional

pytestmark = pytest.mark.django_db
JOUR = datetime.date(2026, 3, 1)
AIGUES_VIVES, COMMUNE_84 = "09002", "00001"


@pytest.fixture
def deux_regions(settings):
    settings.PAPS_REGIONS = "76,84"
    territoires_de_deux_regions()
    charger_regles()


def plafond(region, niveau, part, type_="medecin"):
    return PlafondRegional.objects.create(region=region, type=type_, niveau=niveau, part_maximale=part,
                                          source=f"Plafond de test ({region})")


def impact():
    """A test draft classing Aigues-Vives (76) and the test commune of 84 in ZIP, where nothing was classed."""
    return calculer("medecin", JOUR, {}, {AIGUES_VIVES: "ZIP", COMMUNE_84: "ZIP"}, None, "brouillon de test")


def test_parts_par_region_et_plafonds_de_chaque_region(deux_regions):
    plafond("84", "ZIP", 50)
    plafond("76", "ZIP", 99)  # Occitanie's cap: never read for 84
    resultat = impact()
    occitanie, auvergne = resultat.regions
    assert (occitanie.code, occitanie.nom, auvergne.code, auvergne.nom) == ("76", "Occitanie", "84",
                                                                          "Auvergne-Rhône-Alpes")
    population_76 = sum(Commune.objects.filter(departement__region_id="76").values_list("population", flat=True))
    assert occitanie.population == population_76 and auvergne.population == 2000
    zip_76 = next(p for p in occitanie.parts if p.code == "ZIP")
    zip_84 = next(p for p in auvergne.parts if p.code == "ZIP")
    aigues_vives = Commune.objects.get(code_insee=AIGUES_VIVES).population
    assert zip_76.population_apres == aigues_vives and zip_76.part_apres == pytest.approx(
        100 * aigues_vives / population_76)
    # The whole test region of 84 is in ZIP after: 100 % against its own cap of 50 %.
    assert (zip_84.population_avant, zip_84.population_apres, zip_84.part_apres) == (0, 2000, 100)
    assert zip_84.plafond.part_maximale == 50 and zip_84.depasse_apres and not zip_84.depasse_avant
    assert zip_76.plafond.part_maximale == 99 and not zip_76.depasse_apres


def test_une_region_sans_plafond_le_dit(deux_regions):
    plafond("84", "ZIP", 50)
    resultat = impact()
    occitanie, auvergne = resultat.regions
    assert not occitanie.plafonds_saisis and all(p.plafond is None for p in occitanie.parts)
    assert auvergne.plafonds_saisis and resultat.plafonds_saisis
    texte = "\n".join(lignes_texte(resultat))
    assert "Aucun plafond saisi pour Occitanie pour ce zonage (administration" in texte
    assert "Aucun plafond saisi pour Auvergne-Rhône-Alpes" not in texte
    assert "Part de la population de la région Auvergne-Rhône-Alpes (2\u202f000 habitants) par niveau :" in texte
    assert "- Zone d'intervention prioritaire : 0 % → 100 % ; plafond de la région 50 % (Plafond de test (84)) : " \
           "DÉPASSÉ" in texte


def test_une_seule_region_servie_une_seule_part(deux_regions, settings):
    settings.PAPS_REGIONS = "84"
    assert [r.code for r in impact().regions] == ["84"]


def test_un_plafond_par_region_type_et_niveau(db):
    plafond("76", "ZIP", 10)
    plafond("84", "ZIP", 12)  # the same level in another region
    plafond("76", "ZIP", 5, type_="infirmier")
    with pytest.raises(IntegrityError), transaction.atomic():
        plafond("76", "ZIP", 11)
    assert str(PlafondRegional.objects.get(region="84")) == \
        "Auvergne-Rhône-Alpes, Médecins généralistes — Zone d'intervention prioritaire : 12.00 %"


def test_page_d_impact_une_table_par_region(admin_client, deux_regions):
    plafond("84", "ZIP", 50)
    brouillon = version("ZIP", JOUR, communes=(AIGUES_VIVES, COMMUNE_84))  # test draft
    html = unescape(admin_client.get(reverse("admin:zonages_zonage_impact", args=[brouillon.pk])).content.decode())
    assert '<h3 id="parts-region-76">Occitanie</h3>' in html and '<h3 id="parts-region-84">Auvergne-Rhône-Alpes</h3>' in html
    assert "Population de la région Auvergne-Rhône-Alpes : 2 000 habitants" in html.replace("\u202f", " ").replace(
        "\xa0", " ")
    assert "50 % — <strong>dépassé après</strong>" in html
    assert "Aucun plafond saisi pour Occitanie pour ce zonage." in html
    assert "Aucun plafond saisi pour Auvergne-Rhône-Alpes" not in html
    assert "?type__exact=medecin&region__exact=76" in html and "?type__exact=medecin&region__exact=84" in html
