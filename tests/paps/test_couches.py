"""The layers go one way: each app imports only the apps below it (README, « Organisation du code »).

Read from the code (every import statement of every module, migrations aside), so that a new import across the
layers fails here rather than in a review. A new app must be given its place in COUCHES."""
import ast
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]

# What each app may import among ours. `portail` alone combines the domain apps; `paps` (settings, URL root,
# Celery, WSGI) names them by configuration only.
NOYAU = {"noyau"}
COUCHES = {
    "noyau": set(),
    "territoires": NOYAU,
    "indicateurs": NOYAU | {"territoires"},
    "zonages": NOYAU | {"territoires"},
    "structures": NOYAU | {"territoires"},
    "aides": NOYAU | {"territoires", "zonages"},
    "cpts": NOYAU | {"territoires", "zonages", "aides"},
    "alertes": NOYAU | {"territoires", "zonages", "aides"},
    "portail": NOYAU | {"territoires", "indicateurs", "zonages", "structures", "aides", "cpts"},
}
CONFIGURATION = "paps"
HORS_APPLICATIONS = {"tests", "bench", "scripts", "node_modules", "staticfiles", "static", "templates", "fixtures",
                     "donnees", "docs"}


def applications() -> set[str]:
    return {p.name for p in RACINE.iterdir()
            if (p / "__init__.py").exists() and p.name not in HORS_APPLICATIONS and not p.name.startswith(".")}


def importes(module: Path, nos_apps: set[str]) -> set[str]:
    """Our apps that `module` imports (absolute imports; relative ones stay inside the app)."""
    arbre = ast.parse(module.read_text(encoding="utf-8"))
    noms = set()
    for noeud in ast.walk(arbre):
        if isinstance(noeud, ast.Import):
            noms.update(alias.name for alias in noeud.names)
        elif isinstance(noeud, ast.ImportFrom) and noeud.module and noeud.level == 0:
            noms.add(noeud.module)
    return {nom.split(".")[0] for nom in noms} & nos_apps


def test_chaque_application_a_sa_couche():
    assert applications() - {CONFIGURATION} == set(COUCHES), "donnez sa couche à chaque application (COUCHES)"


def test_les_imports_ne_descendent_que_vers_les_couches_inferieures():
    nos_apps = applications()
    interdits = []
    for app, permis in COUCHES.items():
        for module in sorted((RACINE / app).rglob("*.py")):
            if "migrations" in module.relative_to(RACINE).parts:
                continue
            for cible in importes(module, nos_apps) - permis - {app}:
                interdits.append(f"{module.relative_to(RACINE)} importe {cible}")
    assert not interdits, "imports contraires aux couches :\n" + "\n".join(interdits)


def test_la_configuration_ne_contient_pas_de_code_du_domaine():
    """paps/ holds settings, the URL root, Celery and WSGI/ASGI only."""
    modules = {p.relative_to(RACINE / CONFIGURATION).as_posix() for p in (RACINE / CONFIGURATION).rglob("*.py")}
    assert modules <= {"__init__.py", "settings.py", "urls.py", "celery.py", "wsgi.py", "asgi.py"}, modules
