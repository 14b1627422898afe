"""A database created by the release before the layers were separated (territories in zonages, the délégation
perimeter in paps) migrates forward with its data, links and rights intact: on SQLite, and on PostgreSQL when
DATABASE_URL names one (as in CI). Each step runs in its own process, as an upgrade does."""
import json
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from urllib.parse import urlparse, urlunparse

from tests.conftest import RACINE

MODULE = "tests.territoires.version_precedente.migrer"


@contextmanager
def base_jetable(tmp_path):
    """The URL of an empty database of the same engine as the tests' own, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'version_precedente.sqlite3'}"
        return
    import psycopg

    nom = f"paps_migration_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as connexion:
        connexion.execute(f'CREATE DATABASE "{nom}"')
    try:
        yield urlunparse(urlparse(url)._replace(path=f"/{nom}"))
    finally:
        with psycopg.connect(url, autocommit=True) as connexion:
            connexion.execute(f'DROP DATABASE IF EXISTS "{nom}" WITH (FORCE)')


def etape(url: str, reglages: str, *arguments: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": reglages}
    resultat = subprocess.run([sys.executable, "-m", MODULE, *arguments], cwd=RACINE, env=env, capture_output=True,
                              text=True, timeout=600)
    assert resultat.returncode == 0, resultat.stderr[-3000:]
    return resultat.stdout.strip().splitlines()[-1]


def test_une_base_de_la_version_precedente_migre_avec_ses_donnees(tmp_path):
    with base_jetable(tmp_path) as url:
        cles = etape(url, "tests.territoires.version_precedente.reglages", "precedente")
        resultat = json.loads(etape(url, "paps.settings", "actuelle", cles))
    assert resultat["migrations_restantes"] == []
    donnees = resultat["donnees"]
    assert donnees["commune"] == ["Commune fictive de test", "Département fictif de test", "Région fictive de test",
                                  "EPCI fictif de test", 1234]
    assert donnees["codes_postaux"] == ["00100"] and donnees["rattachee"] == "00001"
    # Every link from the other apps to the territories still holds.
    assert donnees["classement"] == [["Commune fictive de test", "ZIP"]]
    assert donnees["qpv"] == ["00001"]
    assert donnees["structure"] == ["Commune fictive de test", ["00001"]]
    assert donnees["cpts"] == [["00"], ["Commune fictive de test"]]
    assert donnees["contact"] == "Département fictif de test"
    assert donnees["perimetre"] == ["00"]
    # Rights follow the models to their new app: the groups' permissions were not lost on the way.
    assert "territoires.view_commune" in donnees["droits_agent"] and "structures.change_structure" in donnees["droits_agent"]
    assert donnees["droits_lecteur"] == ["territoires.view_commune"]
    assert donnees["types_de_contenu_restes"] == []
