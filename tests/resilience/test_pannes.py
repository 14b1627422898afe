"""Faults, with real services: Redis stopped, PostgreSQL restarted, an import interrupted midway, a worker killed.

- Redis: each test starts its own throwaway `redis-server` on a free loopback port, then stops it.
- PostgreSQL restart and worker killed: PostgreSQL only (skipped on SQLite, whose test database is in memory and so
  invisible to another process). A server (gunicorn) or a worker (`celery -A paps worker`) runs in a subprocess on
  the test database. These are `transaction=True` tests, so that what they write is committed and seen by the
  subprocess; like the browser tests, they load the communes themselves (the database is emptied after each).
- The restart uses PAPS_PG_CTL, PAPS_PG_DATA and PAPS_PG_LOG, exported by scripts/services_locaux.sh (as in CI).

In CI (PAPS_EXIGER_NAVIGATEUR=1, PostgreSQL and Redis) none of these tests may be skipped: a missing service fails.
Every subprocess runs in its own process group, killed in `finally`; every wait has a time limit.

The CSV files are written by the tests: the real INSEE codes of the region's communes, invented levels.
"""
import datetime
import os
import signal
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from html import unescape
from pathlib import Path

import pytest
import redis
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.test import override_settings
from django.urls import reverse

from paps.celery import app as celery_app
from territoires.models import Commune
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS
from tests.resilience.serveurs import (
    RACINE,
    RedisJetable,
    attendre,
    exiger,
    exiger_redis,
    port_libre,
    tuer_groupe,
)
from zonages import depot, tasks
from zonages.imports import execution
from zonages.imports.execution import DemandeImport
from zonages.models import Classement, ImportZonage, Zonage

NIVEAUX = ["ZIP", "ZAC", "ZAR", "HZ"]


def exiger_postgresql():
    exiger(connection.vendor == "postgresql",
           "PostgreSQL requis (DATABASE_URL) : la base de test SQLite est en mémoire, invisible d'un autre processus")


@pytest.fixture
def redis_jetable(tmp_path):
    exiger_redis()
    serveur = RedisJetable(tmp_path)
    serveur.demarrer()
    try:
        yield serveur
    finally:
        serveur.arreter()


@contextmanager
def celery_vers(url: str):
    """Points this process's Celery app at the broker `url` (tasks really sent, not run eagerly), then back.
    Kombu keeps one connection pool per broker URL: the app's own is set aside, not closed, and found again."""
    conf = celery_app.conf
    anciens = {"broker_url": conf.broker_url, "task_always_eager": conf.task_always_eager}

    def oublier_les_pools():
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    oublier_les_pools()
    conf.broker_url, conf.task_always_eager = url, False
    try:
        yield
    finally:
        if celery_app._pool is not None:  # the throwaway broker's connections
            try:
                celery_app._pool.force_close_all()
            except Exception:
                pass
        oublier_les_pools()
        conf.broker_url, conf.task_always_eager = anciens["broker_url"], anciens["task_always_eager"]


@pytest.fixture
def celery_immediat(settings, monkeypatch, tmp_path):
    """Tasks run in the test's process (as without REDIS_URL), also in CI where REDIS_URL is set."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


def csv_de_toute_la_region() -> str:
    """A médecins zonage of all the region's communes (4,446 rows: five write batches of 1,000)."""
    codes = Commune.objects.order_by("code_insee").values_list("code_insee", flat=True)
    return "code_insee;niveau\n" + "".join(f"{code};{NIVEAUX[i % 4]}\n" for i, code in enumerate(codes))


def formulaire_import(contenu: str, **champs) -> dict:
    return {"type": "medecin", "valid_from": "2026-01-01", "reference": "Arrêté de test (fichier de test)",
            "note_source": "Fichier de test", "format": "", **champs,
            "fichier": SimpleUploadedFile("donnees_de_test_pannes.csv", contenu.encode("utf-8"), content_type="text/csv")}


def zonage_publie() -> Zonage:
    zonage = Zonage.objects.create(type="medecin", reference="Version publiée de test", statut=Zonage.Statut.PUBLIE,
                                   valid_from=datetime.date(2022, 5, 7))
    Classement.objects.bulk_create([Classement(zonage=zonage, commune_id=c, niveau=n)
                                    for c, n in {"34172": "ZAC", "34032": "ZIP", "31555": "ZAR"}.items()])
    return zonage


def texte(reponse) -> str:
    return unescape(reponse.content.decode())


def etat_ecrit() -> tuple:
    """What an import writes: versions, classements and their history."""
    return (Zonage.objects.count(), Classement.objects.count(), Zonage.history.count(), Classement.history.count())


# --- Redis stopped --------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_redis_arrete_pages_et_api_repondent_et_l_import_dit_qu_il_n_a_pas_pu_demarrer(
        client, admin_client, redis_jetable, tmp_path, django_capture_on_commit_callbacks):
    zonage = zonage_publie()
    urls = ["/", "/communes/34172/", "/zonages/classement.json?type=medecin", "/zonages/communes/34172.json",
            "/tableau-de-bord/", "/tableau-de-bord/34/", "/api/v1/communes/?q=montpellier", "/api/v1/communes/34172/",
            "/api/v1/communes/34172/zonages/", "/api/v1/eligibilite/?commune=34172&profession=medecin-generaliste",
            "/api/v1/zonages/?type=medecin", f"/api/v1/zonages/{zonage.pk}/", "/healthz"]
    cache_redis = {"default": {"BACKEND": "noyau.cache.CacheRedisTolerante", "LOCATION": redis_jetable.url,
                               "KEY_PREFIX": "paps", "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
    # Celery reads its configuration once, from the settings: celery_vers() first, outside override_settings.
    with celery_vers(redis_jetable.url), \
            override_settings(CACHES=cache_redis, REDIS_URL=redis_jetable.url, MEDIA_ROOT=tmp_path / "media"):
        # Redis up: the pages fill the real Redis cache.
        for url in urls:
            assert client.get(url).status_code == 200, url
        assert redis_jetable.client().dbsize() > 0
        assert admin_client.get("/healthz").json()["cache"]["etat"] == "ok"

        redis_jetable.arreter()
        with pytest.raises(redis.ConnectionError):
            redis_jetable.client().ping()

        # Redis stopped: every page and API answers (twice: no half-broken state after the first failure), fast.
        debut = time.monotonic()
        for _ in range(2):
            for url in urls:
                reponse = client.get(url)
                assert reponse.status_code == 200, (url, reponse.content[:300])
        assert time.monotonic() - debut < 60
        assert client.get("/api/v1/communes/34172/").json()["nom"] == "Montpellier"
        assert client.get(f"/api/v1/zonages/{zonage.pk}/").json()["classement"]["count"] == 3
        sante = admin_client.get("/healthz").json()  # the detail is for the staff
        assert sante["base_de_donnees"]["etat"] == "ok"
        assert sante["cache"]["etat"] == "erreur" and sante["broker"]["etat"] == "erreur"
        assert cache.get("absente", "défaut") == "défaut" and cache.get_or_set("calculee", lambda: 42) == 42

        # Queuing an import: recorded "échoué", saying it could not start; never a 500.
        avant = etat_ecrit()
        with django_capture_on_commit_callbacks(execute=True):
            reponse = admin_client.post(reverse("admin:zonages_importzonage_add"),
                                        formulaire_import("code_insee;niveau\n34172;ZIP\n"))
        assert reponse.status_code == 302
        echoue = ImportZonage.objects.get()
        assert echoue.statut == ImportZonage.Statut.ECHOUE
        message = echoue.rapport["erreurs"][0]["message"]
        assert message == depot.MESSAGE_BROKER_INDISPONIBLE and "n'a pas pu démarrer" in message
        assert etat_ecrit() == avant
        suivi = admin_client.get(reponse["Location"])
        assert suivi.status_code == 200
        assert "indisponible" in texte(suivi) and "Relancer l'import" in texte(suivi)
        etat = admin_client.get(reverse("admin:zonages_importzonage_etat", args=[echoue.pk]))
        assert etat.status_code == 200 and etat.json()["statut"] == "echoue"

        # Redis back: the cache works again by itself, and the failed import can be relaunched (queued).
        redis_jetable.demarrer()

        def cache_revenu():
            cache.set("retour", "ok")
            return cache.get("retour") == "ok"
        attendre(cache_revenu, 15, "le cache ne revient pas avec Redis", pas=0.5)  # after a pause of 5 s at most
        with django_capture_on_commit_callbacks(execute=True):
            reponse = admin_client.post(reverse("admin:zonages_importzonage_relancer", args=[echoue.pk]))
        relance = ImportZonage.objects.exclude(pk=echoue.pk).get()
        assert reponse["Location"] == reverse("admin:zonages_importzonage_suivi", args=[relance.pk])
        assert relance.statut == ImportZonage.Statut.EN_ATTENTE  # in the queue, for a worker
        assert redis_jetable.client().llen("celery") == 1


def test_cache_redis_tolerant_sans_serveur(tmp_path):
    """Each operation of the cache answers as a cache without the key would, when Redis does not answer; Redis is
    then left alone for a pause, after which the cache comes back by itself."""
    exiger_redis()
    from noyau.cache import CacheRedisTolerante

    serveur = RedisJetable(tmp_path)
    serveur.demarrer()
    try:
        tolerant = CacheRedisTolerante(serveur.url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1,
                                                                 "pause_apres_echec": 1}})
        tolerant.set("a", 1)
        assert tolerant.get("a") == 1
        serveur.arreter()
        assert tolerant.get("a") is None and tolerant.get("a", "défaut") == "défaut"
        assert tolerant.get("a", default=0) == 0
        assert tolerant.set("a", 2) is None and tolerant.add("a", 2) is False
        assert tolerant.get_many(["a", "b"]) == {} and tolerant.set_many({"a": 1}) == []
        tolerant.get_many(["a"])["a"] = 1  # a caller filling the dict it got
        assert tolerant.get_many(["a"]) == {}
        assert tolerant.has_key("a") is False and tolerant.touch("a") is False and tolerant.delete("a") is False
        assert tolerant.delete_many(["a"]) is None and tolerant.clear() is None
        assert tolerant.get_or_set("b", lambda: 3) == 3
        serveur.demarrer()  # same port
        serveur.client().set(":1:a", b"x")  # (not a pickled value: reading it would fail)
        assert tolerant.get("a") is None  # still in the pause: Redis not asked
        time.sleep(1.1)
        tolerant.set("a", 4)  # after the pause, the client reconnects by itself
        assert tolerant.get("a") == 4
    finally:
        serveur.arreter()


# --- Import interrupted midway, relaunch, interrupted imports swept -------------------------------------------------

@pytest.mark.django_db
def test_import_interrompu_pendant_l_ecriture_rien_d_ecrit_puis_relance(
        admin_client, client, celery_immediat, monkeypatch, django_capture_on_commit_callbacks):
    zonage_publie()
    avant = etat_ecrit()
    original = execution.bulk_create_with_history
    vu_en_cours_d_ecriture = []

    def panne_apres_le_premier_lot(objets, modele, **options):
        original(objets[:1000], modele, **options)  # the first batch (and its history) is really written
        vu_en_cours_d_ecriture.append(Classement.objects.count())
        raise RuntimeError("panne simulée après le premier lot")

    with monkeypatch.context() as patch:
        patch.setattr(execution, "bulk_create_with_history", panne_apres_le_premier_lot)
        with django_capture_on_commit_callbacks(execute=True):
            reponse = admin_client.post(reverse("admin:zonages_importzonage_add"),
                                        formulaire_import(csv_de_toute_la_region()))
    assert reponse.status_code == 302
    assert vu_en_cours_d_ecriture == [avant[1] + 1000], ImportZonage.objects.get().rapport  # the failure came midway through the writing
    echoue = ImportZonage.objects.get()
    assert echoue.statut == ImportZonage.Statut.ECHOUE and echoue.termine_le is not None
    assert echoue.rapport["erreurs"][0]["message"] == "erreur technique : panne simulée après le premier lot"
    assert etat_ecrit() == avant  # nothing half-written
    html = texte(admin_client.get(reponse["Location"]))
    assert "L'import a échoué" in html and "Relancer l'import" in html

    # Relaunch (GET only shows the page; POST relaunches): a new import of the stored file succeeds.
    assert admin_client.get(reverse("admin:zonages_importzonage_relancer", args=[echoue.pk])).status_code == 302
    assert ImportZonage.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        reponse = admin_client.post(reverse("admin:zonages_importzonage_relancer", args=[echoue.pk]))
    relance = ImportZonage.objects.exclude(pk=echoue.pk).get()
    assert reponse["Location"] == reverse("admin:zonages_importzonage_suivi", args=[relance.pk])
    assert relance.statut == ImportZonage.Statut.IMPORTE
    assert relance.fichier.name == echoue.fichier.name and relance.sha256 == echoue.sha256
    assert relance.parametres["origine"] == f"relance de l'import n° {echoue.pk}"
    assert relance.parametres["reference"] == echoue.parametres["reference"]
    zonage = Zonage.objects.get(import_source=relance)
    assert zonage.classements.count() == Commune.objects.count() == 4446
    echoue.refresh_from_db()
    assert echoue.statut == ImportZonage.Statut.ECHOUE  # the failed record stays as it was
    assert "Relancer l'import" not in texte(admin_client.get(reponse["Location"]))
    fiche = texte(admin_client.get(reverse("admin:zonages_importzonage_change", args=[relance.pk])))
    assert f"Lancé depuis : relance de l'import n° {echoue.pk}" in fiche

    # Only a failed import can be relaunched, by someone who may import.
    reponse = admin_client.post(reverse("admin:zonages_importzonage_relancer", args=[relance.pk]), follow=True)
    assert "Relance impossible : Seul un import échoué peut être relancé." in texte(reponse)
    from django.contrib.auth.models import Group, User
    lecteur = User.objects.create_user("lecteur.pannes", is_staff=True)
    lecteur.groups.add(Group.objects.get(name="ARS — lecture"))
    client.force_login(lecteur)
    assert client.get(reverse("admin:zonages_importzonage_suivi", args=[echoue.pk])).status_code == 200
    assert "Relancer" not in texte(client.get(reverse("admin:zonages_importzonage_suivi", args=[echoue.pk])))
    assert client.post(reverse("admin:zonages_importzonage_relancer", args=[echoue.pk])).status_code == 403
    assert ImportZonage.objects.count() == 2


@pytest.mark.django_db
def test_relance_impossible_sans_fichier_conserve_ou_fichier_modifie(celery_immediat, tmp_path):
    chemin = tmp_path / "ligne_de_commande.csv"
    chemin.write_text("code_insee;niveau\n34172;ZIP\n")
    enregistrement = execution.enregistrer_import(
        chemin, DemandeImport(type="medecin", valid_from=datetime.date(2026, 1, 1), reference="Test"))
    enregistrement.statut = ImportZonage.Statut.ECHOUE
    enregistrement.save()
    with pytest.raises(depot.RelanceImpossible, match="n'a pas été conservé"):
        depot.relancer(enregistrement)
    with override_settings(MEDIA_ROOT=tmp_path / "media"):
        depose = depot.deposer(SimpleUploadedFile("f.csv", b"code_insee;niveau\n34172;ZIP\n"),
                               DemandeImport(type="medecin", valid_from=datetime.date(2026, 1, 1), reference="Test"))
    depose.statut = ImportZonage.Statut.ECHOUE
    depose.save()
    Path(depose.fichier.path).write_text("code_insee;niveau\n34172;ZAC\n")
    with pytest.raises(depot.RelanceImpossible, match="SHA-256"):
        depot.relancer(depose)


@pytest.mark.django_db
def test_imports_interrompus_marques_echoues_les_autres_intacts(celery_immediat, tmp_path):
    assert celery_app.conf.beat_schedule["imports-interrompus"]["task"] == tasks.marquer_imports_interrompus.name
    assert tasks.marquer_imports_interrompus.name in celery_app.tasks
    maintenant = datetime.datetime.now(datetime.timezone.utc)
    il_y_a = lambda **duree: maintenant - datetime.timedelta(**duree)  # noqa: E731

    def import_(statut, signe_de_vie=None, cree_il_y_a=datetime.timedelta(0)):
        enregistrement = ImportZonage.objects.create(
            type="medecin", format="csv", fichier_nom="f.csv", sha256="0" * 64, statut=statut,
            signe_de_vie=signe_de_vie, parametres={"type": "medecin", "valid_from": "2026-01-01", "reference": "T"})
        ImportZonage.objects.filter(pk=enregistrement.pk).update(cree_le=maintenant - cree_il_y_a)
        return enregistrement

    arrete = import_(ImportZonage.Statut.EN_COURS, il_y_a(minutes=6), datetime.timedelta(minutes=10))
    vivant = import_(ImportZonage.Statut.EN_COURS, il_y_a(seconds=20), datetime.timedelta(minutes=10))
    ancien_sans_signe = import_(ImportZonage.Statut.EN_COURS, None, datetime.timedelta(minutes=10))
    jamais_pris = import_(ImportZonage.Statut.EN_ATTENTE, None, datetime.timedelta(hours=2))
    en_file = import_(ImportZonage.Statut.EN_ATTENTE, None, datetime.timedelta(minutes=10))
    termine = import_(ImportZonage.Statut.IMPORTE, il_y_a(hours=1), datetime.timedelta(hours=2))
    ecrit = import_(ImportZonage.Statut.EN_COURS, il_y_a(minutes=6), datetime.timedelta(minutes=10))
    Zonage.objects.create(type="medecin", reference="écrit", valid_from=datetime.date(2026, 1, 1), import_source=ecrit)

    marques = tasks.marquer_imports_interrompus()
    assert sorted(marques) == sorted([arrete.pk, ancien_sans_signe.pk, jamais_pris.pk, ecrit.pk])
    for enregistrement in (arrete, vivant, ancien_sans_signe, jamais_pris, en_file, termine, ecrit):
        enregistrement.refresh_from_db()
    for enregistrement in (arrete, ancien_sans_signe):
        assert enregistrement.statut == ImportZonage.Statut.ECHOUE and enregistrement.termine_le
        message = enregistrement.rapport["erreurs"][0]["message"]
        assert "ne donne plus signe de vie depuis plus de 5 minutes" in message and "rien n'a été écrit" in message
    assert "n'a pas pu démarrer" in jamais_pris.rapport["erreurs"][0]["message"]
    assert "en attente plus d'une heure" in jamais_pris.rapport["erreurs"][0]["message"]
    assert ecrit.rapport["erreurs"][0]["message"] == execution.MESSAGE_INTERROMPU_APRES_ECRITURE
    assert vivant.statut == ImportZonage.Statut.EN_COURS and en_file.statut == ImportZonage.Statut.EN_ATTENTE
    assert termine.statut == ImportZonage.Statut.IMPORTE
    assert tasks.marquer_imports_interrompus() == []  # nothing left to mark

    # A task delivered again for an import marked failed (late acknowledgement) does not run it.
    chemin = tmp_path / "f.csv"
    chemin.write_text("code_insee;niveau\n34172;ZIP\n")
    assert tasks.executer_import_zonage(arrete.pk, str(chemin)) == "ignore"
    arrete.refresh_from_db()
    assert arrete.statut == ImportZonage.Statut.ECHOUE and not Zonage.objects.filter(import_source=arrete).exists()


# --- PostgreSQL restarted --------------------------------------------------------------------------------------------

def url_base_de_test() -> str:
    reglages = connection.settings_dict
    return (f"postgresql://{reglages['USER']}:{reglages['PASSWORD']}@{reglages['HOST'] or '127.0.0.1'}:"
            f"{reglages['PORT'] or 5432}/{reglages['NAME']}")


def redemarrer_postgresql():
    """A real restart (pg_ctl) when scripts/services_locaux.sh gave the means; else every connection to the test
    database is cut server side, which is what the portal sees of a restart."""
    ctl, donnees, journal = (os.environ.get(v) for v in ("PAPS_PG_CTL", "PAPS_PG_DATA", "PAPS_PG_LOG"))
    if ctl and donnees:
        commande = f"{ctl} -D {donnees} -l {journal or os.devnull} -m fast -w -t 60 restart"
        if os.geteuid() == 0:
            argv = ["su", "postgres", "-c", commande]
        else:
            argv = commande.split()
        subprocess.run(argv, check=True, timeout=90, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE)
        return "redémarrage"
    exiger(False, "PAPS_PG_CTL/PAPS_PG_DATA absents : source scripts/services_locaux.sh pour un vrai redémarrage")


def get_http(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reponse:
            return reponse.status, reponse.read()
    except urllib.error.HTTPError as erreur:
        return erreur.code, erreur.read()


@pytest.fixture
def base_partagee(transactional_db):
    """The test database in autocommit (a transactional test): what the test writes is committed, so subprocesses
    see it; the database is emptied afterwards, as after every such test, so the communes are loaded here (an
    earlier transactional test may have emptied it). Every connection is closed at the end: a restart may have cut
    one."""
    exiger_postgresql()
    charger_territoires(FIXTURE_REFERENTIELS)
    try:
        yield
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_postgresql_redemarre_les_requetes_suivantes_reussissent(base_partagee, tmp_path):
    """A real server process (gunicorn, persistent connections: CONN_MAX_AGE=60, CONN_HEALTH_CHECKS) keeps
    answering across a restart of PostgreSQL. (Django's test client would not show it: it disconnects the
    per-request connection checks, since a test's transaction lives on the connection.)"""
    port = port_libre()
    env = {**os.environ, "DATABASE_URL": url_base_de_test(), "CONN_MAX_AGE": "60", "DEBUG": "1", "LOG_FORMAT": "texte",
           "PYTHONPATH": str(RACINE)}
    env.pop("REDIS_URL", None)  # this test is about PostgreSQL
    urls = ["/", "/communes/34172/", "/api/v1/communes/34172/", "/api/v1/communes/?q=beziers", "/tableau-de-bord/"]
    base = f"http://127.0.0.1:{port}"
    journal = open(tmp_path / "gunicorn.log", "wb")
    serveur = None
    try:
        serveur = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "paps.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1", "--threads", "1",
             "--timeout", "60"], cwd=RACINE, env=env, stdout=journal, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)

        def pret():
            try:
                return get_http(base + "/healthz")[0] == 200
            except OSError:
                return False
        attendre(pret, 60, "gunicorn ne démarre pas", pas=0.3)
        for url in urls:
            assert get_http(base + url)[0] == 200, url
        with connection.cursor() as curseur:  # the server keeps its connection open between requests
            curseur.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid()")
            assert curseur.fetchone()[0] >= 1

        redemarrer_postgresql()

        # The very next requests succeed: the stale connection fails its health check and is replaced.
        for url in urls + urls:
            statut, contenu = get_http(base + url)
            assert statut == 200, (url, contenu[:500])
        statut, contenu = get_http(base + "/healthz")
        assert statut == 200 and contenu == b'{"statut": "ok"}'
    finally:
        tuer_groupe(serveur)
        journal.close()
        # This process's own connection was cut too: once closed, the suite goes on with a new one.
        connections.close_all()
    assert Commune.objects.filter(code_insee="34172").exists()


# --- Worker killed during an import ----------------------------------------------------------------------------------

# Runs `celery -A paps worker` with one change: the first zonage import to write pauses after its first batch of 1,000
# classements (inside its open transaction), writing the pool process's pid to PAPS_TEST_MARQUE, so that the test
# kills it at that exact point. Later imports run normally. The heartbeat beats every PAPS_TEST_SIGNE_DE_VIE s; an
# import without one for PAPS_TEST_DELAI s (when given) is taken for interrupted.
LANCEUR_WORKER = """
import os, sys, time
import django
django.setup()
from zonages.imports import execution

ecrire = execution.bulk_create_with_history
marque = os.environ["PAPS_TEST_MARQUE"]

def ecrire_avec_pause(objets, *args, **kwargs):
    if os.path.exists(marque):
        return ecrire(objets, *args, **kwargs)
    resultat = ecrire(objets[:1000], *args, **kwargs)
    with open(marque + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.replace(marque + ".tmp", marque)
    time.sleep(120)
    return resultat + ecrire(objets[1000:], *args, **kwargs)

execution.bulk_create_with_history = ecrire_avec_pause
from datetime import timedelta
from noyau import importation
importation.INTERVALLE_SIGNE_DE_VIE = float(os.environ["PAPS_TEST_SIGNE_DE_VIE"])
if os.environ.get("PAPS_TEST_DELAI"):  # without a heartbeat for this many seconds, an import's process is gone
    importation.DELAI_SANS_SIGNE_DE_VIE = timedelta(
        seconds=float(os.environ["PAPS_TEST_DELAI"]))
from celery.__main__ import main
sys.argv = ["celery", "-A", "paps", "worker", "--loglevel=INFO", "--concurrency=1", "--pool=prefork",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", "pannes-%d@localhost" % os.getpid()]
main()
"""


@pytest.fixture
def worker(base_partagee, redis_jetable, tmp_path):
    """Starts workers on the test database and the throwaway Redis; this process sends its tasks there too."""
    lanceur = tmp_path / "lanceur_worker.py"
    lanceur.write_text(LANCEUR_WORKER)
    marque = tmp_path / "ecriture_en_pause"
    processus = []

    def demarrer(**variables):
        env = {**os.environ, "DATABASE_URL": url_base_de_test(), "REDIS_URL": redis_jetable.url, "DEBUG": "1",
               "LOG_FORMAT": "texte", "PYTHONPATH": str(RACINE), "MEDIA_ROOT": str(tmp_path / "media"),
               "PAPS_TEST_MARQUE": str(marque), "PAPS_TEST_SIGNE_DE_VIE": "0.5", **variables}
        journal = open(tmp_path / f"worker-{len(processus)}.log", "wb")
        p = subprocess.Popen([sys.executable, str(lanceur)], cwd=RACINE, env=env, stdout=journal,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        p.journal = journal
        processus.append(p)
        return p

    demarrer.marque = marque
    demarrer.journaux = lambda: "\n".join(
        (tmp_path / f"worker-{i}.log").read_text(errors="replace")[-3000:] for i in range(len(processus)))
    try:
        with celery_vers(redis_jetable.url), override_settings(MEDIA_ROOT=tmp_path / "media"):
            yield demarrer
    finally:
        for p in processus:
            tuer_groupe(p)
            p.journal.close()


def deposer_import() -> ImportZonage:
    """Uploads a file as the administration does: recorded, then sent to the broker once committed."""
    with transaction.atomic():
        enregistrement = depot.deposer(
            SimpleUploadedFile("donnees_de_test_pannes.csv", csv_de_toute_la_region().encode(), "text/csv"),
            DemandeImport(type="medecin", valid_from=datetime.date(2026, 1, 1), reference="Arrêté de test (pannes)"))
    return enregistrement


def statut(enregistrement: ImportZonage) -> str:
    return ImportZonage.objects.values_list("statut", flat=True).get(pk=enregistrement.pk)


def attendre_la_pause(worker) -> int:
    """Waits for the import to be paused midway through its writing; returns the pool process's pid."""
    def en_pause():
        return worker.marque.exists() and worker.marque.read_text()
    try:
        return int(attendre(en_pause, 90, "l'import n'a pas atteint l'écriture", pas=0.1))
    except AssertionError:
        raise AssertionError("l'import n'a pas atteint l'écriture ; journaux du worker :\n" + worker.journaux())


def verifier_import_en_cours_et_vivant(enregistrement: ImportZonage, avant: tuple):
    """Paused midway: the first batch is written in an open transaction, invisible here; the heartbeat beats."""
    assert statut(enregistrement) == ImportZonage.Statut.EN_COURS
    assert etat_ecrit() == avant
    premier = ImportZonage.objects.values_list("signe_de_vie", flat=True).get(pk=enregistrement.pk)
    attendre(lambda: ImportZonage.objects.values_list("signe_de_vie", flat=True).get(pk=enregistrement.pk) > premier,
             10, "le signe de vie de l'import ne progresse pas")
    # The periodic sweep leaves a live import alone, even with a short delay.
    assert execution.marquer_imports_interrompus(datetime.timedelta(seconds=5)) == []


def verifier_relance(worker, echoue: ImportZonage, avant: tuple):
    with transaction.atomic():
        relance = depot.relancer(ImportZonage.objects.get(pk=echoue.pk))
    fini = attendre(lambda: statut(relance) not in execution.INACHEVES, 90, "la relance ne se termine pas", pas=0.2)
    assert fini, worker.journaux()
    relance.refresh_from_db()
    assert relance.statut == ImportZonage.Statut.IMPORTE, (relance.rapport, worker.journaux())
    assert Zonage.objects.get(import_source=relance).classements.count() == 4446
    assert etat_ecrit()[1] == avant[1] + 4446
    assert statut(echoue) == ImportZonage.Statut.ECHOUE


@pytest.mark.django_db(transaction=True)
def test_worker_tue_pendant_l_ecriture_import_marque_echoue_aussitot_puis_relance(worker):
    """SIGKILL on the pool process running the import: Celery's main process reports the task lost
    (WorkerLostError → task_failure), and the import is marked "échoué" at once; the same worker relaunches it."""
    worker()
    avant = etat_ecrit()
    enregistrement = deposer_import()
    pid_execution = attendre_la_pause(worker)
    verifier_import_en_cours_et_vivant(enregistrement, avant)

    os.kill(pid_execution, signal.SIGKILL)

    attendre(lambda: statut(enregistrement) == ImportZonage.Statut.ECHOUE, 30,
             "l'import tué n'est pas marqué échoué", pas=0.1)
    enregistrement.refresh_from_db()
    assert enregistrement.rapport["erreurs"][0]["message"] == execution.MESSAGE_WORKER_PERDU
    assert etat_ecrit() == avant  # the first batch was rolled back with the killed process's transaction
    verifier_relance(worker, enregistrement, avant)


@pytest.mark.django_db(transaction=True)
def test_worker_entier_tue_import_marque_echoue_par_la_tache_periodique_puis_relance(worker):
    """SIGKILL on the whole worker (main and pool processes): nobody reports anything; the heartbeat stops and the
    periodic task marks the import "échoué". A new worker relaunches it."""
    premier = worker()
    avant = etat_ecrit()
    enregistrement = deposer_import()
    attendre_la_pause(worker)
    verifier_import_en_cours_et_vivant(enregistrement, avant)

    tuer_groupe(premier)
    time.sleep(3)  # no more heartbeat; nobody marks the import
    assert statut(enregistrement) == ImportZonage.Statut.EN_COURS
    assert etat_ecrit() == avant

    assert tasks.marquer_imports_interrompus(delai_minutes=2 / 60) == [enregistrement.pk]
    enregistrement.refresh_from_db()
    assert enregistrement.statut == ImportZonage.Statut.ECHOUE
    assert "ne donne plus signe de vie" in enregistrement.rapport["erreurs"][0]["message"]
    assert etat_ecrit() == avant

    worker()
    verifier_relance(worker, enregistrement, avant)


@pytest.mark.django_db(transaction=True)
def test_worker_entier_tue_sans_tache_periodique_import_marque_echoue_au_demarrage_du_worker_suivant(worker):
    """No beat: the whole worker is killed midway, nobody marks the import; the next worker to start marks it
    "échoué" (its heartbeat stopped), and relaunches it."""
    premier = worker(PAPS_TEST_DELAI="2")
    avant = etat_ecrit()
    enregistrement = deposer_import()
    attendre_la_pause(worker)
    verifier_import_en_cours_et_vivant(enregistrement, avant)

    tuer_groupe(premier)
    time.sleep(3)  # more than PAPS_TEST_DELAI without a heartbeat
    assert statut(enregistrement) == ImportZonage.Statut.EN_COURS

    worker(PAPS_TEST_DELAI="2")
    attendre(lambda: statut(enregistrement) == ImportZonage.Statut.ECHOUE, 60,
             "le worker qui démarre ne marque pas l'import interrompu : " + worker.journaux(), pas=0.2)
    enregistrement.refresh_from_db()
    assert "ne donne plus signe de vie depuis plus de 2 secondes" in enregistrement.rapport["erreurs"][0]["message"]
    assert etat_ecrit() == avant
    verifier_relance(worker, enregistrement, avant)


@pytest.mark.django_db(transaction=True)
def test_import_de_structures_execute_par_le_worker_hors_de_la_requete(worker, admin_user, client):
    """A structure import from the administration is run by the worker, not in the request."""
    from structures.models import ImportStructures, Structure
    worker()
    client.force_login(admin_user)
    contenu = ("identifiant;nom;type;commune;date_ouverture\n"
               "TEST-WORKER-1;MSP de test du worker;msp;34172;2020-09-01\n"
               "TEST-WORKER-2;ESP de test du worker;esp;48095;2021-01-01\n")
    reponse = client.post(reverse("admin:structures_importstructures_add"), {
        "fichier": SimpleUploadedFile("structures_worker.csv", contenu.encode(), "text/csv")})
    enregistrement = ImportStructures.objects.get()
    assert reponse["Location"] == reverse("admin:structures_importstructures_suivi", args=[enregistrement.pk])
    assert Structure.objects.count() == 0  # the request has answered; the worker has the import
    fini = attendre(lambda: ImportStructures.objects.values_list("statut", flat=True).get(pk=enregistrement.pk)
                    not in execution.INACHEVES, 90, "l'import de structures ne se termine pas : " + worker.journaux())
    assert fini
    enregistrement.refresh_from_db()
    assert enregistrement.statut == ImportStructures.Statut.IMPORTE, (enregistrement.rapport, worker.journaux())
    assert enregistrement.signe_de_vie is not None and enregistrement.creees == 2
    assert set(Structure.objects.values_list("identifiant", flat=True)) == {"TEST-WORKER-1", "TEST-WORKER-2"}
    page = texte(client.get(reponse["Location"]))
    assert "Importé : 2 structure(s) créée(s)" in page


# --- Imports whose process is gone, without any periodic task ----------------------------------------------------

@pytest.mark.django_db
def test_un_import_de_zonage_dont_le_processus_a_disparu_est_marque_echoue_a_la_lecture(admin_client):
    maintenant = datetime.datetime.now(datetime.timezone.utc)

    def import_(statut, signe_de_vie=None, cree_il_y_a=datetime.timedelta(minutes=10)):
        enregistrement = ImportZonage.objects.create(
            type="medecin", format="csv", fichier_nom="f.csv", sha256="0" * 64, statut=statut,
            signe_de_vie=signe_de_vie, parametres={"type": "medecin", "valid_from": "2026-01-01", "reference": "T"})
        ImportZonage.objects.filter(pk=enregistrement.pk).update(cree_le=maintenant - cree_il_y_a)
        return enregistrement

    arrete = import_(ImportZonage.Statut.EN_COURS, maintenant - datetime.timedelta(minutes=6))
    vivant = import_(ImportZonage.Statut.EN_COURS, maintenant - datetime.timedelta(seconds=20))
    jamais_pris = import_(ImportZonage.Statut.EN_ATTENTE, None, datetime.timedelta(hours=2))

    html = texte(admin_client.get(reverse("admin:zonages_importzonage_suivi", args=[arrete.pk])))
    assert "L'import a échoué" in html and "ne donne plus signe de vie depuis plus de 5 minutes" in html
    assert "Relancer" not in html  # no kept file: nothing to relaunch from
    etat = admin_client.get(reverse("admin:zonages_importzonage_etat", args=[jamais_pris.pk])).json()
    assert (etat["statut"], etat["termine"]) == ("echoue", True)
    assert admin_client.get(reverse("admin:zonages_importzonage_etat", args=[vivant.pk])).json()["termine"] is False
    vivant.refresh_from_db()
    assert vivant.statut == ImportZonage.Statut.EN_COURS
