"""API contract of /api/v1/eligibilite/, on the stored catalogue and a test zonage version."""
import datetime

import pytest
from rest_framework.test import APIClient

from aides.catalogue import charger_regles
from aides.models import Contact
from tests.factories import version
from zonages.publication import publier

pytestmark = pytest.mark.django_db
SITUATION_ZIP = {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01", "etape": "installation",
                 "mode": "liberal", "premiere_installation": "oui", "cabinet_secondaire": "non", "secteur": "1"}


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture(autouse=True)
def catalogue_et_zonage():
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032", "31555")))  # test version, not the real one


def aide(corps, code):
    return next(a for a in corps["aides"] if a["code"] == code)


def test_reponse_complete(api):
    reponse = api.get("/api/v1/eligibilite/", SITUATION_ZIP)
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["commune"] == {"code_insee": "34032", "nom": "Béziers"}
    assert corps["profession"] == "medecin-generaliste" and corps["date"] == "2026-03-01"
    assert corps["zonages"]["medecin"] == "ZIP" and corps["zonages"]["infirmier"] is None
    installation = aide(corps, "AM-AIDE-INSTALLATION")
    assert installation["statut"] == "eligible"
    assert installation["montant"]["valeur"] == 10000 and installation["montant"]["unite"] == "unique"
    assert {r["critere"] for r in installation["raisons"]} >= {"profession", "zonage:medecin", "secteur"}
    assert all(r["statut"] == "rempli" for r in installation["raisons"])
    assert installation["sources"] and installation["sources"][0]["lien"].startswith("https://")
    assert installation["contact"]["libelle"] == "CPAM" and installation["contact"]["nom"] is None
    assert "CAIM" not in {a["code"] for a in corps["aides"]}  # closed to new signatures in 2026


def test_eligibles_d_abord(api):
    statuts = [a["statut"] for a in api.get("/api/v1/eligibilite/", {**SITUATION_ZIP, "secteur": ""}).json()["aides"]]
    ordre = {"eligible": 0, "a_preciser": 1, "non_eligible": 2}
    assert statuts == sorted(statuts, key=ordre.get)


def test_a_preciser_avec_questions(api):
    corps = api.get("/api/v1/eligibilite/", {"commune": "34032", "profession": "medecin-generaliste",
                                             "date": "2026-03-01"}).json()
    installation = aide(corps, "AM-AIDE-INSTALLATION")
    assert installation["statut"] == "a_preciser"
    champs = [q["champ"] for q in installation["questions"]]
    assert champs == ["etape", "mode", "premiere_installation", "cabinet_secondaire", "secteur"]
    assert installation["questions"][0]["choix"][0] == {"valeur": "etudiant", "libelle": "étudiant"}


def test_post_json_meme_resultat(api):
    corps_get = api.get("/api/v1/eligibilite/", SITUATION_ZIP).json()
    corps_post = api.post("/api/v1/eligibilite/", {**SITUATION_ZIP, "premiere_installation": True}, format="json").json()
    assert corps_post == corps_get


def test_date_avant_et_apres_un_changement(api):
    avant = api.get("/api/v1/eligibilite/", {**SITUATION_ZIP, "date": "2025-12-31", "demi_journees": "8",
                                             "pdsa": "oui"}).json()
    assert aide(avant, "CAIM")["statut"] == "eligible" and aide(avant, "CAIM")["montant"]["valeur"] == 50000
    assert "AM-AIDE-INSTALLATION" not in {a["code"] for a in avant["aides"]}


def test_contact_du_departement(api):
    Contact.objects.create(departement_id="34", type="cpam", nom="Contact de test CPAM", courriel="test@example.org")
    contact = aide(api.get("/api/v1/eligibilite/", SITUATION_ZIP).json(), "AM-AIDE-INSTALLATION")["contact"]
    assert contact["nom"] == "Contact de test CPAM" and contact["courriel"] == "test@example.org"


@pytest.mark.parametrize("modification, champ, extrait", [
    ({"commune": "99999"}, "commune", "Commune inconnue"),
    ({"commune": None}, "commune", "obligatoire"),
    ({"profession": "plombier"}, "profession", "valeurs permises : medecin-generaliste"),
    ({"date": "2026-02-30"}, "date", "AAAA-MM-JJ"),
    ({"etape": "retraite"}, "etape", "valeurs permises : etudiant, interne"),
    ({"secteur": "3"}, "secteur", "valeurs permises : 1, 2-optam, 2"),
    ({"premiere_installation": "peut-être"}, "premiere_installation", "oui, non"),
    ({"demi_journees": "beaucoup"}, "demi_journees", ""),
    ({"lon": "3.2"}, "lon", "ensemble"),
])
def test_erreurs_400_qui_nomment_le_champ(api, modification, champ, extrait):
    parametres = {k: v for k, v in {**SITUATION_ZIP, **modification}.items() if v is not None}
    reponse = api.get("/api/v1/eligibilite/", parametres)
    assert reponse.status_code == 400
    assert champ in reponse.json() and extrait in " ".join(reponse.json()[champ])


def test_nombre_de_requetes_borne(api, django_assert_max_num_queries):
    api.get("/api/v1/eligibilite/", SITUATION_ZIP)  # warms the catalogue
    with django_assert_max_num_queries(4):  # commune, zonages, QPV, contacts
        api.get("/api/v1/eligibilite/", SITUATION_ZIP)


def test_schema_documente(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/eligibilite/"]["get"]
    noms = {p["name"] for p in operation["parameters"]}
    assert {"commune", "profession", "date", "etape", "mode", "exercice_coordonne", "demi_journees", "secteur",
            "premiere_installation", "age", "maitre_de_stage", "ipa", "porteur_projet", "lon", "lat"} <= noms
    assert "post" in schema["paths"]["/api/v1/eligibilite/"]
