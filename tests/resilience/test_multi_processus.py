"""Several processes without Redis: gunicorn with two workers (each with its own local-memory cache) and a
command-line process, on the PostgreSQL test database. What one process changes, every worker shows at its next
request (the cache generations live in the database); the anonymous quota is counted once for all workers.

PostgreSQL only: the SQLite test database is in memory, invisible to another process. In CI these tests may not be
skipped. Transactional tests (what the test writes is committed and seen by the servers); the communes are loaded by
the `base_partagee` fixture, as the other multi-process tests do.
"""
import json
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest

from aides.catalogue import charger_regles
from aides.models import Contact
from tests.resilience.serveurs import JournalAcces, environnement, gunicorn, jusqu_a_chaque_worker
from tests.resilience.test_pannes import RACINE, base_partagee, url_base_de_test  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)
ELIGIBILITE = "/api/v1/eligibilite/?commune=34032&profession=medecin-generaliste"


def get(url: str) -> tuple[int, dict, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reponse:
            return reponse.status, dict(reponse.headers), json.loads(reponse.read())
    except urllib.error.HTTPError as erreur:
        return erreur.code, dict(erreur.headers), json.loads(erreur.read())


@pytest.fixture
def deux_workers(base_partagee, tmp_path):  # noqa: F811 - the fixture imported above
    """gunicorn with 2 workers, no Redis (local-memory cache in each), on the test database, once both workers have
    loaded the portal (each answered /healthz); its access log says which worker served each request. The anonymous
    quota is out of the way unless the test sets API_THROTTLE_ANON."""
    journal = JournalAcces(tmp_path / "acces.log")

    @contextmanager
    def demarrer(API_THROTTLE_ANON="100000/minute"):
        env = environnement(DATABASE_URL=url_base_de_test(), DEBUG="1", API_THROTTLE_ANON=API_THROTTLE_ANON)
        with gunicorn(env, tmp_path / "gunicorn.log", workers=2, acces=journal.chemin) as base:
            jusqu_a_chaque_worker(journal, lambda: urllib.request.urlopen(base + "/healthz", timeout=30).close())
            yield base
    demarrer.journal = journal
    return demarrer


def test_un_contact_modifie_se_voit_de_chaque_worker(deux_workers):
    charger_regles()
    contact = Contact.objects.create(departement_id="34", type="cpam", nom="CPAM de l'Hérault (nom de test)")

    def nom_du_contact():
        statut, _, corps = get(base + ELIGIBILITE)
        assert statut == 200, corps
        return next(a["contact"]["nom"] for a in corps["aides"] if a["contact"]["type"] == "cpam")

    with deux_workers() as base:
        # Each worker answers, and keeps the contacts of the Hérault in its own cache.
        assert set(jusqu_a_chaque_worker(deux_workers.journal, nom_du_contact)) == {"CPAM de l'Hérault (nom de test)"}
        contact.nom = "CPAM de l'Hérault (nom modifié, test)"
        contact.save()  # as the administration would, from another process
        vus = jusqu_a_chaque_worker(deux_workers.journal, nom_du_contact)
    assert set(vus) == {"CPAM de l'Hérault (nom modifié, test)"}


def test_un_qpv_importe_en_ligne_de_commande_se_voit_aussitot(deux_workers, tmp_path):
    """A test polygon (not a real QPV) over Montpellier, imported by `manage.py importer_zonage` while the server
    runs."""
    fichier = tmp_path / "qpv_de_test.geojson"
    fichier.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code_qp": "QPTEST001", "nom_qp": "Quartier de test", "insee_com": "34172"},
        "geometry": {"type": "Polygon", "coordinates": [[[3.87, 43.60], [3.88, 43.60], [3.88, 43.61], [3.87, 43.61],
                                                          [3.87, 43.60]]]}}]}))

    def qpv_au_point():
        statut, _, corps = get(base + "/api/v1/qpv/?lon=3.875&lat=43.605&date=2026-01-01")
        assert statut == 200, corps
        return tuple(q["code"] for q in corps["qpv"])

    with deux_workers() as base:
        assert set(jusqu_a_chaque_worker(deux_workers.journal, qpv_au_point)) == {()}  # each worker's index, empty
        commande = subprocess.run(
            [sys.executable, "manage.py", "importer_zonage", str(fichier), "--type", "qpv", "--valide-du",
             "2024-01-01", "--reference", "QPV de test (fichier de test)"],
            cwd=RACINE, env=environnement(DATABASE_URL=url_base_de_test(), DEBUG="1"), capture_output=True,
            text=True, timeout=120)
        assert commande.returncode == 0, commande.stdout + commande.stderr
        vus = jusqu_a_chaque_worker(deux_workers.journal, qpv_au_point)
    assert set(vus) == {("QPTEST001",)}


def test_le_quota_anonyme_vaut_pour_tous_les_workers(deux_workers):
    """10 requests an hour: 10 pass, whichever worker serves them; then every worker refuses."""
    with deux_workers(API_THROTTLE_ANON="10/hour") as base:
        reponses = jusqu_a_chaque_worker(deux_workers.journal, lambda: get(base + "/api/v1/communes/34172/"),
                                         minimum=30)
    statuts = [statut for statut, _, _ in reponses]
    assert statuts == [200] * 10 + [429] * (len(statuts) - 10)
    _, entetes, corps = reponses[-1]
    assert int(entetes["Retry-After"]) > 0 and "Requête ralentie" in corps["detail"]
