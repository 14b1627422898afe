"""docker-compose.yml cannot be run here (no Docker engine): check that it is coherent with the project."""
import re

import yaml
from django.core.management import get_commands

from tests.conftest import RACINE

COMPOSE = yaml.safe_load((RACINE / "docker-compose.yml").read_text())
REGLAGES = (RACINE / "paps" / "settings.py").read_text()


def test_services_attendus():
    assert {"web", "worker", "beat", "db", "redis", "init"} <= set(COMPOSE["services"])
    for nom in ["web", "worker", "beat", "db", "redis"]:
        assert "healthcheck" in COMPOSE["services"][nom], nom
    assert COMPOSE["services"]["beat"]["command"][:4] == ["celery", "-A", "paps", "beat"]


def test_les_taches_periodiques_existent():
    from django.conf import settings

    from paps.celery import app

    app.loader.import_default_modules()
    for nom, tache in settings.CELERY_BEAT_SCHEDULE.items():
        assert tache["task"] in app.tasks, nom


def test_les_commandes_des_services_existent():
    init = " ".join(COMPOSE["services"]["init"]["command"])
    for commande in re.findall(r"manage\.py (\w+)", init):
        assert commande in get_commands(), commande
    assert COMPOSE["services"]["web"]["command"][1] == "paps.wsgi:application"
    assert (RACINE / "paps" / "wsgi.py").exists()
    worker = COMPOSE["services"]["worker"]["command"]
    assert worker[:3] == ["celery", "-A", "paps"] and (RACINE / "paps" / "celery.py").exists()


def test_les_variables_d_environnement_sont_celles_des_reglages():
    lues = set(re.findall(r'env(?:_bool|_list)?\(\s*"([A-Z_]+)"', REGLAGES)) | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', REGLAGES))
    exemple = {ligne.split("=", 1)[0] for ligne in (RACINE / ".env.example").read_text().splitlines()
               if ligne and not ligne.startswith("#")}
    assert exemple - {"POSTGRES_PASSWORD"} <= lues, exemple - lues
    assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= lues
