"""docker-compose.yml cannot be run here (no Docker engine): check that it is coherent with the project."""
import json
import re
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
import yaml
from django.core.management import get_commands

from tests.conftest import RACINE
from tests.resilience.serveurs import environnement, gunicorn

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


# --- The web service's health check, as Docker runs it --------------------------------------------------------------

def commande_du_controle_de_sante(port: int) -> list[str]:
    """The web service's healthcheck test as docker compose runs it, pointed at `port` (the image serves on 8000)."""
    test = COMPOSE["services"]["web"]["healthcheck"]["test"]
    assert test[0] == "CMD"
    return [sys.executable if argument == "python" else argument.replace("8000", str(port)) for argument in test[1:]]


def controle_de_sante(base: str, env: dict) -> subprocess.CompletedProcess:
    port = int(base.rsplit(":", 1)[1])
    return subprocess.run(commande_du_controle_de_sante(port), cwd=RACINE, env={**env, "PORT": str(port)},
                          capture_output=True, text=True, timeout=60)


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "k-" + "7Hq2xZp9" * 8, "ALLOWED_HOSTS": "paps.example.org,.example.org"}


def test_le_controle_de_sante_passe_avec_les_reglages_de_production(tmp_path):
    """DEBUG=0, HTTPS redirect on (the default), ALLOWED_HOSTS without localhost: the container's own check still
    reaches /healthz (as the TLS proxy would: the site's host name, X-Forwarded-Proto)."""
    env = environnement(**PRODUCTION, DATABASE_URL=f"sqlite:///{tmp_path / 'sante.sqlite3'}")
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        resultat = controle_de_sante(base, env)
        assert resultat.returncode == 0, resultat.stdout + resultat.stderr
        journal = (tmp_path / "gunicorn.log").read_text(errors="replace")
        assert "Invalid HTTP_HOST" not in journal


def test_le_controle_de_sante_echoue_quand_la_base_ne_repond_pas(tmp_path):
    env = environnement(**PRODUCTION, DATABASE_URL="postgresql://paps:paps@127.0.0.1:1/absente")  # nothing on port 1
    with gunicorn(env, tmp_path / "gunicorn.log") as base:
        resultat = controle_de_sante(base, env)
        assert resultat.returncode != 0
        assert "503" in resultat.stdout + resultat.stderr
        # A session cookie (a logged-in agent) cannot be read either: still the bare answer, not an error page.
        requete = urllib.request.Request(base + "/healthz", headers={
            "Host": "paps.example.org", "X-Forwarded-Proto": "https", "Cookie": "sessionid=" + "a" * 32})
        with pytest.raises(urllib.error.HTTPError) as erreur:
            urllib.request.urlopen(requete, timeout=30)
        assert erreur.value.code == 503 and json.loads(erreur.value.read()) == {"statut": "erreur"}
