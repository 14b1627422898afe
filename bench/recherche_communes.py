"""Commune search with all of France loaded: query plans (PostgreSQL) and timings, on the portal's own query.

    DATABASE_URL=postgresql://… .venv/bin/python bench/recherche_communes.py
    .venv/bin/python bench/recherche_communes.py        # SQLite, for comparison (no plans)
"""
import os
import statistics
import time
from pathlib import Path

from _base import RACINE, base_jetable

SOURCE = Path(os.environ.get("BENCH_SOURCE", RACINE / "donnees" / "france"))
REQUETES = ["beziers", "saint jean du gard", "St-Jean", "sa", "jean", "montpellier", "34500", "31", "2A004"]
REPETITIONS = 50
TAILLE_PAGE = 20


def main():
    with base_jetable() as connection:
        from territoires.models import Commune
        from territoires.recherche import rechercher_communes
        from territoires.referentiels.chargement import charger_territoires

        charger_territoires(SOURCE)
        print(f"Base : {connection.vendor}, {Commune.objects.count()} communes")
        if connection.vendor == "postgresql":
            with connection.cursor() as curseur:
                curseur.execute("ANALYZE")
        print(f"{'requête':<22}{'résultats':>10}{'médiane (ms)':>14}{'p95 (ms)':>10}")
        for texte in REQUETES:
            requete = rechercher_communes(texte)
            total = requete.count()
            durees = []
            for _ in range(REPETITIONS):
                debut = time.perf_counter()
                list(requete.all()[:TAILLE_PAGE])
                durees.append((time.perf_counter() - debut) * 1000)
            durees.sort()
            p95 = durees[int(len(durees) * 0.95) - 1]
            print(f"{texte:<22}{total:>10}{statistics.median(durees):>14.2f}{p95:>10.2f}")
        if connection.vendor == "postgresql":
            for texte in ["saint jean du gard", "jean", "34500"]:
                print(f"\nEXPLAIN ANALYZE — « {texte} »")
                print(rechercher_communes(texte)[:TAILLE_PAGE].explain(analyze=True))


if __name__ == "__main__":
    main()
