"""Settings come from the environment, with safe development defaults."""
import json
import os
import subprocess
import sys

from tests.conftest import RACINE

SONDE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "moteur": settings.DATABASES["default"]["ENGINE"],
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "debug": settings.DEBUG,
    "hosts": settings.ALLOWED_HOSTS,
    "hsts": getattr(settings, "SECURE_HSTS_SECONDS", 0),
    "statiques": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def reglages(**env):
    propre = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY",
                                                               "ALLOWED_HOSTS"}}
    resultat = subprocess.run([sys.executable, "-c", SONDE], cwd=RACINE, capture_output=True, text=True,
                              env={**propre, "DJANGO_SETTINGS_MODULE": "paps.settings", **env})
    return resultat


def test_defauts_de_developpement():
    r = json.loads(reglages().stdout)
    assert r["moteur"] == "django.db.backends.sqlite3"
    assert r["health_checks"] is True
    assert r["cache"].endswith("LocMemCache")
    assert r["eager"] is True and r["broker"] == "memory://"
    assert r["debug"] is True


def test_production_postgresql_et_redis():
    r = json.loads(reglages(DATABASE_URL="postgresql://u:p@db:5432/paps", REDIS_URL="redis://redis:6379/0",
                            DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="paps.example.org").stdout)
    assert r["moteur"] == "django.db.backends.postgresql"
    assert r["cache"] == "noyau.cache.CacheRedisTolerante"
    assert r["eager"] is False and r["broker"] == "redis://redis:6379/0"
    assert r["debug"] is False and r["hosts"] == ["paps.example.org"]
    assert r["hsts"] > 0
    assert r["statiques"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_production_sans_cle_secrete_refusee():
    resultat = reglages(DEBUG="0")
    assert resultat.returncode != 0
    assert "SECRET_KEY doit être défini" in resultat.stderr


def test_check_deploy_sans_avertissement_en_production():
    """`manage.py check --deploy` with the production environment of .env.example (TLS on) reports nothing."""
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "k-" + "7Hq2xZp9" * 8, "ALLOWED_HOSTS": "paps.example.org",
           "DATABASE_URL": "postgresql://u:p@db:5432/paps", "REDIS_URL": "redis://redis:6379/0"}
    for variable in ("SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # the latter is set by the browser tests
        env.pop(variable, None)
    resultat = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                              cwd=RACINE, capture_output=True, text=True, env=env)
    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "no issues" in resultat.stdout


def test_journaux_json_en_production():
    resultat = subprocess.run(
        [sys.executable, "-c", "import django, logging; django.setup(); logging.getLogger('paps').warning('essai')"],
        cwd=RACINE, capture_output=True, text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "paps.settings", "DEBUG": "0", "SECRET_KEY": "x" * 50})
    ligne = json.loads(resultat.stderr.strip().splitlines()[-1])
    assert ligne["niveau"] == "WARNING" and ligne["journal"] == "paps" and ligne["message"] == "essai"
