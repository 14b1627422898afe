"""Load test of the portal as production serves it: gunicorn (workers as in docker-compose.yml), DEBUG=0, driven by
locust (headless) on the loopback, against a throwaway database loaded with the reference data.

    .venv/bin/python bench/load/run.py                                   # SQLite file in a temporary directory
    source scripts/services_locaux.sh && .venv/bin/python bench/load/run.py   # test_<base> on DATABASE_URL's server,
                                                                              # cache Redis (REDIS_URL, base 15)
Options: --workers 3 --utilisateurs 8 --duree 20 --scenarios mixte,eligibilite,…  (see --help).

Scenarios: "mixte" runs every endpoint together (weights in locustfile.py), /healthz included as Django's floor;
each endpoint name runs that endpoint alone, to measure its own throughput. Prints, per scenario and endpoint,
requests/s, p50/p95/p99, failures and the ratio to /healthz; the raw output goes to bench/load/resultats_<base>.txt.
Nothing of the developer's data is touched: the SQLite file is created in a temporary directory, the PostgreSQL
database is test_<name> (dropped at the end), and Redis is used on database 15 (flushed before the run).
"""
import argparse
import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ICI = Path(__file__).resolve().parent
RACINE = ICI.parent.parent
sys.path.insert(0, str(RACINE))
VENV = RACINE / ".venv" / "bin"
ENDPOINTS = ["eligibilite", "eligibilite_inedite", "commune_api", "commune_page", "recherche", "classement", "healthz"]
REDIS_BASE_BENCH = os.environ.get("PAPS_BENCH_REDIS_BASE", "15")  # another base when several benches share a server


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def url_redis_bench(url: str) -> str:
    """Same server, database 15 (or PAPS_BENCH_REDIS_BASE): the bench's cached data never meets the developer's."""
    morceaux = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(morceaux._replace(path=f"/{REDIS_BASE_BENCH}"))


class BaseJetable:
    """SQLite file in a temporary directory, or test_<name> on DATABASE_URL's server; migrated and loaded."""

    def __init__(self, dossier: Path):
        self.dossier = dossier
        self.url_origine = os.environ.get("DATABASE_URL", "")
        if not self.url_origine:
            os.environ["DATABASE_URL"] = f"sqlite:///{dossier / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paps.settings")
        import django

        django.setup()
        from django.db import connection

        self.connection = connection
        self.nom_test = None
        self.url = os.environ["DATABASE_URL"]

    def creer(self, source: str | None):
        from django.core.management import call_command

        if self.url_origine:
            self.nom_test = self.connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
            morceaux = urllib.parse.urlsplit(self.url_origine)
            self.url = urllib.parse.urlunsplit(morceaux._replace(path=f"/{self.nom_test}"))
        else:
            call_command("migrate", verbosity=0)
        arguments = ["--source", source] if source else []
        call_command("charger_referentiels", *arguments, verbosity=0)
        from territoires.models import Commune

        codes = list(Commune.objects.order_by("?").values_list("code_insee", flat=True)[:300])
        self.vendor = self.connection.vendor
        self.connection.close()
        return codes

    def detruire(self):
        if self.nom_test:
            self.connection.creation.destroy_test_db(self.nom_test, verbosity=0)


def attendre(url: str, delai: float = 90):
    fin = time.monotonic() + delai
    while time.monotonic() < fin:
        try:
            with urllib.request.urlopen(url, timeout=5) as reponse:
                if reponse.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise SystemExit(f"Le portail ne répond pas sur {url}")


def lancer_locust(hote: str, scenario: str, args, communes: Path, dossier: Path, duree: float) -> tuple[list, str]:
    prefixe = dossier / f"locust_{scenario}"
    env = {**os.environ, "BENCH_SCENARIO": scenario, "BENCH_COMMUNES": str(communes)}
    commande = [str(VENV / "locust"), "-f", str(ICI / "locustfile.py"), "--headless", "-u", str(args.utilisateurs),
                "-r", str(args.utilisateurs), "-t", f"{int(duree)}s", "--host", hote, "--csv", str(prefixe),
                "--only-summary", "--stop-timeout", "5", "--loglevel", "WARNING"]
    sortie = subprocess.run(commande, env=env, capture_output=True, text=True, timeout=duree + 120)
    lignes = []
    with open(f"{prefixe}_stats.csv", encoding="utf-8") as fichier:
        for ligne in csv.DictReader(fichier):
            if ligne["Name"] != "Aggregated":
                lignes.append(ligne)
    return lignes, sortie.stdout + sortie.stderr


def tableau(scenario: str, lignes: list, duree_reelle: float | None = None) -> str:
    par_nom = {ligne["Name"]: ligne for ligne in lignes}
    plancher = par_nom.get("healthz")
    entete = (f"{'endpoint':<20}{'requêtes':>10}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'échecs':>8}"
              f"{'p50/healthz':>13}")
    sortie = [f"\n== Scénario {scenario} ==", entete]
    for nom in ENDPOINTS:
        ligne = par_nom.get(nom)
        if ligne is None:
            continue
        rapport = ""
        if plancher and float(plancher["50%"]) > 0:
            rapport = f"{float(ligne['50%']) / float(plancher['50%']):.1f}×"
        sortie.append(f"{nom:<20}{ligne['Request Count']:>10}{float(ligne['Requests/s']):>9.1f}{ligne['50%']:>8}"
                      f"{ligne['95%']:>8}{ligne['99%']:>8}{ligne['Failure Count']:>8}{rapport:>13}")
    return "\n".join(sortie)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "3")),
                        help="workers gunicorn (3, comme le service web de docker-compose.yml)")
    parser.add_argument("--utilisateurs", type=int, default=8, help="utilisateurs locust simultanés")
    parser.add_argument("--duree", type=float, default=20, help="secondes par scénario")
    parser.add_argument("--scenarios", default="mixte," + ",".join(ENDPOINTS),
                        help="mixte et/ou noms d'endpoints, séparés par des virgules")
    parser.add_argument("--echauffement", type=float, default=5, help="secondes de mixte non mesurées d'abord")
    parser.add_argument("--source", default=None, help="dossier des référentiels (défaut : celui du portail)")
    parser.add_argument("--sortie", default=None, help="fichier de résultats (défaut : resultats_<base>.txt)")
    args = parser.parse_args()
    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    for scenario in scenarios:
        if scenario != "mixte" and scenario not in ENDPOINTS:
            raise SystemExit(f"Scénario inconnu : {scenario} (mixte, {', '.join(ENDPOINTS)})")

    dossier = Path(tempfile.mkdtemp(prefix="paps-bench-load-"))
    base = BaseJetable(dossier)
    gunicorn = None
    journal = []

    def noter(texte: str = ""):
        print(texte, flush=True)
        journal.append(texte)

    try:
        debut = time.monotonic()
        codes = base.creer(args.source)
        communes = dossier / "communes.json"
        communes.write_text(json.dumps(codes))
        noter(f"Base {base.vendor} jetable chargée en {time.monotonic() - debut:.1f} s ({len(codes)} communes tirées)")

        port = port_libre()
        env = {**os.environ, "DATABASE_URL": base.url, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
               "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING",
               # A one-second window keeps the throttle's history as short as production's, with no limit reached.
               "API_THROTTLE_ANON": "1000000/second"}
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = url_redis_bench(os.environ["REDIS_URL"])
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
        cache = f"Redis (base {REDIS_BASE_BENCH})" if env.get("REDIS_URL") else "mémoire locale (par worker)"
        commande = [str(VENV / "gunicorn"), "paps.wsgi:application", "--bind", f"127.0.0.1:{port}",
                    "--workers", str(args.workers), "--log-level", "warning"]
        # With DEBUG=0 the pages need the static files' manifest: collected into the temporary directory.
        env.update(DJANGO_SETTINGS_MODULE="reglages_bench", BENCH_STATIC_ROOT=str(dossier / "static"),
                   PYTHONPATH=os.pathsep.join([str(ICI), str(RACINE)]))
        subprocess.run([str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=RACINE,
                       env=env, check=True)
        gunicorn = subprocess.Popen(commande, cwd=RACINE, env=env, start_new_session=True)
        hote = f"http://127.0.0.1:{port}"
        attendre(f"{hote}/healthz")
        noter(f"gunicorn {args.workers} workers, DEBUG=0, cache {cache} ; locust {args.utilisateurs} utilisateurs "
              f"sans pause, {args.duree:.0f} s par scénario ; machine {os.cpu_count()} cœurs (client et serveur), "
              f"charge moyenne avant la mesure {os.getloadavg()[0]:.1f}")
        if args.echauffement:
            lancer_locust(hote, "mixte", args, communes, dossier, args.echauffement)
        for scenario in scenarios:
            lignes, brut = lancer_locust(hote, scenario, args, communes, dossier, args.duree)
            journal.append(brut)
            noter(tableau(scenario, lignes) + f"\n(charge moyenne de la machine : {os.getloadavg()[0]:.1f})")
        if len(scenarios) > 1:
            noter("\n(Dans les scénarios isolés, la colonne req/s est le débit maximal de l'endpoint seul ; "
                  "p50/healthz se lit dans le scénario mixte.)")
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        base.detruire()
        shutil.rmtree(dossier, ignore_errors=True)
    sortie = Path(args.sortie) if args.sortie else ICI / f"resultats_{base.vendor}.txt"
    sortie.write_text("\n".join(journal) + "\n", encoding="utf-8")
    print(f"\nSortie brute : {sortie}")


if __name__ == "__main__":
    main()
