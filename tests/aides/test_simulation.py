"""One simulation reads the facts of its case once: one Faits, one zonage lookup, one QPV check per request."""
import collections
import datetime

import pytest

from aides import simulation
from aides.catalogue import charger_regles
from aides.eligibilite.faits import Faits
from aides.eligibilite.vocabulaire import FAITS
from territoires.models import Commune
from tests.factories import version
from zonages.publication import publier

pytestmark = pytest.mark.django_db
REQUETE = {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01", "etape": "installation"}


@pytest.fixture(autouse=True)
def catalogue_et_zonage():
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032",)))  # test version, not the real one


@pytest.fixture
def appels(monkeypatch):
    """How many times each fact is built or read during the test (the real functions still run)."""
    compte = collections.Counter()
    for nom in ("zonages_de", "qpv_de_la_commune", "qpv_au_point"):
        fonction = getattr(simulation, nom)

        def espion(*args, _fonction=fonction, _nom=nom, **kwargs):
            compte[_nom] += 1
            return _fonction(*args, **kwargs)
        monkeypatch.setattr(simulation, nom, espion)
    construire = Faits.__init__

    def construction(self, *args, **kwargs):
        compte["Faits"] += 1
        construire(self, *args, **kwargs)
    monkeypatch.setattr(Faits, "__init__", construction)
    return compte


@pytest.mark.parametrize("url", ["/api/v1/eligibilite/", "/mes-aides/"])
def test_faits_construits_une_fois_par_requete(client, appels, url):
    reponse = client.get(url, REQUETE)
    assert reponse.status_code == 200
    assert appels == {"Faits": 1, "zonages_de": 1, "qpv_de_la_commune": 1}


def test_avec_un_point_le_qpv_est_lu_au_point_seulement(client, appels):
    assert client.get("/api/v1/eligibilite/", {**REQUETE, "lon": "3.2", "lat": "43.3"}).status_code == 200
    assert appels == {"Faits": 1, "zonages_de": 1, "qpv_au_point": 1}


def test_la_simulation_montre_les_faits_evalues(client):
    resultat = client.get("/mes-aides/", REQUETE).context["simulation"]
    assert resultat.faits.situation.etape == "installation"
    # Béziers has no QPV in the test database: known to be outside one.
    assert (resultat.profession, resultat.date, resultat.zonages["medecin"], resultat.qpv) == (
        "medecin-generaliste", datetime.date(2026, 3, 1), "ZIP", False)


def test_page_commune_lit_les_faits_de_la_commune_une_fois(appels):
    beziers = Commune.objects.get(code_insee="34032")
    groupes = simulation.aides_par_profession(beziers, datetime.date(2026, 3, 1))
    assert len(groupes) == 10
    # The commune's Faits, then one per profession (dataclasses.replace); its zonages and QPV read once for all.
    assert appels == {"Faits": 11, "zonages_de": 1, "qpv_de_la_commune": 1}


def test_questions_les_plus_decisives_d_abord(client):
    sans_etape = {cle: valeur for cle, valeur in REQUETE.items() if cle != "etape"}
    questions = client.get("/mes-aides/", sans_etape).context["simulation"].questions
    rangs = [list(FAITS).index(q.champ) for q in questions if q.champ in FAITS]
    assert rangs == sorted(rangs) and questions[0].champ == "etape"
