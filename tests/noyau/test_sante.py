"""/healthz: the state of the database, the cache and the broker."""
import pytest

from noyau import sante

pytestmark = pytest.mark.django_db


def test_healthz_ok(client):
    reponse = client.get("/healthz")
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["statut"] == "ok"
    assert corps["base_de_donnees"]["etat"] == "ok"
    assert corps["cache"]["etat"] == "ok"
    assert corps["broker"]["etat"] == "ok"


def test_healthz_503_quand_la_base_ne_repond_pas(client, monkeypatch):
    monkeypatch.setattr("noyau.views.etat_base", lambda: {"etat": "erreur", "message": "connexion refusée"})
    reponse = client.get("/healthz")
    assert reponse.status_code == 503
    assert reponse.json()["statut"] == "erreur"


def test_healthz_signale_un_broker_injoignable(settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    assert sante.etat_broker()["etat"] == "erreur"
