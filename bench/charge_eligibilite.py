"""The eligibility API under concurrent load, against a running portal on this machine (loopback only).

    make run                       # or gunicorn paps.wsgi -w 3 -b 127.0.0.1:8000, in another terminal
    .venv/bin/python bench/charge_eligibilite.py [http://127.0.0.1:8000] [--clients 8] [--secondes 20]

Each client loops over communes and professions for a bounded time; prints requests per second and latency
percentiles. Throttling: run the portal with API_THROTTLE_ANON=1000000/minute for a load test.
"""
import argparse
import itertools
import json
import statistics
import threading
import time
import urllib.error
import urllib.request

COMMUNES = ["34032", "30269", "31555", "48095", "09122", "65440", "12202", "46042", "81004", "66136"]
PROFESSIONS = ["medecin-generaliste", "infirmier", "chirurgien-dentiste", "masseur-kinesitherapeute", "sage-femme"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--secondes", type=float, default=20)
    args = parser.parse_args()
    if not args.url.startswith(("http://127.", "http://localhost", "http://[::1]")):
        raise SystemExit("Cible limitée à cette machine (loopback).")
    durees, erreurs, verrou = [], [], threading.Lock()
    fin = time.monotonic() + args.secondes

    def client(decalage: int):
        cas = itertools.islice(itertools.cycle(itertools.product(COMMUNES, PROFESSIONS)), decalage, None)
        for commune, profession in cas:
            if time.monotonic() > fin:
                return
            url = (f"{args.url}/api/v1/eligibilite/?commune={commune}&profession={profession}"
                   "&etape=installation&mode=liberal&secteur=1&premiere_installation=oui")
            debut = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as reponse:
                    json.load(reponse)
                with verrou:
                    durees.append(time.perf_counter() - debut)
            except (urllib.error.URLError, OSError) as exc:
                with verrou:
                    erreurs.append(str(exc))

    fils = [threading.Thread(target=client, args=(i * 7,)) for i in range(args.clients)]
    debut = time.monotonic()
    for f in fils:
        f.start()
    for f in fils:
        f.join()
    total = time.monotonic() - debut
    if not durees:
        raise SystemExit(f"Aucune réponse ({len(erreurs)} erreurs, ex. {erreurs[:1]})")
    ms = sorted(d * 1000 for d in durees)
    centile = lambda p: ms[min(len(ms) - 1, int(len(ms) * p))]  # noqa: E731
    print(f"{args.clients} clients, {total:.1f} s : {len(ms)} réponses, {len(ms) / total:.1f} req/s, "
          f"{len(erreurs)} erreurs ; p50 {statistics.median(ms):.0f} ms, p95 {centile(.95):.0f} ms, "
          f"p99 {centile(.99):.0f} ms")


if __name__ == "__main__":
    main()
