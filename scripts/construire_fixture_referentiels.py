"""Builds fixtures/referentiels/ : the region's territories, extracted from the npm package
@etalab/decoupage-administratif (Licence Ouverte), so the portal starts without any data directory.

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python scripts/construire_fixture_referentiels.py package/data

(`donnees/france` holds the same unchanged package files and works too.) One record per line, so that a
new vintage reads as a small diff.
"""
import argparse
import json
from pathlib import Path

CIBLE = Path(__file__).resolve().parent.parent / "fixtures" / "referentiels"


def ecrire(nom: str, enregistrements: list[dict]):
    lignes = ",\n".join(json.dumps(e, ensure_ascii=False, separators=(",", ":")) for e in enregistrements)
    (CIBLE / nom).write_text(f"[\n{lignes}\n]\n", encoding="utf-8")
    print(f"{nom} : {len(enregistrements)} enregistrements")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dossier", type=Path, help="dossier data/ du paquet decoupage-administratif")
    parser.add_argument("--region", default="76", help="code INSEE de la région (défaut : 76, Occitanie)")
    args = parser.parse_args()
    charger = lambda nom: json.loads((args.dossier / nom).read_text(encoding="utf-8"))  # noqa: E731

    regions = [r for r in charger("regions.json") if r["code"] == args.region]
    departements = [d for d in charger("departements.json") if d.get("region") == args.region]
    communes = [c for c in charger("communes.json") if c.get("region") == args.region
                and c.get("type") in {"commune-actuelle", "commune-deleguee", "commune-associee"}]
    codes = {c["code"] for c in communes if c["type"] == "commune-actuelle"}
    epci = [e for e in charger("epci.json") if any(m["code"] in codes for m in e.get("membres", []))]
    CIBLE.mkdir(parents=True, exist_ok=True)
    ecrire("regions.json", regions)
    ecrire("departements.json", departements)
    ecrire("communes.json", communes)
    ecrire("epci.json", epci)


if __name__ == "__main__":
    main()
