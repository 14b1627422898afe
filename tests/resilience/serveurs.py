"""Real server processes for the tests: gunicorn on a free loopback port, in its own process group, killed at the end;
every wait has a time limit."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

RACINE = Path(__file__).resolve().parents[2]
EN_CI = os.environ.get("PAPS_EXIGER_NAVIGATEUR") == "1"


def exiger(condition, raison: str):
    """Skips the test with `raison` when a service or binary is missing, except in CI where it must run."""
    if not condition:
        if EN_CI:
            pytest.fail(f"{raison} (obligatoire en CI)")
        pytest.skip(raison)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def attendre(condition, delai: float, message: str, pas: float = 0.1):
    """Polls `condition` until it returns something true, for at most `delai` seconds."""
    limite = time.monotonic() + delai
    while time.monotonic() < limite:
        resultat = condition()
        if resultat:
            return resultat
        time.sleep(pas)
    raise AssertionError(f"délai dépassé ({delai} s) : {message}")


def tuer_groupe(processus: subprocess.Popen | None):
    if processus is None or processus.poll() is not None:
        return
    try:
        os.killpg(processus.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    processus.wait(timeout=10)


def environnement(**variables) -> dict:
    """This process's environment without the settings a test chooses, plus `variables` (None removes one)."""
    env = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT", "PROXY_COUNT",
        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"PYTHONPATH": str(RACINE), "LOG_FORMAT": "texte"})
    env.update({k: v for k, v in variables.items() if v is not None})
    return env


@contextmanager
def gunicorn(env: dict, journal: Path, workers: int = 1, acces: Path | None = None):
    """Serves the portal (paps.wsgi) with `workers` processes; yields the base URL once the port accepts
    connections and, with several workers, once every worker has booted (their "Booting worker" lines). With
    `acces`, each request is logged there as "<pid of the worker> <status> <path>" (see JournalAcces)."""
    port = port_libre()
    sortie = open(journal, "wb")
    serveur = None
    options = ["--access-logfile", str(acces), "--access-logformat", "%(p)s %(s)s %(U)s"] if acces else []
    try:
        serveur = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "paps.wsgi:application", "-b", f"127.0.0.1:{port}", "-w",
             str(workers), "--threads", "1", "--timeout", "60", *options],
            cwd=RACINE, env=env, stdout=sortie, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)

        def pret():
            assert serveur.poll() is None, journal.read_text(errors="replace")[-3000:]
            if journal.read_text(errors="replace").count("Booting worker") < workers:
                return False
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return True
            except OSError:
                return False
        attendre(pret, 60, "gunicorn ne démarre pas", pas=0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        tuer_groupe(serveur)
        sortie.close()


class JournalAcces:
    """gunicorn's access log written by gunicorn(acces=…): which worker (pid) served each request. A worker writes
    its line just after sending the response, so readers wait for the lines they expect."""

    def __init__(self, chemin: Path):
        self.chemin = chemin

    def lignes(self) -> list[str]:
        return self.chemin.read_text().splitlines() if self.chemin.exists() else []

    def workers(self, depuis: int, nombre: int) -> set[str]:
        """The pids that served requests depuis+1 … depuis+nombre, once their lines are written."""
        attendre(lambda: len(self.lignes()) >= depuis + nombre, 30, f"{nombre} lignes dans le journal d'accès")
        return {ligne.split()[0] for ligne in self.lignes()[depuis:depuis + nombre]}


def jusqu_a_chaque_worker(journal: JournalAcces, requete, workers: int = 2, minimum: int = 5,
                          delai: float = 60) -> list:
    """Sends `requete()` again and again, at least `minimum` times, until each of the `workers` has served at least
    one of them (the kernel hands each connection to one worker: which one is not ours to choose); returns their
    results."""
    depuis, resultats = len(journal.lignes()), []
    limite = time.monotonic() + delai
    while time.monotonic() < limite:
        resultats.append(requete())
        if (len(resultats) >= minimum and len(resultats) % 5 == 0
                and len(journal.workers(depuis, len(resultats))) == workers):
            return resultats
    raise AssertionError(f"{len(resultats)} requêtes en {delai} s sans que chacun des {workers} workers en serve une")


def exiger_redis():
    exiger(shutil.which("redis-server"), "redis-server absent : apt-get install redis-server")


class RedisJetable:
    """A redis-server of the test's own, on a free loopback port; can be stopped and started again."""

    def __init__(self, dossier: Path):
        self.dossier, self.port, self.processus = dossier, port_libre(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_connect_timeout=1, socket_timeout=2)

    def demarrer(self):
        self.processus = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dossier)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

        def repond():
            try:
                return self.client().ping()
            except redis.RedisError:
                return False
        attendre(repond, 10, "redis-server ne répond pas")

    def arreter(self):
        tuer_groupe(self.processus)
        self.processus = None

    @contextmanager
    def comme_cache(self):
        """Started, and the default cache (production's with REDIS_URL, quotas counted in it) for the duration."""
        from django.test import override_settings

        exiger_redis()
        self.demarrer()
        try:
            with override_settings(CACHES={"default": {"BACKEND": "noyau.cache.CacheRedisTolerante",
                                                       "LOCATION": self.url, "KEY_PREFIX": "paps-test"}},
                                   PAPS_QUOTAS="cache"):
                yield self
        finally:
            self.arreter()
