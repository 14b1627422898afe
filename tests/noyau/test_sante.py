"""/healthz: 200 or 503 for everyone, the state of the database, the cache and the broker for the staff only (an
anonymous caller learns nothing of the engine, the backends or their error messages)."""
import pytest
from django.contrib.auth.models import User

from noyau import sante

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    client.force_login(User.objects.create_user("agent-sante", is_staff=True))
    return client


def test_anonyme_seulement_ok(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1, nothing else
        reponse = client.get("/healthz")
    assert reponse.status_code == 200
    assert reponse.json() == {"statut": "ok"}
    assert reponse["Cache-Control"].startswith("max-age=0")


def test_anonyme_seulement_ko_sans_le_message(client, monkeypatch):
    monkeypatch.setattr("noyau.views.etat_base", lambda: {"etat": "erreur", "moteur": "postgresql",
                                                           "message": "connexion refusée sur db:5432"})
    reponse = client.get("/healthz")
    assert reponse.status_code == 503
    assert reponse.json() == {"statut": "erreur"}


def test_l_equipe_voit_le_detail(agent):
    reponse = agent.get("/healthz")
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["statut"] == "ok"
    assert corps["base_de_donnees"]["etat"] == "ok"
    assert corps["cache"]["etat"] == "ok"
    assert corps["broker"]["etat"] == "ok"


def test_503_quand_la_base_ne_repond_pas(agent, monkeypatch):
    monkeypatch.setattr("noyau.views.etat_base", lambda: {"etat": "erreur", "message": "connexion refusée"})
    reponse = agent.get("/healthz")
    assert reponse.status_code == 503
    assert reponse.json()["statut"] == "erreur" and reponse.json()["base_de_donnees"]["message"] == "connexion refusée"


def test_un_compte_hors_equipe_n_a_que_ok(client):
    client.force_login(User.objects.create_user("usager-sante"))
    assert client.get("/healthz").json() == {"statut": "ok"}


def test_healthz_signale_un_broker_injoignable(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert sante.etat_broker()["etat"] == "erreur"
