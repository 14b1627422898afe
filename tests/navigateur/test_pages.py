"""Every main public page in headless Chromium: no console error, no Content-Security-Policy violation, and no
accessibility violation found by axe-core (WCAG 2.x A/AA). The structure, CPTS, offer and zonage version are
fictitious test data on real commune codes."""
import datetime

import pytest
from django.utils import timezone

from aides.catalogue import charger_regles
from cpts.models import Cpts
from structures.models import ChangementStatut, Offre, Structure
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS, verifier_accessibilite
from tests.factories import version
from zonages.publication import publier

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]
AUJOURDHUI = timezone.localdate()


@pytest.fixture
def donnees_publiques():
    """Communes (the project fixture, without outlines), the aids' rules, a test zonage version, and one
    structure, CPTS and job offer of test."""
    charger_territoires(FIXTURE_REFERENTIELS)
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032",)))  # test version, not the real one
    structure = Structure.objects.create(identifiant="TEST-P1", nom="MSP de test", type="msp", commune_id="34032",
                                         longitude=3.21, latitude=43.34)
    structure.communes.set(["34032"])
    ChangementStatut.objects.create(structure=structure, statut="ouverte", date=datetime.date(2020, 1, 1))
    cpts = Cpts.objects.create(nom="CPTS de test")
    cpts.departements.set(["34"])
    offre = Offre.objects.create(titre="Poste de test", profession="medecin-generaliste", type="salarie",
                                 employeur="Employeur de test", commune_id="34032",
                                 publiee_le=AUJOURDHUI - datetime.timedelta(days=1),
                                 expire_le=AUJOURDHUI + datetime.timedelta(days=10), contact_nom="Contact de test")
    return {"structure": structure.pk, "cpts": cpts.pk, "offre": offre.pk}


PAGES = [
    ("/", "#contenu"),
    ("/je-m-installe/", "#contenu"),
    ("/je-m-installe/medecin-generaliste/", "#contenu"),
    ("/communes/?q=beziers", "#contenu"),
    ("/communes/34032/", "#contenu"),  # without its outline (the fixture has none): no map
    ("/mes-aides/", "#simulateur form"),
    ("/mes-aides/?commune=34032&profession=medecin-generaliste&date=2026-03-01", "#simulateur #question"),
    ("/mes-aides/?commune=34032&profession=medecin-generaliste&date=2026-03-01&etape=installation&impression=1",
     ".recapitulatif"),
    ("/departements/34/", "#contenu"),
    ("/communes/?q=lozere", "#contenu"),
    ("/aides/", "#contenu"),
    ("/aides/AM-AIDE-INSTALLATION/", "#contenu"),
    ("/zonages/", "#carte-zonages"),  # without outlines (drawn in test_navigateur_parcours.py)
    ("/zonages/tableau/", "#contenu"),
    ("/structures/", "#carte-structures[data-pret=oui]"),
    ("/structures/{structure}/", "#carte-structure[data-pret=oui]"),
    ("/cpts/", "#contenu"),
    ("/cpts/{cpts}/", "#contenu"),
    ("/offres/", "#contenu"),
    ("/offres/{offre}/", "#contenu"),
    ("/tableau-de-bord/", "#contenu"),
    ("/tableau-de-bord/34/", "#contenu"),
    ("/donnees/", "#contenu"),
    ("/accessibilite/", "#contenu"),
    ("/mentions-legales/", "#contenu"),
    ("/page-de-test-inexistante/", "#contenu"),
    ("/api/", "#contenu"),
    ("/api/v1/docs/", "#swagger-ui .opblock"),
]


@pytest.mark.parametrize("chemin, pret", PAGES, ids=[chemin for chemin, _ in PAGES])
def test_page_sans_erreur_ni_violation(live_server, page, donnees_publiques, chemin, pret):
    page.goto(live_server.url + chemin.format(**donnees_publiques))
    page.locator(pret).first.wait_for()
    page.wait_for_load_state("networkidle")
    verifier_accessibilite(page, chemin)
    if chemin == "/page-de-test-inexistante/":  # the 404 page's own status, logged by Chromium
        page.erreurs_console.remove("Failed to load resource: the server responded with a status of 404 (Not Found)")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
