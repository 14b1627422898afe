"""Zonage map: payload sizes (raw and gzip) and server time to build them, cold (empty cache) and cached.

    .venv/bin/python bench/carte_zonages.py                                  # SQLite (in memory)
    DATABASE_URL=postgresql://… .venv/bin/python bench/carte_zonages.py      # PostgreSQL (test_<db>)

Loads the region's territories with their real outlines and the manifest's zonages, then measures each file as the
portal serves it (through the view, with Django's test client): the region's outlines, each département's, the
départements' limits, and the classification of each kind with a version in force today.
"""
import gzip
import json
import os
import statistics
import time
from pathlib import Path

from _base import RACINE, base_jetable
from django.utils import timezone

DONNEES = Path(os.environ.get("BENCH_SOURCE", RACINE / "donnees"))
REPETITIONS_FROID = 3
REPETITIONS_CACHE = 20


def mesurer(client, url: str):
    """(raw size, gzip size, cold ms median, cached ms median) of one URL."""
    from django.core.cache import cache

    froid = []
    for _ in range(REPETITIONS_FROID):
        cache.clear()
        debut = time.perf_counter()
        reponse = client.get(url)
        froid.append((time.perf_counter() - debut) * 1000)
    assert reponse.status_code == 200, (url, reponse.status_code)
    chaud = []
    for _ in range(REPETITIONS_CACHE):
        debut = time.perf_counter()
        client.get(url)
        chaud.append((time.perf_counter() - debut) * 1000)
    brut = reponse.content
    compresse = client.get(url, headers={"Accept-Encoding": "gzip"})
    taille_gzip = (len(compresse.content) if compresse.get("Content-Encoding") == "gzip"
                   else len(gzip.compress(brut, compresslevel=6)))
    return len(brut), taille_gzip, statistics.median(froid), statistics.median(chaud)


def ko(octets: int) -> str:
    return f"{octets / 1024:,.1f}".replace(",", " ")


def main():
    with base_jetable() as connection:
        import shapely
        from django.test import Client
        from django.test.utils import setup_test_environment
        from shapely.geometry import shape

        from territoires.models import Commune
        from territoires.referentiels.chargement import charger_territoires
        from zonages import carte
        from zonages.manifeste import charger_zonages_du_manifeste

        setup_test_environment()
        charger_territoires(DONNEES)
        charger_zonages_du_manifeste(DONNEES)
        client = Client()
        aujourdhui = timezone.localdate().isoformat()
        stockees = sum(int(shapely.get_num_coordinates(shape(c)))
                       for c in Commune.objects.exclude(contour=None).values_list("contour", flat=True))
        region = carte.contours_region()
        simplifiees = sum(int(shapely.get_num_coordinates(shape(f["geometry"])))
                          for f in json.loads(region.contenu)["features"])
        print(f"Base : {connection.vendor} ; {Commune.objects.exclude(contour=None).count()} communes avec contour")
        print(f"Simplification : région {carte.TOLERANCE_REGION}°, départements {carte.TOLERANCE_DEPARTEMENT}°, "
              f"{carte.DECIMALES} décimales ; coordonnées stockées {stockees}, dans le fichier de la région "
              f"{simplifiees} ({simplifiees / stockees:.0%})")
        print(f"Froid : cache vidé avant chaque appel, médiane de {REPETITIONS_FROID} ; "
              f"en cache : médiane de {REPETITIONS_CACHE}. Temps serveur de bout en bout (vue Django).")
        print(f"{'fichier':<44}{'brut (Ko)':>11}{'gzip (Ko)':>11}{'froid (ms)':>12}{'cache (ms)':>12}")
        urls = [("contours/region.geojson", "/zonages/contours/region.geojson"),
                ("contours/departements.geojson", "/zonages/contours/departements.geojson")]
        urls += [(f"contours/{code}.geojson", f"/zonages/contours/{code}.geojson")
                 for code in carte.departements_de_la_region()]
        versions = carte.versions_en_vigueur(timezone.localdate())
        urls += [(f"classement.json?type={t}", f"/zonages/classement.json?type={t}&date={aujourdhui}")
                 for t in ["medecin", "infirmier", "montagne", "zrr"]]
        urls += [("classement.json?type=zrr&date=2020-01-01", "/zonages/classement.json?type=zrr&date=2020-01-01")]
        urls += [("page /zonages/", "/zonages/"), ("tableau/ (page 1)", "/zonages/tableau/"),
                 ("tableau.csv (toute la région)", "/zonages/tableau.csv")]
        for nom, url in urls:
            brut, compresse, froid, chaud = mesurer(client, url)
            print(f"{nom:<44}{ko(brut):>11}{ko(compresse):>11}{froid:>12.1f}{chaud:>12.2f}")
        print(f"Versions en vigueur le {aujourdhui} : {', '.join(sorted(versions)) or 'aucune'}")


if __name__ == "__main__":
    main()
