"""Benchmarks run Django against a throwaway database (SQLite in memory, or test_<name> on DATABASE_URL's server),
created and dropped by the script, so that nothing of the developer's data is touched."""
import os
import sys
from contextlib import contextmanager
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paps.settings")


@contextmanager
def base_jetable():
    import django

    django.setup()
    from django.db import connection

    nom = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield connection
    finally:
        connection.creation.destroy_test_db(nom, verbosity=0)
