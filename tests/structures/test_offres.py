"""Job offers: visibility by dates, shared filters for the page and the API, feed, admin-level validation."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from structures.models import Offre

pytestmark = pytest.mark.django_db
AUJOURDHUI = timezone.localdate()
JOUR = datetime.timedelta(days=1)


def offre(titre, **champs) -> Offre:
    valeurs = {"profession": "medecin-generaliste", "type": "salarie", "employeur": "Employeur de test",
               "commune_id": "34032", "publiee_le": AUJOURDHUI - 10 * JOUR, "expire_le": AUJOURDHUI + 10 * JOUR,
               "contact_nom": "Contact de test", **champs}
    return Offre.objects.create(titre=titre, **valeurs)


@pytest.fixture
def offres():
    return {
        "en_cours": offre("Poste de test en cours"),
        "partage": offre("Poste partagé de test", type="exercice-partage", commune_id="31555", profession="infirmier"),
        "expiree": offre("Poste de test expiré", expire_le=AUJOURDHUI - JOUR),
        "future": offre("Poste de test pas encore publié", publiee_le=AUJOURDHUI + JOUR),
        "dernier_jour": offre("Poste de test, dernier jour", expire_le=AUJOURDHUI),
    }


def test_les_offres_expirees_ou_futures_disparaissent_d_elles_memes(client, offres):
    titres = [o.titre for o in client.get("/offres/").context["offres"]]
    assert set(titres) == {"Poste de test en cours", "Poste partagé de test", "Poste de test, dernier jour"}
    assert client.get(f"/offres/{offres['expiree'].pk}/").status_code == 404
    assert client.get(f"/offres/{offres['en_cours'].pk}/").status_code == 200


def test_filtres_partages_page_et_api(client, offres):
    api = APIClient()
    for parametres in [{"type": "exercice-partage"}, {"profession": "infirmier"}, {"departement": "34"}]:
        page = {o.pk for o in client.get("/offres/", parametres).context["offres"]}
        json = {o["id"] for o in api.get("/api/v1/offres/", parametres).json()["results"]}
        assert page == json and page
    assert {o["id"] for o in api.get("/api/v1/offres/", {"departement": "31"}).json()["results"]} == {offres["partage"].pk}


def test_parametres_invalides_400(client, offres):
    assert client.get("/offres/", {"type": "cdi"}).status_code == 400
    reponse = APIClient().get("/api/v1/offres/", {"departement": "99"})
    assert reponse.status_code == 400 and "departement" in reponse.json()


def test_api_detail_et_champs(offres):
    corps = APIClient().get(f"/api/v1/offres/{offres['partage'].pk}/").json()
    assert corps["commune"] == "31555" and corps["commune_nom"] == "Toulouse" and corps["departement"] == "31"
    assert corps["type"] == "exercice-partage" and corps["employeur"] == "Employeur de test"
    assert APIClient().get(f"/api/v1/offres/{offres['expiree'].pk}/").status_code == 404


def test_flux_atom(client, offres):
    reponse = client.get("/offres/flux.atom")
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("application/atom+xml")
    contenu = reponse.content.decode()
    assert "Poste de test en cours — Béziers" in contenu and "expiré" not in contenu


def test_page_d_une_offre_renvoie_au_simulateur(client, offres):
    html = client.get(f"/offres/{offres['partage'].pk}/").content.decode()
    assert "/mes-aides/?commune=31555&amp;profession=infirmier" in html


def test_validations_du_modele():
    with pytest.raises(ValidationError, match="employeur"):
        Offre(titre="Test", profession="infirmier", type="salarie", commune_id="34032", publiee_le=AUJOURDHUI,
              expire_le=AUJOURDHUI, contact_nom="Test").full_clean()
    with pytest.raises(ValidationError, match="expiration précède"):
        Offre(titre="Test", profession="infirmier", type="salarie", employeur="Test", commune_id="34032",
              publiee_le=AUJOURDHUI, expire_le=AUJOURDHUI - JOUR, contact_nom="Test").full_clean()


def test_nombre_de_requetes(offres, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        APIClient().get("/api/v1/offres/")
