import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from zonages.referentiels.chargement import charger_territoires

RACINE = Path(__file__).resolve().parent.parent
FIXTURE_REFERENTIELS = RACINE / "fixtures" / "referentiels"


def dossier_donnees_partagees() -> Path | None:
    """../shared/data (real files, read in place), when this checkout has it beside it."""
    dossier = Path(settings.PAPS_DATA_DIR)
    return dossier if (dossier / "manifest.yaml").exists() else None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test sees the 4,446 real communes of Occitanie (the project's fixture, without outlines)."""
    with django_db_blocker.unblock():
        charger_territoires(FIXTURE_REFERENTIELS)


@pytest.fixture(autouse=True)
def cache_vide():
    """Each test starts with an empty cache (and fresh API throttling counters)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def donnees_partagees() -> Path:
    dossier = dossier_donnees_partagees()
    if dossier is None:
        pytest.skip("../shared/data absent : ces tests lisent les fichiers de référence réels")
    return dossier


@pytest.fixture
def copie_fixture(tmp_path) -> Path:
    """A writable copy of the fixture directory, for tests that alter or break a file."""
    cible = tmp_path / "referentiels"
    cible.mkdir()
    for fichier in FIXTURE_REFERENTIELS.glob("*.json"):
        (cible / fichier.name).write_bytes(fichier.read_bytes())
    return cible


def pytest_collection_modifyitems(config, items):
    """Browser tests run in CI (PAPS_EXIGER_NAVIGATEUR=1) and wherever Chromium is installed; elsewhere they
    are skipped with the reason, never silently."""
    if os.environ.get("PAPS_EXIGER_NAVIGATEUR") == "1" or Path("/usr/bin/chromium").exists():
        return
    raison = pytest.mark.skip(reason="Chromium absent (/usr/bin/chromium) : apt-get install chromium")
    for item in items:
        if "navigateur" in item.keywords:
            item.add_marker(raison)
