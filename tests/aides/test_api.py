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
                 "mode": "liberal", "premiere_installation": "oui", "cabinet_secondaire": "non", "secteur": "1",
                 "aide_installation_10_ans": "non"}


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
    # Without a contact entered for the département, the portal's directory: never "not filled in".
    contact = installation["contact"]
    assert contact["libelle"] == "CPAM" and contact["nom"] == "CPAM de l'Hérault"
    assert contact["liens"][0] == {"titre": "CPAM de l'Hérault sur ameli.fr", "url": "https://www.ameli.fr/herault"}
    assert contact["demarche"] and contact["decide"] == "l'Assurance Maladie (CPAM de l'Hérault)"
    assert "CAIM" not in {a["code"] for a in corps["aides"]}  # closed to new signatures in 2026: listed apart
    caim = next(f for f in corps["dispositifs_fermes"] if f["code"] == "CAIM")
    assert caim["ferme_depuis"] == "2026-01-01" and "AM-AIDE-INSTALLATION" in {r["code"] for r in caim["remplace_par"]}
    assert caim["message"].startswith("Fermé aux nouvelles demandes depuis le 1er janvier 2026, remplacé par : ")
    assert corps["zonage_profession"] == {"type": "medecin", "libelle": "Médecins généralistes", "niveau": "ZIP",
                                          "etat": "connu", "message": "Médecins généralistes : Zone d'intervention "
                                                                      "prioritaire."}
    assert corps["couches_en_vigueur"] == ["medecin"]
    # No QPV loaded in the test database: whether the place is in one is unknown, never "no", and said.
    assert corps["qpv"] is None and [a["couche"] for a in corps["avertissements"]] == ["qpv"]


def test_sources_par_titre_officielles_d_abord(api):
    sources = aide(api.get("/api/v1/eligibilite/", SITUATION_ZIP).json(), "AM-AIDE-INSTALLATION")["sources"]
    assert sources[0] == {
        "reference": "Des aides en faveur de l'exercice en zone sous-dense rénovées (convention médicale 2024-2029) — "
                     "Assurance Maladie (ameli.fr), consultée le 1er décembre 2026",
        "titre": "Des aides en faveur de l'exercice en zone sous-dense rénovées (convention médicale 2024-2029)",
        "editeur": "Assurance Maladie (ameli.fr)", "date": "consultée le 1er décembre 2026", "officielle": True,
        "lien": "https://www.ameli.fr/medecin/textes-reference/convention-medicale-2024-2029/grands-axes-convention-"
                "detail/mesures-fortes-acces-soins/aides-exercice-zone-sous-dense-renovees"}
    officielles = [s["officielle"] for s in sources]
    assert officielles == sorted(officielles, reverse=True) and not officielles[-1]


def test_reponse_conforme_au_schema_documente(api):
    """The documented shape (aides/serializers.py) accepts real answers: aids, closed schemes, obligations."""
    from aides.serializers import ReponseEligibiliteSerializer
    publier(version("SURD", datetime.date(2024, 1, 1), type_="infirmier", communes=("34032",)))
    for parametres in (SITUATION_ZIP, {"commune": "34032", "profession": "infirmier", "date": "2026-03-01"},
                       {"commune": "34032", "profession": "pharmacien", "date": "2019-01-01"}):
        corps = api.get("/api/v1/eligibilite/", parametres).json()
        serializer = ReponseEligibiliteSerializer(data=corps)
        assert serializer.is_valid(), serializer.errors
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    reponse = schema["paths"]["/api/v1/eligibilite/"]["get"]["responses"]["200"]["content"]["application/json"]
    composant = schema["components"]["schemas"][reponse["schema"]["$ref"].rsplit("/", 1)[1]]
    assert {"aides", "obligations", "dispositifs_fermes", "zonage_profession", "avertissements",
            "couches_en_vigueur"} <= set(composant["required"])
    assert "au_choix" in schema["components"]["schemas"]["AideStatutEnum"]["enum"]


def test_contraintes_d_installation_a_part_des_aides(api):
    publier(version("SURD", datetime.date(2024, 1, 1), type_="infirmier", communes=("34032",)))
    corps = api.get("/api/v1/eligibilite/", {"commune": "34032", "profession": "infirmier", "date": "2026-03-01",
                                             "mode": "liberal"}).json()
    assert "REGULATION-INFIRMIERS" not in {a["code"] for a in corps["aides"]}
    regulation = next(o for o in corps["obligations"] if o["code"] == "REGULATION-INFIRMIERS")
    assert regulation["statut"] == "s_applique" and regulation["nature"] == "obligation"
    assert "Infirmiers : Béziers est en zone sur-dotée." in [r["message"] for r in regulation["raisons"]]


def test_aides_exclusives_au_choix(api):
    publier(version("TSD", datetime.date(2024, 1, 1), type_="masseur-kinesitherapeute", communes=("34032",)))
    corps = api.get("/api/v1/eligibilite/", {"commune": "34032", "profession": "masseur-kinesitherapeute",
                                             "date": "2026-03-01", "etape": "installation", "mode": "liberal"}).json()
    caccmk, caimk = aide(corps, "CACCMK"), aide(corps, "CAIMK")
    assert caccmk["statut"] == caimk["statut"] == "au_choix"
    assert [n["code"] for n in caccmk["non_cumulable_avec"]] == ["CAIMK"]
    assert caccmk["non_cumulable_avec"][0]["statut"] == "au_choix" and "un seul" in caccmk["non_cumulable_avec"][0]["motif"]
    assert caccmk["comparaison"].startswith("CACCMK vaut le plus")


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
    assert champs == ["etape", "mode", "premiere_installation", "cabinet_secondaire", "secteur", "aide_installation_10_ans"]
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


def test_seulement_les_dispositifs_de_la_profession(api):
    """A GP is not answered about the kinés' or nurses' contracts, unless she asks for every profession."""
    corps = api.get("/api/v1/eligibilite/", SITUATION_ZIP).json()
    codes = {a["code"] for a in corps["aides"] + corps["obligations"]}
    assert {"CAIMK", "CAPII", "REGULATION-INFIRMIERS"}.isdisjoint(codes) and "AM-AIDE-INSTALLATION" in codes
    tout = api.get("/api/v1/eligibilite/", {**SITUATION_ZIP, "toutes_professions": "oui"}).json()
    autres = {a["code"]: a["statut"] for a in tout["aides"]}
    assert autres["CAIMK"] == "non_eligible" and autres["CAPII"] == "non_eligible"
    assert {"code", "statut"} <= set(tout["aides"][0]) and len(tout["aides"]) > len(corps["aides"])


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
