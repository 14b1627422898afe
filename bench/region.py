"""The whole region for one profile (GET /api/v1/eligibilite/communes/, 4,446 communes in one page) against one
single-commune answer (GET /api/v1/eligibilite/) for the same profile, on the same process and database.

    .venv/bin/python bench/region.py [--repetitions 5]

Loads the real territories, the manifest zonages and the rule files into a throwaway database, then times both
requests through Django's whole stack (test client: middleware, form, engine, serialisation). « froid »: every cache
generation renewed before each request (the engine's own memo of leaves and versions kept: it belongs to the
rules, compiled once per process); « profil nouveau »: the data in cache but a situation never asked before (its
number of half-days), so that the engine answers afresh; « chaud »: the same request again. Medians; the machine's load average is
printed (other processes share its cores)."""
import argparse
import os
import statistics
import time

from _base import RACINE, base_jetable

os.environ.setdefault("API_THROTTLE_ANON", "1000000/second")
DONNEES = RACINE / "donnees"
PROFIL = {"profession": "medecin-generaliste", "etape": "installation", "secteur": "1", "date": "2026-03-01"}
COMMUNES = ["31555", "82033", "12202", "34172", "48095"]  # Toulouse, Castelsarrasin, Rodez, Montpellier, Mende


def mesurer(client, url, parametres, repetitions, avant=None) -> list[float]:
    durees = []
    for i in range(repetitions):
        if avant:
            avant()
        debut = time.perf_counter()
        reponse = client.get(url, parametres[i % len(parametres)])
        durees.append(time.perf_counter() - debut)
        assert reponse.status_code == 200, reponse.content[:300]
    return durees


def mesures(client, repetitions: int, region: str = "toute la région") -> dict[str, list[float]]:
    """The six measures (one commune and the whole served region; cold, new profile, warm), in seconds: also run by
    bench/echelle_france.py on its databases."""
    from noyau import cache_generations

    def renouveler():
        cache_generations.invalider(*sorted(cache_generations.DOMAINES))

    une = [{**PROFIL, "commune": code} for code in COMMUNES]
    toute = [{**PROFIL, "page_size": 5000}]
    mesurer(client, "/api/v1/eligibilite/", une, 2)  # imports, compiled rules
    return {
        "une commune, froid": mesurer(client, "/api/v1/eligibilite/", une, repetitions, renouveler),
        "une commune, profil nouveau": mesurer(client, "/api/v1/eligibilite/", [
            {**une[i % len(une)], "demi_journees": i % 7} for i in range(repetitions)], repetitions),
        "une commune, chaud": mesurer(client, "/api/v1/eligibilite/", une[:1], repetitions),
        f"{region}, froid": mesurer(client, "/api/v1/eligibilite/communes/", toute, repetitions, renouveler),
        f"{region}, profil nouveau": mesurer(client, "/api/v1/eligibilite/communes/", [
            {**toute[0], "demi_journees": 7 + i % 7} for i in range(repetitions)], repetitions),
        f"{region}, chaud": mesurer(client, "/api/v1/eligibilite/communes/", toute, repetitions),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repetitions", type=int, default=7, help="at most 7: the new profiles are 7 values")
    args = parser.parse_args()
    with base_jetable():
        from django.test import Client
        from django.test.utils import setup_test_environment

        from aides.catalogue import charger_regles
        from territoires.referentiels.chargement import charger_territoires
        from zonages.manifeste import charger_zonages_du_manifeste

        setup_test_environment()
        charger_territoires(DONNEES)
        charger_zonages_du_manifeste(DONNEES)
        charger_regles()
        from noyau.wsgi import preparer_le_processus

        preparer_le_processus()  # as each WSGI worker does before its first request
        client = Client()

        resultats = mesures(client, args.repetitions)
        corps = client.get("/api/v1/eligibilite/communes/", {**PROFIL, "page_size": 5000}).json()
        print(f"Toute la région : {corps['count']} communes, {corps['groupes_evalues']} évaluations du moteur")
        medianes = {quoi: statistics.median(d) * 1000 for quoi, d in resultats.items()}
        for quoi, mediane in medianes.items():
            print(f"{quoi:32} médiane {mediane:8.1f} ms  (min {min(resultats[quoi]) * 1000:.1f}, "
                  f"max {max(resultats[quoi]) * 1000:.1f}, n={len(resultats[quoi])})")
        for etat in ("froid", "profil nouveau", "chaud"):
            print(f"Rapport région / une commune ({etat}) : "
                  f"{medianes[f'toute la région, {etat}'] / medianes[f'une commune, {etat}']:.1f}")
        print(f"Charge moyenne de la machine (1, 5, 15 min) : {os.getloadavg()}")


if __name__ == "__main__":
    main()
