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

    origine = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        yield connection
    finally:
        # Drops the throwaway database and gives back the original name (a second base_jetable is test_<name> again).
        connection.creation.destroy_test_db(origine, verbosity=0)
