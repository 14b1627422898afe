"""Zonage import and lookup times, on the real files.

    .venv/bin/python bench/zonages.py                                        # SQLite (in memory)
    DATABASE_URL=postgresql://… .venv/bin/python bench/zonages.py            # PostgreSQL (test_<db>)

Loads the region's territories, then times: the national CartoSanté import (34,919 rows, dry run and real),
the médecins import with publication, and the "as of date D" lookups for one kind and for all kinds.
"""
import datetime
import statistics
import time

from _base import RACINE, base_jetable

DONNEES = RACINE / "donnees"
REPETITIONS = 500


def chronometrer(fonction, repetitions=1):
    durees = []
    for _ in range(repetitions):
        debut = time.perf_counter()
        resultat = fonction()
        durees.append(time.perf_counter() - debut)
    return resultat, durees


def main():
    with base_jetable() as connection:
        from territoires.referentiels.chargement import charger_territoires
        from zonages.consultation import zonage_de, zonages_de
        from zonages.imports.execution import DemandeImport, importer_zonage

        charger_territoires(DONNEES)
        print(f"Base : {connection.vendor}")
        national = DONNEES / "france" / "zonage_infirmiers_cartosante_france.csv.gz"
        for essai in (True, False):
            demande = DemandeImport(type="infirmier", valid_from=datetime.date(2024, 1, 1), reference="bench",
                                    essai=essai, publier=not essai)
            resultat, (duree,) = chronometrer(lambda: importer_zonage(national, demande))
            print(f"Import national CartoSanté ({'essai à blanc' if essai else 'écriture + publication'}) : "
                  f"{duree:.2f} s — {resultat.lignes_lues} lignes lues, {resultat.lignes_retenues} retenues")
        demande = DemandeImport(type="medecin", valid_from=datetime.date(2022, 5, 7), reference="bench", publier=True)
        _, (duree,) = chronometrer(lambda: importer_zonage(DONNEES / "zonage_medecins_occitanie.csv", demande))
        print(f"Import médecins Occitanie (écriture + publication) : {duree:.2f} s")

        jour = datetime.date(2025, 1, 1)
        codes = ["34032", "30269", "31555", "48095", "09001"]
        for nom, fonction in [("un type (zonage_de)", lambda: zonage_de(codes[0], "medecin", jour)),
                              ("tous les types (zonages_de)", lambda: zonages_de(codes[1], jour))]:
            _, durees = chronometrer(fonction, REPETITIONS)
            durees = sorted(d * 1000 for d in durees)
            print(f"Consultation {nom} : médiane {statistics.median(durees):.3f} ms, "
                  f"p95 {durees[int(len(durees) * .95)]:.3f} ms ({REPETITIONS} appels)")


if __name__ == "__main__":
    main()
