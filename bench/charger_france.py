"""Times a full-France load of the territories (about 35,000 communes) with the portal's own loader.

    .venv/bin/python bench/charger_france.py                      # SQLite (in memory)
    DATABASE_URL=postgresql://… .venv/bin/python bench/charger_france.py   # PostgreSQL (uses test_<db>)

Prints the time of a first load, then of a second one (which must write nothing).
"""
import os
import time
from pathlib import Path

from _base import RACINE, base_jetable

SOURCE = Path(os.environ.get("BENCH_SOURCE", RACINE / "donnees" / "france"))


def main():
    with base_jetable() as connection:
        from territoires.models import Commune
        from territoires.referentiels.chargement import charger_territoires

        print(f"Base : {connection.vendor} — source : {SOURCE}")
        for passage in ("premier chargement", "second chargement (idempotent)"):
            debut = time.perf_counter()
            rapport = charger_territoires(SOURCE)
            duree = time.perf_counter() - debut
            print(f"{passage} : {duree:.1f} s — {rapport.changements} changement(s), "
                  f"{Commune.objects.count()} communes en base")


if __name__ == "__main__":
    main()
