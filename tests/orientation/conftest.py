import pytest
from django.db import transaction

from aides.catalogue import charger_regles
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES
from zonages.manifeste import charger_zonages_du_manifeste


@pytest.fixture(scope="module")
def region_reelle(django_db_setup, django_db_blocker):
    """The real territories (their points), the zonages and QPV the project ships and the rules, loaded once for the
    module inside a transaction rolled back at its end: the other modules find the session database as it was."""
    with django_db_blocker.unblock():
        bloc = transaction.atomic()
        bloc.__enter__()
        charger_territoires(DONNEES_REELLES)
        charger_zonages_du_manifeste(DONNEES_REELLES)
        charger_regles()
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        bloc.__exit__(None, None, None)
