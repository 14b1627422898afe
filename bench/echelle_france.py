"""All of France loaded (issue 17): commune search, eligibility and « Où m'installer ? » for one region, and the
memory of each gunicorn worker, against the same measures on an Occitanie-only database.

    DATABASE_URL=postgresql://… REDIS_URL=redis://…/10 PAPS_BENCH_REDIS_BASE=10 .venv/bin/python bench/echelle_france.py

Two throwaway databases in turn (test_<name> on DATABASE_URL's server, dropped at the end):

1. Occitanie only, as `charger_referentiels` loads it (territories, the manifest's zonages and QPV, the rules), served
   with PAPS_REGIONS=76;
2. all of France (donnees/france: communes, départements, EPCI; the national CartoSanté files of the 5 professions,
   montagne, FRR, QPV 2024, through portail/donnees_nationales.py; the médecins file of the ARS Occitanie, the only
   one shipped, for 76), served with PAPS_REGIONS=toutes, then with PAPS_REGIONS=76 on the same data.

In each state: (a) commune search, territoires/recherche.py with the queries of bench/recherche_communes.py, first 20
results, median and p95 over 50 repetitions (target: p95 < 20 ms); (b) /api/v1/eligibilite/ for Occitanie communes and
/api/v1/eligibilite/communes/ for the whole served region (page_size=5000) for a GP settling in secteur 1, through
Django's test client (bench/region.py's measures: cold caches, a new profile, the same request again), and whether
the answers for Occitanie are the same as on the Occitanie-only database; (c) gunicorn (DEBUG=0, 2 workers, Redis
cache on PAPS_BENCH_REDIS_BASE) started on the database, each worker's resident memory (VmRSS, /proc) after boot and
after a few hundred mixed requests, then the same profile's requests served one after the other by these fresh, warm
workers (medians: a comparison free of what this process kept of the other states). The machine's load average is
printed with each figure: other processes share its 2 cores. Raw output: bench/resultats_echelle_france.txt.
"""
import argparse
import logging
import os
import random
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from _base import RACINE, base_jetable
from recherche_communes import REQUETES, TAILLE_PAGE
from region import COMMUNES, PROFIL, mesurer, mesures

sys.path.insert(0, str(RACINE / "bench" / "load"))
from run import attendre, port_libre, url_redis_bench

ICI = Path(__file__).resolve().parent
DONNEES = RACINE / "donnees"
SORTIE = ICI / "resultats_echelle_france.txt"
VENV = RACINE / ".venv" / "bin"
# In-process measures use the local-memory cache (as bench/region.py); gunicorn gets Redis, as in production.
REDIS_URL = os.environ.pop("REDIS_URL", "")
REPETITIONS_RECHERCHE = 50
# Orthophonistes: the national export writes « 1_Tres_sous_dotee » and « 2_Sous_dotee », levels the portal's
# vocabulary does not have for the profession (zonages/niveaux.py), in Centre-Val de Loire (18, 45), Guadeloupe,
# Guyane and Mayotte: the file is refused for all of France, so it is loaded for the other regions only.
REGIONS_SANS_ORTHOPHONISTES = {"24", "01", "03", "06"}
MOTIF_BENCH = ("Mesure (bench/echelle_france.py, base jetable) : communes que le fichier national ne classe pas "
               "(collectivités d'outre-mer, communes créées depuis son millésime…), laissées sans niveau.")

journal: list[str] = []


def noter(texte: str = ""):
    print(texte, flush=True)
    journal.append(texte)


def charge() -> str:
    return "charge moyenne (1, 5, 15 min) : " + ", ".join(f"{x:.2f}".replace(".", ",") for x in os.getloadavg())


@contextmanager
def chrono(quoi: str):
    debut = time.perf_counter()
    yield
    noter(f"  {quoi} : {time.perf_counter() - debut:.1f} s")


def servir(regions: str):
    """Serve `regions` from now on in this process (as a restart with PAPS_REGIONS would): caches emptied."""
    from django.conf import settings
    from django.core.cache import cache

    from noyau import cache_generations

    settings.PAPS_REGIONS = regions
    cache.clear()
    cache_generations.vider_memo()


# --- Loading ------------------------------------------------------------------------------------------------------

def charger_occitanie():
    from aides.catalogue import charger_regles
    from territoires.referentiels.chargement import charger_territoires
    from zonages.manifeste import charger_zonages_du_manifeste

    servir("76")
    with chrono("territoires d'Occitanie (donnees/)"):
        charger_territoires(DONNEES)
    with chrono("zonages et QPV du manifeste"):
        charger_zonages_du_manifeste(DONNEES)
    with chrono("règles des aides"):
        charger_regles()


def charger_france():
    from aides.catalogue import charger_regles
    from noyau.regions import REGIONS_INSEE
    from portail.donnees_nationales import ZONAGES, importer_zonage_national
    from territoires.models import Commune
    from territoires.referentiels.chargement import charger_territoires
    from territoires.referentiels.sources import lire_manifeste
    from zonages.imports.execution import importer_zonage
    from zonages.manifeste import _demande
    from zonages.models import ImportZonage

    def verifier(quoi, resultat):
        if resultat.statut != ImportZonage.Statut.IMPORTE:
            raise SystemExit(f"{quoi} refusé : {resultat.rapport['erreurs'][:3]}")
        noter(f"    {quoi} : {resultat.lignes_retenues} retenus, {len(resultat.rapport.get('non_couvertes', []))} "
              f"communes servies sans niveau, {resultat.nb_avertissements} avertissement(s)")

    servir("toutes")
    with chrono("territoires de toute la France (donnees/france)"):
        charger_territoires(DONNEES / "france")
    noter(f"    {Commune.objects.count()} communes")
    with chrono("médecins : fichier de l'ARS Occitanie (le seul fourni), pour la région 76"):
        servir("76")
        entree = next(e for e in lire_manifeste(DONNEES)["zonages"] if e["kind"] == "medecin")
        verifier("medecin", importer_zonage(DONNEES / entree["file"], _demande(entree, "medecin")))
    with chrono("fichiers nationaux : 5 professions CartoSanté, montagne, FRR, QPV 2024"):
        for type_ in ZONAGES:
            autres = REGIONS_SANS_ORTHOPHONISTES if type_ == "orthophoniste" else set()
            servir(",".join(sorted(set(REGIONS_INSEE) - autres)) if autres else "toutes")
            verifier(type_, importer_zonage_national(DONNEES, type_, coverage="incomplete",
                                                     coverage_reason=MOTIF_BENCH))
        servir("toutes")
        verifier("qpv", importer_zonage_national(DONNEES, "qpv"))
    with chrono("règles des aides"):
        charger_regles()


# --- (a) Commune search -------------------------------------------------------------------------------------------

def recherche(etat: str, plans: bool):
    from django.db import connection

    from territoires.recherche import rechercher_communes

    with connection.cursor() as curseur:
        curseur.execute("ANALYZE")
    noter(f"\n(a) Recherche de communes — {etat} — 20 premiers résultats, {REPETITIONS_RECHERCHE} répétitions ; "
          f"{charge()}")
    noter(f"  {'requête':<22}{'résultats':>10}{'médiane (ms)':>14}{'p95 (ms)':>10}")
    pires = []
    for texte in REQUETES:
        requete = rechercher_communes(texte)
        total = requete.count()
        list(requete.all()[:TAILLE_PAGE])  # plan and connection warm
        durees = []
        for _ in range(REPETITIONS_RECHERCHE):
            debut = time.perf_counter()
            list(requete.all()[:TAILLE_PAGE])
            durees.append((time.perf_counter() - debut) * 1000)
        durees.sort()
        p95 = durees[int(len(durees) * 0.95) - 1]
        pires.append((p95, texte))
        noter(f"  {texte:<22}{total:>10}{statistics.median(durees):>14.2f}{p95:>10.2f}")
    p95_max, texte = max(pires)
    noter(f"  p95 le plus haut : {p95_max:.2f} ms (« {texte} ») — objectif < 20 ms : "
          f"{'tenu' if p95_max < 20 else 'NON TENU'}")
    if plans:
        for texte in ["sa", "saint jean du gard", "34500"]:
            noter(f"\n  EXPLAIN ANALYZE — « {texte} » ({etat})")
            noter("  " + rechercher_communes(texte)[:TAILLE_PAGE].explain(analyze=True).replace("\n", "\n  "))


# --- (b) Eligibility ----------------------------------------------------------------------------------------------

def eligibilite(etat: str, toute_la_france: bool = False) -> tuple[dict, dict]:
    """Medians (ms) of bench/region.py's measures, and the answers for comparison."""
    from django.test import Client

    client = Client()
    n = 7
    region = [{**PROFIL, "page_size": 5000}]
    resultats = mesures(client, n, "région servie")
    if toute_la_france:  # the Occitanie part of the whole of France, by département (the API's filter)
        occitanie = [{**PROFIL, "departement": d, "page_size": 5000} for d in
                     ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]]
        resultats["les 13 départements d'Occitanie un à un, chaud (par département)"] = mesurer(
            client, "/api/v1/eligibilite/communes/", occitanie * 2, 26)[13:]
    corps = client.get("/api/v1/eligibilite/communes/", region[0]).json()
    medianes = {quoi: statistics.median(d) * 1000 for quoi, d in resultats.items()}
    noter(f"\n(b) Éligibilité, médecin généraliste qui s'installe en secteur 1 (client de test, médianes de {n}) — "
          f"{etat} ; région servie : {corps['count']} communes, {corps['groupes_evalues']} évaluations du moteur ; "
          f"{charge()}")
    for quoi, mediane in medianes.items():
        noter(f"  {quoi:44} médiane {mediane:8.1f} ms  (min {min(resultats[quoi]) * 1000:.1f}, "
              f"max {max(resultats[quoi]) * 1000:.1f}, n={len(resultats[quoi])})")
    return medianes, reponses(client)


def reponses(client) -> dict:
    """What the answers say for Occitanie (aids and statuses of each commune of COMMUNES, each Occitanie commune's
    summary for the profile), to compare between databases."""
    une = {}
    for code in COMMUNES:
        corps = client.get("/api/v1/eligibilite/", {**PROFIL, "commune": code}).json()
        une[code] = {"zonages": corps["zonages"], "qpv": corps["qpv"],
                     "aides": sorted((a["code"], a["statut"]) for a in corps["aides"]),
                     "obligations": sorted((a["code"], a["statut"]) for a in corps["obligations"])}
    communes = {}
    for departement in ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]:
        corps = client.get("/api/v1/eligibilite/communes/", {**PROFIL, "departement": departement,
                                                              "page_size": 5000}).json()
        for ligne in corps["results"]:
            communes[ligne["code_insee"]] = {c: ligne.get(c) for c in (
                "certaines", "au_choix", "a_verifier", "contraintes", "total_certain", "total_possible", "zonages")}
    return {"une commune": une, "communes d'Occitanie": communes}


def comparer(reference: dict, autre: dict, etat: str):
    for partie in ("une commune", "communes d'Occitanie"):
        a, b = reference[partie], autre[partie]
        differentes = sorted(c for c in set(a) | set(b) if a.get(c) != b.get(c))
        noter(f"  réponses « {partie} » ({len(a)} communes) : " + (
            "identiques à celles de la base Occitanie seule" if not differentes else
            f"{len(differentes)} différente(s) de la base Occitanie seule, ex. {differentes[:5]}"))
        for code in differentes[:3]:
            noter(f"    {code} : Occitanie seule {a.get(code)} ; {etat} {b.get(code)}")


# --- (c) Memory of the gunicorn workers ---------------------------------------------------------------------------

def url_base() -> str:
    from django.db import connection

    morceaux = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return urllib.parse.urlunsplit(morceaux._replace(path=f"/{connection.settings_dict['NAME']}"))


def rss_ko(pid: int) -> dict[str, int]:
    valeurs = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as fichier:
        for ligne in fichier:
            cle, _, reste = ligne.partition(":")
            if cle in {"VmRSS", "VmHWM"}:
                valeurs[cle] = int(reste.split()[0])
    return valeurs


def workers(maitre: int) -> list[int]:
    """The gunicorn master's children (its workers), from /proc."""
    enfants = []
    for entree in Path("/proc").iterdir():
        if entree.name.isdigit():
            try:
                statut = (entree / "status").read_text(encoding="ascii", errors="replace")
            except OSError:
                continue
            if f"\nPPid:\t{maitre}\n" in statut:
                enfants.append(int(entree.name))
    return sorted(enfants)


def requetes_melangees(communes: list[str], points: list[tuple[float, float]], nombre: int) -> list[str]:
    """Mixed public requests (weights as bench/load/locustfile.py's mixed scenario, plus the QPV point lookup and the
    whole served region), on communes of the served regions and points in their QPV."""
    tirage = random.Random(17)
    professions = ["medecin-generaliste", "infirmier", "chirurgien-dentiste", "masseur-kinesitherapeute",
                   "sage-femme", "orthophoniste"]
    recherches = ["beziers", "saint", "mont", "tou", "34500", "castel", "ville", "st jean", "albi", "lyon", "sa"]
    profil = "&".join(f"{c}={v}" for c, v in PROFIL.items() if c != "profession")
    urls = []
    for i in range(nombre):
        code, (lon, lat) = tirage.choice(communes), tirage.choice(points)
        profession = tirage.choice(professions)
        urls.append(tirage.choice([
            f"/api/v1/eligibilite/?commune={code}&profession={profession}&{profil}",
            f"/api/v1/eligibilite/?commune={code}&profession={profession}",
            f"/api/v1/communes/{code}/", f"/communes/{code}/",
            f"/api/v1/communes/?q={urllib.parse.quote(tirage.choice(recherches))}",
            f"/zonages/classement.json?type={tirage.choice(['medecin', 'infirmier', 'montagne', 'frr'])}",
            f"/api/v1/qpv/?lon={lon}&lat={lat}",
        ]))
        if i % 25 == 0:  # « Où m'installer ? »: the whole served region for one profession
            urls.append(f"/api/v1/eligibilite/communes/?profession={profession}&{profil}&page_size=5000")
    return urls


def latences_servies(hote: str, communes: list[str]) -> dict[str, float]:
    """Medians (ms) of the profile's requests served by the warm workers (fresh processes: nothing of another
    state's data in their memory), one after the other."""
    profil = urllib.parse.urlencode(PROFIL)
    occitanie = [c for c in COMMUNES if c in set(communes)]
    series = {"une commune (5 communes d'Occitanie)": [f"/api/v1/eligibilite/?{profil}&commune={c}"
                                                      for c in occitanie * 4],
              "région servie (page_size=5000)": [f"/api/v1/eligibilite/communes/?{profil}&page_size=5000"] * 12,
              "un département (Lozère)": [f"/api/v1/eligibilite/communes/?{profil}&departement=48"] * 12}
    medianes = {}
    for quoi, urls in series.items():
        durees = []
        for url in urls:
            debut = time.perf_counter()
            with urllib.request.urlopen(hote + url, timeout=300) as reponse:
                reponse.read()
            durees.append((time.perf_counter() - debut) * 1000)
        medianes[quoi] = statistics.median(durees[2:])  # the first of each worker builds what the others reuse
    return medianes


def memoire(etat: str, regions: str, statiques: Path, workers_nombre: int, requetes: int) -> list:
    """[latencies served, then each worker's memory (Mo)]."""
    from shapely.geometry import shape

    from territoires.models import Commune
    from zonages.qpv import qpv_des_regions_servies

    servir(regions)
    communes = list(Commune.objects.servies().order_by("code_insee").values_list("code_insee", flat=True))
    # Points inside the served regions' QPV (the national communes have no point): the QPV index is built.
    points = [(p.x, p.y) for p in (shape(q.geometrie).representative_point() for q in qpv_des_regions_servies())]
    port = port_libre()
    env = {**os.environ, "DATABASE_URL": url_base(), "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING",
           "API_THROTTLE_ANON": "1000000/second", "PAPS_REGIONS": regions,
           "DJANGO_SETTINGS_MODULE": "reglages_bench", "BENCH_STATIC_ROOT": str(statiques),
           "PYTHONPATH": os.pathsep.join([str(ICI / "load"), str(RACINE)])}
    if REDIS_URL:
        env["REDIS_URL"] = url_redis_bench(REDIS_URL)
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    commande = [str(VENV / "gunicorn"), "paps.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers",
                str(workers_nombre), "--timeout", "300", "--log-level", "warning"]
    gunicorn = subprocess.Popen(commande, cwd=RACINE, env=env, start_new_session=True)
    hote = f"http://127.0.0.1:{port}"
    try:
        attendre(f"{hote}/healthz")
        time.sleep(1)
        pids = workers(gunicorn.pid)
        au_demarrage = {pid: rss_ko(pid) for pid in pids}
        urls = requetes_melangees(communes, points, requetes)
        echecs, verrou = [], threading.Lock()

        def appeler(url):
            try:
                with urllib.request.urlopen(hote + url, timeout=300) as reponse:
                    reponse.read()
            except (urllib.error.URLError, OSError, ValueError) as exc:  # HTTP errors included: counted
                with verrou:
                    echecs.append(f"{url} : {exc}")

        debut = time.perf_counter()
        with ThreadPoolExecutor(max_workers=2 * workers_nombre) as groupe:
            list(groupe.map(appeler, urls))
        duree = time.perf_counter() - debut
        apres = {pid: rss_ko(pid) for pid in pids}
        maitre = rss_ko(gunicorn.pid)
        latences = latences_servies(hote, communes)
    finally:
        os.killpg(gunicorn.pid, signal.SIGTERM)
        try:
            gunicorn.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(gunicorn.pid, signal.SIGKILL)
    noter(f"\n(c) Mémoire des workers gunicorn — {etat} (PAPS_REGIONS={regions}) : {workers_nombre} workers, DEBUG=0, "
          f"cache {'Redis' if REDIS_URL else 'mémoire locale'} ; {len(urls)} requêtes mélangées en {duree:.0f} s "
          f"(dont {sum('/communes/?profession' in u for u in urls)} « toute la région »), {len(echecs)} échec(s) ; "
          f"{charge()}")
    for echec in echecs[:5]:
        noter(f"  échec : {echec}")
    noter(f"  maître : VmRSS {maitre['VmRSS'] / 1024:.0f} Mo")
    for quoi, mediane in latences.items():
        noter(f"  servi par gunicorn, requêtes en série après les précédentes, {quoi} : médiane {mediane:.1f} ms")
    lignes = [latences]
    for pid in pids:
        ligne = {"demarrage": au_demarrage[pid]["VmRSS"] / 1024, "apres": apres[pid]["VmRSS"] / 1024,
                 "pic": apres[pid]["VmHWM"] / 1024}
        lignes.append(ligne)
        noter(f"  worker {pid} : VmRSS au démarrage {ligne['demarrage']:.0f} Mo, après les requêtes "
              f"{ligne['apres']:.0f} Mo (pic VmHWM {ligne['pic']:.0f} Mo)")
    return lignes


def collecter_statiques(dossier: Path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "reglages_bench", "BENCH_STATIC_ROOT": str(dossier),
           "PYTHONPATH": os.pathsep.join([str(ICI / "load"), str(RACINE)]), "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1"}
    subprocess.run([str(VENV / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=RACINE, env=env,
                   check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=2, help="workers gunicorn (2, comme les 2 cœurs)")
    parser.add_argument("--requetes", type=int, default=400, help="requêtes mélangées envoyées avant la mesure")
    parser.add_argument("--sans-memoire", action="store_true", help="sans gunicorn (mise au point)")
    args = parser.parse_args()
    logging.disable(logging.INFO)  # the eager tasks' lines, one per data change while loading
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("DATABASE_URL doit désigner un serveur PostgreSQL (la base test_<nom> y est créée).")
    statiques = Path(tempfile.mkdtemp(prefix="paps-bench-echelle-"))
    noter(f"bench/echelle_france.py — machine {os.cpu_count()} cœurs partagés avec d'autres processus ; {charge()}")
    if not args.sans_memoire:
        collecter_statiques(statiques)
    memoires = {}
    with base_jetable() as connection:
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's host
        noter(f"\n=== Base Occitanie seule ({connection.vendor}, {connection.settings_dict['NAME']}) ===")
        charger_occitanie()
        recherche("Occitanie seule, PAPS_REGIONS=76", plans=False)
        medianes_occitanie, reference = eligibilite("Occitanie seule, PAPS_REGIONS=76")
        if not args.sans_memoire:
            memoires["Occitanie seule"] = memoire("Occitanie seule", "76", statiques, args.workers, args.requetes)
    with base_jetable() as connection:
        noter(f"\n=== Base de toute la France ({connection.vendor}, {connection.settings_dict['NAME']}) ===")
        charger_france()
        servir("76")  # first: nothing of the whole of France's answers in this process's memory yet
        recherche("toute la France chargée, PAPS_REGIONS=76", plans=True)
        medianes_76, reponses_76 = eligibilite("toute la France chargée, PAPS_REGIONS=76")
        comparer(reference, reponses_76, "France, 76")
        servir("toutes")
        recherche("toute la France, PAPS_REGIONS=toutes", plans=True)
        medianes_toutes, reponses_toutes = eligibilite("toute la France, PAPS_REGIONS=toutes", toute_la_france=True)
        comparer(reference, reponses_toutes, "France, toutes")
        if not args.sans_memoire:
            memoires["France, 76"] = memoire("toute la France chargée", "76", statiques, args.workers, args.requetes)
            memoires["France, toutes"] = memoire("toute la France", "toutes", statiques, args.workers, args.requetes)
    noter("\n=== Synthèse ===")
    noter(f"  {'mesure (médiane, ms)':44}{'Occitanie seule':>16}{'France, 76':>12}{'France, toutes':>16}")
    for quoi in medianes_occitanie:
        noter(f"  {quoi:44}{medianes_occitanie[quoi]:>16.1f}{medianes_76[quoi]:>12.1f}{medianes_toutes[quoi]:>16.1f}")
    for etat, (latences, *lignes) in memoires.items():
        apres = ", ".join(f"{ligne['apres']:.0f}" for ligne in lignes)
        demarrage = ", ".join(f"{ligne['demarrage']:.0f}" for ligne in lignes)
        noter(f"  mémoire par worker, {etat} : {apres} Mo après les requêtes (au démarrage : {demarrage} Mo) ; "
              "servi par gunicorn : " + ", ".join(f"{quoi} {m:.1f} ms" for quoi, m in latences.items()))
    noter(f"  {charge()}")
    SORTIE.write_text("\n".join(journal) + "\n", encoding="utf-8")
    print(f"\nSortie brute : {SORTIE}")


if __name__ == "__main__":
    main()
