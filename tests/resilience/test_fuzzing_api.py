"""Fuzzing of the public API (schemathesis): every operation of /api/v1/schema/, positive and negative inputs,
with no server error and every response (status, content type, body) matching the schema.

The schema is the one drf-spectacular serves, loaded once from the WSGI application; the requests go through the
same application in-process, inside the test's transaction, on the session database (the 4,446 communes) plus a
little fictitious data seeded here, so that detail endpoints answer with real objects and not only 404.

Passes: every operation anonymously (writes must answer 401); then every operation with a body again, once per
content type the schema accepts (JSON, form-urlencoded, multipart), with the API token of an account holding every
right, so that each body's validation is fuzzed in each encoding (all rolled back with the test).
Bounded and reproducible for CI: a fixed seed, a fixed number of examples per operation, no example database.
"""
import copy
import datetime
import json
import zlib

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi import checks as checks_openapi

from cpts.models import Cpts, Mission, TerritoireCpts
from structures.models import ChangementStatut, EffectifProfession, Offre, Structure
from zonages.models import QPV, Classement, Zonage
from zonages.publication import publier

pytestmark = pytest.mark.django_db

EXEMPLES_PAR_OPERATION = 25
METHODES_ECRITURE = ["POST", "PUT", "PATCH", "DELETE"]
LECTURE_EN_POST = "/api/v1/eligibilite/"  # POST here is a read (the same question as GET, in JSON)
D = datetime.date

CONFIGURATION = SchemathesisConfig.from_dict({
    "seed": 20260101,
    "generation": {"deterministic": True, "database": "none"},
    # Generation must not depend on earlier responses (their ids follow the database's sequences).
    "phases": {phase: {"extra-data-sources": {"responses": False}} for phase in ("examples", "coverage")}
    | {"fuzzing": {"extra-data-sources": {"responses": False}, "error-feedback": {"enabled": False}}},
    # The coverage phase (hundreds of boundary cases per operation) is kept for reads; for writes, whose first
    # answer is 401 or a body validation, the generated examples are enough.
    "operations": [{"include-method": METHODES_ECRITURE, "exclude-path": LECTURE_EN_POST,
                    "phases": {"coverage": {"enabled": False}}}],
})
# Each content type's pass: the generated examples only (the anonymous pass runs the coverage phase of the
# eligibility's POST already, with its hundreds of boundary cases).
CONFIGURATION_PAR_CONTENU = SchemathesisConfig.from_dict({
    "seed": 20260101,
    "generation": {"deterministic": True, "database": "none"},
    "phases": {"examples": {"extra-data-sources": {"responses": False}}, "coverage": {"enabled": False},
               "fuzzing": {"extra-data-sources": {"responses": False}, "error-feedback": {"enabled": False}}},
})
application = get_wsgi_application()
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, config=CONFIGURATION)
TYPES_DE_CONTENU = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"]


def schema_en(type_de_contenu: str | None, methodes: list[str]):
    """The API's operations of `methodes`, with one content type per request body: schemathesis draws one of a
    body's content types at random; here each is fuzzed on its own, for every operation that takes a body. (Loaded
    from the schema's document with a configuration of its own: include() does not filter a schema whose
    configuration has rules per operation.)"""
    brut = copy.deepcopy(schema.raw_schema)
    for operations in brut["paths"].values():
        for operation in operations.values():
            contenu = (operation.get("requestBody") or {}).get("content")
            if contenu and type_de_contenu:
                assert type_de_contenu in contenu, operation["operationId"]
                operation["requestBody"]["content"] = {type_de_contenu: contenu[type_de_contenu]}
    charge = schemathesis.openapi.from_dict(json.loads(json.dumps(brut)), config=CONFIGURATION_PAR_CONTENU)
    charge.app = application
    return charge.include(method=methodes)


corps_json, corps_formulaire, corps_multipart = (schema_en(t, ["POST", "PUT", "PATCH"]) for t in TYPES_DE_CONTENU)
suppressions = schema_en(None, ["DELETE"])

VERIFICATIONS = [
    schemathesis.checks.not_a_server_error,
    checks_openapi.status_code_conformance,
    checks_openapi.content_type_conformance,
    checks_openapi.response_schema_conformance,
]
REGLAGES = settings(
    max_examples=EXEMPLES_PAR_OPERATION, deadline=None, derandomize=True, database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing example is reported as found
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large],
)

# Path parameters of the objects seeded by `donnees_de_test`, by operation path, for the current test.
OBJETS_REELS: dict[str, dict[str, object]] = {}
# Real codes: current communes, an old code (404 naming the current commune), a code outside the region.
COMMUNES_REELLES = ["34032", "34172", "09278", "2A004"]


def _tirage(*valeurs) -> int:
    """A reproducible choice from a case's own content (Python's hash() is salted per process)."""
    return zlib.crc32(repr(valeurs).encode())


def map_case(context, case):
    """Half of the generated cases aim at real data instead of random values that would only give 404 or 400:
    a seeded object's id, a real commune code (in the path, the query or a write's body)."""
    if _tirage(case.path_parameters, case.query, case.body) % 2:
        return case
    reels = OBJETS_REELS.get(case.operation.path, {})
    commune = COMMUNES_REELLES[_tirage(case.query, case.body) % len(COMMUNES_REELLES)]
    for nom in case.path_parameters or {}:
        if nom in reels:
            case.path_parameters[nom] = reels[nom]
        elif nom == "code_insee":
            case.path_parameters[nom] = commune
    if isinstance(case.query, dict) and "commune" in case.query:
        case.query["commune"] = commune
    if isinstance(case.body, dict):
        if "commune" in case.body:
            case.body["commune"] = commune
        if isinstance(case.body.get("communes"), list):
            case.body["communes"] = [commune]
    return case


for _schema in (schema, corps_json, corps_formulaire, corps_multipart, suppressions):
    _schema.hook(map_case)


@pytest.fixture
def application_dans_la_transaction():
    """Like Django's test client: a request must not close the test's connection (and its transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def donnees_de_test():
    """Fictitious objects for every detail endpoint: zonage versions (and a draft), a QPV, a structure, a CPTS, an
    offer."""
    communes = ("34032", "31555", "48095")
    for niveau, debut in [("ZAC", D(2018, 10, 1)), ("ZIP", D(2022, 5, 7))]:
        version = Zonage.objects.create(type="medecin", reference=f"Arrêté de test du {debut}", valid_from=debut)
        Classement.objects.bulk_create([Classement(zonage=version, commune_id=c, niveau=niveau) for c in communes])
        publier(version)
    Zonage.objects.create(type="medecin", reference="Brouillon de test", valid_from=D(2026, 1, 1))
    qpv = QPV.objects.create(code="QPTEST001", nom="Quartier de test", valid_from=D(2024, 1, 1), geometrie={
        "type": "Polygon", "coordinates": [[[3.87, 43.60], [3.88, 43.60], [3.88, 43.61], [3.87, 43.61], [3.87, 43.60]]]})
    qpv.communes.add("34172")
    structure = Structure.objects.create(
        identifiant="TEST-FUZZ-1", nom="MSP de test du fuzzing", type="msp", universitaire=True, commune_id="34172",
        adresse="1 rue de test", longitude=3.87, latitude=43.61, aci_signe=True, aci_date=D(2021, 6, 1),
        email="contact@exemple.test", site_web="https://exemple.test/msp", themes=["Prévention"])
    structure.communes.add("34172", "34032")
    ChangementStatut.objects.create(structure=structure, statut="projet", date=D(2019, 1, 15))
    ChangementStatut.objects.create(structure=structure, statut="ouverte", date=D(2020, 9, 1))
    EffectifProfession.objects.create(structure=structure, profession="medecin-generaliste", nombre=4)
    cpts = Cpts.objects.create(nom="CPTS de test du fuzzing", population_declaree=50000)
    TerritoireCpts.objects.create(cpts=cpts, commune_id="34172", valid_from=D(2020, 1, 1))
    Mission.objects.create(cpts=cpts, code="prevention")
    aujourdhui = timezone.localdate()
    offre = Offre.objects.create(
        titre="Poste de test du fuzzing", profession="medecin-generaliste", type="salarie", structure=structure,
        commune_id="34172", publiee_le=aujourdhui - datetime.timedelta(days=5),
        expire_le=aujourdhui + datetime.timedelta(days=30), contact_nom="Contact de test")
    objets = {"zonages": Zonage.objects.filter(statut="publie").latest("valid_from"), "structures": structure,
              "cpts": cpts, "offres": offre}
    OBJETS_REELS.clear()
    OBJETS_REELS.update({f"/api/v1/{nom}/{{id}}/": {"id": objet.pk} for nom, objet in objets.items()})
    yield objets
    OBJETS_REELS.clear()


@pytest.fixture
def jeton_tous_droits(db):
    """The API token of an account holding every right (no territorial restriction)."""
    utilisateur = User.objects.create_superuser("fuzzing-test", "fuzzing@exemple.test", None)
    return Token.objects.create(user=utilisateur).key


@schema.parametrize()
@REGLAGES
def test_api_anonyme(case, application_dans_la_transaction, donnees_de_test):
    cache.clear()  # throttling stays on (429 is documented) but never fires during fuzzing
    reponse = case.call_and_validate(checks=VERIFICATIONS)
    if case.method.upper() in METHODES_ECRITURE and case.path != LECTURE_EN_POST:
        assert reponse.status_code in (401, 403, 404, 405), "une écriture anonyme doit être refusée"


def appeler_avec_le_jeton(case, jeton: str):
    cache.clear()
    case.headers = {**(case.headers or {}), "Authorization": f"Token {jeton}"}
    case.call_and_validate(checks=VERIFICATIONS)


@suppressions.parametrize()
@REGLAGES
def test_api_suppressions_authentifiees(case, application_dans_la_transaction, donnees_de_test, jeton_tous_droits):
    appeler_avec_le_jeton(case, jeton_tous_droits)


@corps_json.parametrize()
@REGLAGES
def test_api_corps_json(case, application_dans_la_transaction, donnees_de_test, jeton_tous_droits):
    assert case.media_type in (None, "application/json")  # None: a case without a body
    appeler_avec_le_jeton(case, jeton_tous_droits)


@corps_formulaire.parametrize()
@REGLAGES
def test_api_corps_formulaire(case, application_dans_la_transaction, donnees_de_test, jeton_tous_droits):
    assert case.media_type in (None, "application/x-www-form-urlencoded")  # None: a case without a body
    appeler_avec_le_jeton(case, jeton_tous_droits)


@corps_multipart.parametrize()
@REGLAGES
def test_api_corps_multipart(case, application_dans_la_transaction, donnees_de_test, jeton_tous_droits):
    assert case.media_type in (None, "multipart/form-data")  # None: a case without a body
    appeler_avec_le_jeton(case, jeton_tous_droits)


def test_conventions_d_erreur_de_l_api(client):
    """What the fuzzer found, pinned: every operation documents 401 and 429; errors are JSON and in French, even for a
    malformed address or when the CSV was asked for; a missing final slash still redirects."""
    document = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for chemin, operations in document["paths"].items():
        for methode, operation in operations.items():
            assert {"401", "429"} <= set(operation["responses"]), (methode, chemin)
    for adresse, message in [("/api/v1/communes/abc/", "Aucune ressource de l'API à cette adresse."),
                             ("/api/v1/zonages/999999/?format=csv", "Aucune version publiée de zonage n'a le numéro "
                                                                    "999999."),
                             ("/api/v1/communes/99999/zonages/", "Aucune commune n'a le code INSEE 99999.")]:
        reponse = client.get(adresse)
        assert (reponse.status_code, reponse["Content-Type"], reponse.json()) == (
            404, "application/json", {"detail": message}), adresse
    assert client.get("/api/v1/communes/09278/zonages/").json()["commune_actuelle"] == "09030"
    assert client.post("/api/v1/nulle-part/").json() == {"detail": "Aucune ressource de l'API à cette adresse."}
    assert client.get("/api/v1/communes").status_code == 301


@pytest.mark.parametrize("corps, message", [
    ('{"commune": "34172",', "Le corps de la requête n'est pas du JSON valide (ligne 1, colonne 21)."),
    ('{\n  "commune": 34172\n  "profession": "infirmier"}', "Le corps de la requête n'est pas du JSON valide "
                                                            "(ligne 3, colonne 3)."),
    ('{"commune": NaN}', "Le corps de la requête n'est pas du JSON valide : « NaN » n'est pas une valeur JSON."),
    (b'{"commune": "B\xe9ziers"}', "Le corps de la requête n'est pas un texte utf-8."),
])
def test_un_corps_json_invalide_est_refuse_en_francais(client, corps, message):
    reponse = client.post("/api/v1/eligibilite/", data=corps, content_type="application/json")
    assert (reponse.status_code, reponse.json()) == (400, {"detail": message})
