import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from noyau import cache_generations
from territoires.referentiels.chargement import charger_territoires

RACINE = Path(__file__).resolve().parent.parent
FIXTURE_REFERENTIELS = RACINE / "fixtures" / "referentiels"
# The real reference data the project ships (donnees/manifest.yaml): tests read this copy, so nothing is skipped.
DONNEES_REELLES = RACINE / "donnees"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every database test sees the 4,446 real communes of Occitanie (the project's fixture, without outlines)."""
    with django_db_blocker.unblock():
        charger_territoires(FIXTURE_REFERENTIELS)


# The API quotas are counted in the cache during the tests, as with Redis, so that a request's query count is the
# application's own (also while a test module loads the API schema). Counting them in the database, as without Redis,
# is tested on its own: tests/noyau/test_quotas.py, tests/resilience/test_multi_processus.py.
settings.PAPS_QUOTAS = "cache"


def exiger_postgresql(raison: str):
    """Skips a test that needs PostgreSQL (two connections or processes at once), with `raison`; in CI
    (PAPS_EXIGER_NAVIGATEUR=1, PostgreSQL there) it fails instead."""
    from django.db import connection

    if connection.vendor != "postgresql":
        message = f"PostgreSQL requis (DATABASE_URL) : {raison}"
        if os.environ.get("PAPS_EXIGER_NAVIGATEUR") == "1":
            pytest.fail(message + " (obligatoire en CI)")
        pytest.skip(message)


@pytest.fixture(autouse=True)
def cache_vide():
    """Each test starts with an empty cache (and fresh API throttling counters), the process's memos too: a test
    that counts what a request computes is not answered from another test's."""
    cache.clear()
    cache_generations.vider_memo()
    yield
    cache.clear()


@pytest.fixture
def donnees_reelles() -> Path:
    """The project's copy of the real reference files (never skipped: it ships with the project)."""
    return DONNEES_REELLES


@pytest.fixture(scope="module")
def region_reelle(django_db_setup, django_db_blocker):
    """The real territories (their points), the zonages and QPV the project ships and the rules, loaded once for the
    module inside a transaction rolled back at its end: the other modules find the session database as it was."""
    from aides.catalogue import charger_regles
    from zonages.manifeste import charger_zonages_du_manifeste

    with django_db_blocker.unblock():
        bloc = transaction.atomic()
        bloc.__enter__()
        charger_territoires(DONNEES_REELLES)
        charger_zonages_du_manifeste(DONNEES_REELLES)
        charger_regles()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        bloc.__exit__(None, None, None)


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


# Reports every Content-Security-Policy violation to the test. Init scripts are run by Playwright through the DevTools
# protocol, which the page's CSP does not govern; the binding is a DevTools binding, not a network request.
SIGNALER_VIOLATIONS_CSP = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violationCsp(`CSP : ${e.effectiveDirective} a bloqué ${e.blockedURI || "(inline)"}`
    + ` (${e.sourceFile || document.location.href}:${e.lineNumber}:${e.columnNumber})`
    + (e.sample ? ` « ${e.sample} »` : ""));
}, true);
"""


@pytest.fixture
def page(navigateur):
    """A French page with tiles blocked (as on this machine), recording console errors, Content-Security-Policy
    violations (both in page.erreurs_console, so every test asserting it is empty also checks the CSP) and
    requested URLs."""
    contexte = navigateur.new_context(locale="fr-FR", viewport={"width": 1280, "height": 1000})
    page = contexte.new_page()
    page.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
    page.erreurs_console = []
    page.violations_csp = []

    def violation_csp(source, texte):
        page.violations_csp.append(texte)
        page.erreurs_console.append(texte)

    contexte.expose_binding("__violationCsp", violation_csp)
    contexte.add_init_script(SIGNALER_VIOLATIONS_CSP)

    def console(message):
        # Chromium also logs each violation ("… violates the following Content Security Policy directive …"),
        # as an error or, for report-only policies, a warning: kept whatever its level.
        if "Content Security Policy" in message.text or message.type == "error" and "tile.openstreetmap.org" not in (message.location or {}).get("url", ""):
            page.erreurs_console.append(message.text)

    page.on("console", console)
    page.on("pageerror", lambda exc: page.erreurs_console.append(str(exc)))
    page.requetes = []
    page.on("request", lambda r: page.requetes.append(r.url))
    yield page
    contexte.close()


# --- Accessibility: axe-core (npm, package-lock.json) run in the page ------------------------------------------------

AXE = RACINE / "node_modules" / "axe-core" / "axe.min.js"
NORMES_WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def verifier_accessibilite(page, contexte: str = "", regles_exclues: dict[str, str] | None = None) -> None:
    """Runs axe-core on the page as it is now (WCAG 2.0/2.1 A and AA, 2.2 AA) and fails listing every violation:
    rule id, impact, help, and the CSS target of each node involved.

    axe is injected with page.evaluate, i.e. through the DevTools protocol: the page's Content-Security-Policy
    (script-src 'self') does not apply to it, where an inline <script> (page.add_script_tag) would be refused.
    `regles_exclues`: {rule id: why} for findings that cannot be fixed here (in Django's own templates); each
    exclusion must say why."""
    if not AXE.exists():
        raison = "axe-core absent (node_modules/axe-core) : lancer « npm ci » (ou « make test »)"
        if os.environ.get("PAPS_EXIGER_NAVIGATEUR") == "1":
            pytest.fail(raison)
        pytest.skip(raison)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    # preload: false — axe would otherwise re-parse the page's stylesheets (for css-orientation-lock only) by
    # inserting <style> elements, which the CSP refuses: violations caused by the tool, not by the site.
    options = {"runOnly": {"type": "tag", "values": NORMES_WCAG}, "resultTypes": ["violations"], "preload": False,
               "rules": {regle: {"enabled": False} for regle in regles_exclues or {}}}
    violations = page.evaluate("(options) => axe.run(document, options).then(r => r.violations.map(v => ({"
                               "id: v.id, impact: v.impact, aide: v.help, noeuds: v.nodes.map(n => ({"
                               "cible: n.target.join(' '), resume: n.failureSummary}))})))", options)
    if violations:
        lignes = [f"{len(violations)} violation(s) d'accessibilité (axe-core) — {contexte or page.url} :"]
        for v in violations:
            lignes.append(f"- {v['id']} [{v['impact']}] {v['aide']}")
            for noeud in v["noeuds"][:10]:
                lignes.append(f"    {noeud['cible']} : {(noeud['resume'] or '').splitlines()[-1].strip()}")
            if len(v["noeuds"]) > 10:
                lignes.append(f"    … et {len(v['noeuds']) - 10} autre(s)")
        pytest.fail("\n".join(lignes), pytrace=False)


@pytest.fixture
def accessibilite():
    """The accessibility check as a fixture: accessibilite(page, "contexte")."""
    return verifier_accessibilite


@pytest.fixture
def communes_et_aides():
    """For the simulator journeys: the fixture's territories, the aids' rules and a test-only ZIP version on
    Béziers (not the real zonage)."""
    from aides.catalogue import charger_regles
    from tests.factories import version
    from zonages.publication import publier

    charger_territoires(FIXTURE_REFERENTIELS)
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032",)))


def groupe_cree_par_migration(nom: str, migration: tuple[str, str]):
    """The group `nom` created by a data migration, created again if needed: a transactional test (as every
    browser test is) empties the tables when it ends, groups included. `migration`: (app, migration name); its
    forward function is run on the models as they were at that migration, as migrate would."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    if not Group.objects.filter(name=nom).exists():
        etat = MigrationLoader(connection).project_state(migration)
        for operation in MigrationLoader(connection).get_migration(*migration).operations:
            if hasattr(operation, "code"):
                operation.code(etat.apps, None)
    return Group.objects.get(name=nom)


# --- Logging in from the browser ---------------------------------------------------------------------------------

def se_connecter(page, url_base: str, identifiant: str, mot_de_passe: str) -> None:
    """Logs in through the admin login form (so through django-axes' backend, as a person would)."""
    page.goto(url_base + "/admin/login/?next=/admin/")
    page.locator("#id_username").fill(identifiant)
    page.locator("#id_password").fill(mot_de_passe)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url(url_base + "/admin/")


def ouvrir_session(page, live_server, utilisateur) -> None:
    """Gives the page's browser context a logged-in session for `utilisateur` without the login form (no password,
    no django-axes): for tests whose subject is not the login."""
    from urllib.parse import urlparse

    from django.test import Client

    client = Client()
    client.force_login(utilisateur, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "domain": urlparse(live_server.url).hostname,
                               "path": "/", "httpOnly": True, "sameSite": "Lax"}])


def pytest_collection_modifyitems(config, items):
    """Browser tests run in CI (PAPS_EXIGER_NAVIGATEUR=1) and wherever Chromium is installed; elsewhere they
    are skipped with the reason, never silently."""
    if os.environ.get("PAPS_EXIGER_NAVIGATEUR") == "1" or Path("/usr/bin/chromium").exists():
        return
    raison = pytest.mark.skip(reason="Chromium absent (/usr/bin/chromium) : apt-get install chromium")
    for item in items:
        if "navigateur" in item.keywords:
            item.add_marker(raison)
