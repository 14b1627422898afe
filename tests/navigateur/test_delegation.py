"""Journey of a délégation départementale in headless Chromium: an agent of the Ariège délégation logs in, sees
and edits the structures of Ariège, and cannot edit a structure of Haute-Garonne — neither from the list nor by
its address. Each page is checked for console errors, CSP violations and accessibility (axe-core).

The two structures are test data written here, on real commune codes (Foix 09122, Toulouse 31555)."""
import pytest
from django.contrib.auth.models import User

from structures.models import Structure
from territoires import habilitations
from territoires.models import PerimetreAgent
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS, groupe_cree_par_migration, se_connecter, verifier_accessibilite

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE = "mot-de-passe-de-test-delegation-09"


@pytest.fixture
def agent_de_l_ariege():
    charger_territoires(FIXTURE_REFERENTIELS)  # an earlier transactional test may have emptied the tables
    agent = User.objects.create_user("agent.ariege.test", password=MOT_DE_PASSE, is_staff=True)
    agent.groups.add(groupe_cree_par_migration(habilitations.DELEGATION, ("portail", "0001_groupes_roles")))
    PerimetreAgent.objects.create(utilisateur=agent).departements.add("09")
    return {
        "ariege": Structure.objects.create(identifiant="TEST-NAV-09", nom="MSP de test de Foix", type="msp",
                                           commune_id="09122"),
        "haute_garonne": Structure.objects.create(identifiant="TEST-NAV-31", nom="MSP de test de Toulouse",
                                                  type="msp", commune_id="31555"),
    }


def test_la_delegation_ne_modifie_pas_une_structure_d_un_autre_departement(live_server, page, agent_de_l_ariege):
    ariege, haute_garonne = agent_de_l_ariege["ariege"], agent_de_l_ariege["haute_garonne"]
    se_connecter(page, live_server.url, "agent.ariege.test", MOT_DE_PASSE)
    verifier_accessibilite(page, "administration, accueil de la délégation")

    page.goto(live_server.url + "/admin/structures/structure/")
    liste = page.locator("#result_list")
    assert liste.get_by_role("link", name="MSP de test de Foix").count() == 1
    assert "MSP de test de Toulouse" not in liste.inner_text()
    verifier_accessibilite(page, "liste des structures de la délégation")

    # Its own structure: editable.
    liste.get_by_role("link", name="MSP de test de Foix").click()
    page.wait_for_url(f"**/admin/structures/structure/{ariege.pk}/change/")
    verifier_accessibilite(page, "fiche d'une structure de l'Ariège")
    page.get_by_role("textbox", name="Nom :", exact=True).fill("MSP de test de Foix (renommée)")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url("**/admin/structures/structure/")
    ariege.refresh_from_db()
    assert ariege.nom == "MSP de test de Foix (renommée)"

    # Another département's structure, by its address: not shown, not editable.
    page.goto(live_server.url + f"/admin/structures/structure/{haute_garonne.pk}/change/")
    page.wait_for_url(live_server.url + "/admin/")
    assert "n’existe pas" in page.locator(".messagelist").inner_text()
    assert page.locator("input[name=nom]").count() == 0
    verifier_accessibilite(page, "retour après une structure hors périmètre")
    reponse = page.goto(live_server.url + f"/admin/structures/structure/{haute_garonne.pk}/history/")
    assert reponse.status == 403
    page.erreurs_console.remove("Failed to load resource: the server responded with a status of 403 (Forbidden)")
    haute_garonne.refresh_from_db()
    assert haute_garonne.nom == "MSP de test de Toulouse"
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
