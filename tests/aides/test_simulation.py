"""One simulation reads the facts of its case once: one Faits, one zonage lookup, one look at the layers in force,
one QPV check (none when no QPV is loaded) per request."""
import collections
import datetime

import pytest

from aides import simulation
from aides.catalogue import charger_regles
from aides.eligibilite.faits import Faits
from aides.eligibilite.vocabulaire import FAITS
from territoires.models import Commune
from tests.factories import version
from zonages.models import QPV
from zonages.publication import publier

pytestmark = pytest.mark.django_db
REQUETE = {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01", "etape": "installation"}


@pytest.fixture(autouse=True)
def catalogue_et_zonage():
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032",)))  # test version, not the real one


@pytest.fixture
def qpv_charges():
    """A test QPV in Montpellier: the QPV layer is loaded, and Béziers has none."""
    QPV.objects.create(code="QN-TEST", nom="Quartier de test", valid_from=datetime.date(2024, 1, 1),
                       geometrie={"type": "MultiPolygon", "coordinates": []}).communes.set(["34172"])


@pytest.fixture
def appels(monkeypatch):
    """How many times each fact is built or read during the test (the real functions still run)."""
    compte = collections.Counter()
    for nom in ("zonages_de", "couches_en_vigueur", "qpv_de_la_commune", "qpv_au_point"):
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
def test_faits_construits_une_fois_par_requete(client, appels, qpv_charges, url):
    reponse = client.get(url, REQUETE)
    assert reponse.status_code == 200
    # The API also copies the facts once with a stand-in for the name (aides/reponse_eligibilite.py): read once all
    # the same.
    faits = 2 if url.startswith("/api/") else 1
    assert appels == {"Faits": faits, "zonages_de": 1, "couches_en_vigueur": 1, "qpv_de_la_commune": 1}


def test_avec_un_point_le_qpv_est_lu_au_point_seulement(client, appels, qpv_charges):
    assert client.get("/api/v1/eligibilite/", {**REQUETE, "lon": "3.2", "lat": "43.3"}).status_code == 200
    assert appels == {"Faits": 2, "zonages_de": 1, "couches_en_vigueur": 1, "qpv_au_point": 1}


def test_sans_qpv_charges_le_qpv_n_est_pas_lu(client, appels):
    """No QPV layer: nothing to read, and the answer is unknown, point or not."""
    assert client.get("/api/v1/eligibilite/", {**REQUETE, "lon": "3.2", "lat": "43.3"}).json()["qpv"] is None
    assert appels == {"Faits": 2, "zonages_de": 1, "couches_en_vigueur": 1}


def test_la_simulation_montre_les_faits_evalues(client, qpv_charges):
    resultat = client.get("/mes-aides/", REQUETE).context["parcours"].simulations[0]
    assert resultat.faits.situation.etape == "installation"
    # The QPV layer is loaded and Béziers has none: known to be outside one.
    assert (resultat.profession, resultat.date, resultat.zonages["medecin"], resultat.qpv) == (
        "medecin-generaliste", datetime.date(2026, 3, 1), "ZIP", False)
    assert resultat.faits.couches_en_vigueur == {"medecin", "qpv"}


def test_page_commune_lit_les_faits_de_la_commune_une_fois(appels, qpv_charges):
    beziers = Commune.objects.get(code_insee="34032")
    groupes = simulation.aides_par_profession(beziers, datetime.date(2026, 3, 1))
    assert len(groupes) == 10
    # The commune's Faits, then one per profession (dataclasses.replace); its zonages and QPV read once for all.
    assert appels == {"Faits": 11, "zonages_de": 1, "couches_en_vigueur": 1, "qpv_de_la_commune": 1}
    # The commune page lists open aids only: no closed scheme, no obligation.
    possibles = [r for g in groupes for r in g.possibles]
    assert possibles and all(r.nature == "aide" and r.statut in {"eligible", "au_choix", "a_preciser"} for r in possibles)


def test_questions_les_plus_decisives_d_abord(client):
    sans_etape = {cle: valeur for cle, valeur in REQUETE.items() if cle != "etape"}
    parcours = client.get("/mes-aides/", sans_etape).context["parcours"]
    assert [q.champ for q in parcours.simulations[0].questions] == [c for c, _ in parcours.questions_ouvertes
                                                                     if c != "quartier"]
    rangs = [list(FAITS).index(champ) for champ, _ in parcours.questions_ouvertes if champ in FAITS]
    assert rangs == sorted(rangs) and parcours.question.champ == "etape"
