"""The WSGI entry point (paps/wsgi.py) prepares its process before the first request: every view imported, what was
loaded frozen out of the garbage collector's sight. In a process of its own: freezing the test session's objects
would change what the other tests measure."""
import json
import os
import subprocess
import sys

from tests.resilience.serveurs import RACINE

SONDE = """
import gc, json, sys
import paps.wsgi
print(json.dumps({"geles": gc.get_freeze_count(), "vues": "portail.views" in sys.modules and "aides.api" in sys.modules}))
"""


def test_le_processus_est_pret_avant_sa_premiere_requete():
    env = {cle: valeur for cle, valeur in os.environ.items() if cle not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="paps.settings", DEBUG="0", ALLOWED_HOSTS="127.0.0.1",
               SECRET_KEY="cle-de-test-seulement-" + "x" * 40)
    sortie = subprocess.run([sys.executable, "-c", SONDE], cwd=RACINE, env=env, capture_output=True, text=True,
                            timeout=120, check=True)
    etat = json.loads(sortie.stdout.strip().splitlines()[-1])
    assert etat["vues"] is True
    assert etat["geles"] > 50_000  # Django and the apps (some 150,000 objects), not a handful
