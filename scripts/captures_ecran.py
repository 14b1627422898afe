"""Takes the README's screenshots from a running portal (default http://127.0.0.1:8000), with Debian's Chromium.

    make run   # in another terminal
    .venv/bin/python scripts/captures_ecran.py [URL]
"""
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
CIBLE = Path(__file__).resolve().parent.parent / "docs" / "captures"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

with sync_playwright() as p:
    navigateur = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
    page = navigateur.new_page(viewport={"width": 1200, "height": 760})
    page.goto(URL + "/")
    page.get_by_role("combobox", name="Rechercher une commune").nth(1).fill("st jean")
    page.get_by_role("option").first.wait_for()
    page.screenshot(path=str(CIBLE / "recherche.png"))
    page.goto(URL + "/communes/30269/")
    page.locator("#carte-commune[data-pret=oui]").wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(CIBLE / "commune.png"))
    navigateur.close()
print(f"Captures écrites dans {CIBLE}")
