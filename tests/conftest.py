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


ARGUMENTS_CHROMIUM = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                      "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def navigateur():
    """Debian's Chromium driven by Playwright (its own browser download does not work here)."""
    # Playwright's sync API runs an event loop; Django's ORM in the live server thread is unaffected.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGUMENTS_CHROMIUM)
        yield navigateur
        navigateur.close()


@pytest.fixture
def page(navigateur):
    """A French page with tiles blocked (as on this machine), recording console errors and requested URLs."""
    contexte = navigateur.new_context(locale="fr-FR", viewport={"width": 1280, "height": 1000})
    page = contexte.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.erreurs_console = []
    page.on("console", lambda m: m.type == "error" and "tile.openstreetmap.org" not in (m.location or {}).get("url", "")
            and page.erreurs_console.append(m.text))
    page.on("pageerror", lambda exc: page.erreurs_console.append(str(exc)))
    page.requetes = []
    page.on("request", lambda r: page.requetes.append(r.url))
    yield page
    contexte.close()


def pytest_collection_modifyitems(config, items):
    """Browser tests run in CI (PAPS_EXIGER_NAVIGATEUR=1) and wherever Chromium is installed; elsewhere they
    are skipped with the reason, never silently."""
    if os.environ.get("PAPS_EXIGER_NAVIGATEUR") == "1" or Path("/usr/bin/chromium").exists():
        return
    raison = pytest.mark.skip(reason="Chromium absent (/usr/bin/chromium) : apt-get install chromium")
    for item in items:
        if "navigateur" in item.keywords:
            item.add_marker(raison)
