"""Strict request bodies (issue 18, item 3): every body field is checked by type before it is read. A JSON number,
list or object where a string or a boolean is expected, a number too large for a double (1e400), digits other than
0-9: a 400 naming the field, in French, never a server error, and nothing written.
"""
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token

from structures.models import Offre, Structure

pytestmark = pytest.mark.django_db

BASE = '"commune": "34032", "profession": "medecin-generaliste"'


@pytest.fixture
def client_strict():
    """The server's own answer, a 500 included (Django's test client would raise the exception instead)."""
    return Client(raise_request_exception=False)


# --- Eligibility API ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("champ, valeur, message", [
    ("date", "5", "Type invalide : une chaîne de caractères est attendue (date AAAA-MM-JJ), pas un nombre."),
    ("date", '["2026-01-01"]', "Type invalide : une chaîne de caractères est attendue (date AAAA-MM-JJ), pas une "
                               "liste."),
    ("premiere_installation", "[]", "Type invalide : un booléen (true ou false, ou « oui », « non ») est attendu, "
                                    "pas une liste."),
    ("premiere_installation", "{}", "Type invalide : un booléen (true ou false, ou « oui », « non ») est attendu, "
                                    "pas un objet."),
    ("premiere_installation", "1", "Type invalide : un booléen (true ou false, ou « oui », « non ») est attendu, "
                                   "pas un nombre."),
    ("etape", "true", "Type invalide : une chaîne de caractères est attendue, pas un booléen."),
    ("annee_etudes", "2.5", "Type invalide : un nombre entier est attendu, pas un nombre décimal."),
    ("annee_etudes", "true", "Type invalide : un nombre entier est attendu, pas un booléen."),
    ("annee_etudes", '"٣"', "Nombre entier attendu, écrit avec les chiffres 0 à 9."),
    ("annee_etudes", "1e400", "Nombre hors des limites."),
    ("demi_journees", '"١"', "Nombre attendu, écrit avec les chiffres 0 à 9 (et un point pour les décimales)."),
    ("demi_journees", "1e400", "Nombre hors des limites."),
    ("demi_journees", '{"valeur": 4}', "Type invalide : un nombre est attendu, pas un objet."),
])
def test_eligibilite_un_champ_du_mauvais_type_est_refuse_en_le_nommant(client_strict, champ, valeur, message):
    corps = "{" + BASE + f', "{champ}": {valeur}' + "}"
    reponse = client_strict.post("/api/v1/eligibilite/", data=corps, content_type="application/json")
    assert (reponse.status_code, reponse.json()) == (400, {champ: [message]}), reponse.content


@pytest.mark.parametrize("corps, champ, message", [
    ('{"commune": 34032, "profession": "medecin-generaliste"}', "commune",
     "Type invalide : une chaîne de caractères est attendue (code INSEE), pas un nombre."),
    ('{"commune": ["34032"], "profession": "medecin-generaliste"}', "commune",
     "Type invalide : une chaîne de caractères est attendue (code INSEE), pas une liste."),
    ('{"commune": "34032", "profession": {"code": "infirmier"}}', "profession",
     "Type invalide : une chaîne de caractères est attendue, pas un objet."),
])
def test_eligibilite_commune_et_profession_sont_des_textes(client_strict, corps, champ, message):
    reponse = client_strict.post("/api/v1/eligibilite/", data=corps, content_type="application/json")
    assert (reponse.status_code, reponse.json()) == (400, {champ: [message]})


def test_eligibilite_chiffres_ascii_en_parametres_aussi(client_strict):
    reponse = client_strict.get("/api/v1/eligibilite/", {"commune": "34032", "profession": "infirmier",
                                                          "lon": "٣", "lat": "43.3", "annee_etudes": "²"})
    assert reponse.status_code == 400
    assert reponse.json() == {
        "lon": ["Nombre attendu, écrit avec les chiffres 0 à 9 (et un point pour les décimales)."],
        "annee_etudes": ["Nombre entier attendu, écrit avec les chiffres 0 à 9."]}


def test_eligibilite_les_bons_types_restent_acceptes(client_strict):
    for corps in ({"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01",
                   "premiere_installation": True, "pdsa": "non", "annee_etudes": 3, "demi_journees": 4.5,
                   "lon": 3.2, "lat": 43.34},
                  {"commune": "34032", "profession": "medecin-generaliste", "annee_etudes": "3",
                   "demi_journees": "4.5", "premiere_installation": "oui", "lon": None, "lat": None}):
        reponse = client_strict.post("/api/v1/eligibilite/", data=json.dumps(corps), content_type="application/json")
        assert reponse.status_code == 200, reponse.content


# --- Writes: structures and offers -------------------------------------------------------------------------------

@pytest.fixture
def jeton(db):
    return Token.objects.create(user=User.objects.create_superuser("corps-stricts", "corps@exemple.test", None)).key


OFFRE = ('"titre": "Remplacement de test", "profession": "infirmier", "type": "remplacement", '
         '"employeur": "Cabinet de test", "commune": "34032", "publiee_le": "2026-01-01", "expire_le": "2026-01-31", '
         '"contact_nom": "Contact de test"')
STRUCTURE = '"identifiant": "TEST-CORPS-STRICT", "nom": "ESP de test", "type": "esp", "commune": "34032"'


@pytest.mark.parametrize("base, url", [(OFFRE, "/api/v1/offres/"), (STRUCTURE, "/api/v1/structures/")])
@pytest.mark.parametrize("champ, valeur, message", [
    ("commune", "34032", "Type invalide : une chaîne de caractères est attendue, pas un nombre."),
    ("commune", '{"code_insee": "34032"}', "Type invalide : une chaîne de caractères est attendue, pas un objet."),
])
def test_ecritures_code_commune_en_texte(client_strict, jeton, base, url, champ, valeur, message):
    verifier_refus(client_strict, jeton, url, base, champ, valeur, message)


@pytest.mark.parametrize("champ, valeur, message", [
    ("structure", "1e400", "Nombre hors des limites."),
    ("structure", "1.5", "Type invalide : un numéro (nombre entier positif) est attendu, pas un nombre décimal."),
    ("structure", "true", "Type invalide : un numéro (nombre entier positif) est attendu, pas un booléen."),
    ("structure", '"١"', "Numéro attendu : un nombre entier positif, écrit avec les chiffres 0 à 9."),
    ("structure", "-1", "Numéro attendu : un nombre entier positif, écrit avec les chiffres 0 à 9."),
    ("structure", "99999999999999999999999", "Aucune structure n'a le numéro 99999999999999999999999."),
    ("quotite", '"٥٠"', "Nombre entier attendu, écrit avec les chiffres 0 à 9."),
    ("quotite", "1e400", "Nombre hors des limites."),
    ("quotite", "[50]", "Type invalide : un nombre entier est attendu, pas une liste."),
    ("titre", "5", "Type invalide : une chaîne de caractères est attendue, pas un nombre."),
    ("description", '["a"]', "Type invalide : une chaîne de caractères est attendue, pas une liste."),
    ("publiee_le", "20260101", "Type invalide : une chaîne de caractères est attendue (date AAAA-MM-JJ), pas un "
                               "nombre."),
])
def test_offres_champs_du_mauvais_type(client_strict, jeton, champ, valeur, message):
    verifier_refus(client_strict, jeton, "/api/v1/offres/", OFFRE, champ, valeur, message)


@pytest.mark.parametrize("champ, valeur, message", [
    ("longitude", '"١"', "Nombre attendu, écrit avec les chiffres 0 à 9 (et un point pour les décimales)."),
    ("longitude", "1e400", "Nombre hors des limites."),
    ("longitude", "true", "Type invalide : un nombre est attendu, pas un booléen."),
    ("universitaire", "1", "Type invalide : un booléen (true ou false) est attendu, pas un nombre."),
    ("universitaire", "[]", "Type invalide : un booléen (true ou false) est attendu, pas une liste."),
    ("themes", "[1, 2]", "Type invalide : une chaîne de caractères est attendue, pas un nombre."),
    ("communes", "[34172]", "Type invalide : une chaîne de caractères est attendue, pas un nombre."),
    ("aci_date", "true", "Type invalide : une chaîne de caractères est attendue (date AAAA-MM-JJ), pas un booléen."),
])
def test_structures_champs_du_mauvais_type(client_strict, jeton, champ, valeur, message):
    verifier_refus(client_strict, jeton, "/api/v1/structures/", STRUCTURE, champ, valeur, message)


def verifier_refus(client, jeton, url, base, champ, valeur, message):
    corps = "{" + base + f', "{champ}": {valeur}' + "}"
    avant = (Offre.objects.count(), Structure.objects.count())
    reponse = client.post(url, data=corps, content_type="application/json", HTTP_AUTHORIZATION=f"Token {jeton}")
    assert reponse.status_code == 400, reponse.content
    erreurs = reponse.json()[champ]
    assert message in json.dumps(erreurs, ensure_ascii=False), erreurs
    assert (Offre.objects.count(), Structure.objects.count()) == avant


def test_ecritures_les_bons_types_restent_acceptes(client_strict, jeton):
    structure = Structure.objects.create(identifiant="TEST-EMPLOYEUR", nom="MSP de test", type="msp",
                                         commune_id="34032")
    en_tete = {"HTTP_AUTHORIZATION": f"Token {jeton}"}
    corps = "{" + OFFRE + f', "structure": {structure.pk}, "quotite": 50' + "}"
    assert client_strict.post("/api/v1/offres/", data=corps, content_type="application/json", **en_tete).status_code \
        == 201
    corps = "{" + STRUCTURE + ', "longitude": 3.2, "latitude": 43.34, "universitaire": false, "themes": ["Prévention"],' \
        ' "communes": ["34172"]}'
    assert client_strict.post("/api/v1/structures/", data=corps, content_type="application/json",
                              **en_tete).status_code == 201
    # A form-encoded body sends every value as text: numbers and booleans as their text.
    reponse = client_strict.post("/api/v1/offres/", {
        "titre": "Offre en formulaire", "profession": "infirmier", "type": "remplacement", "employeur": "Cabinet",
        "commune": "34032", "publiee_le": "2026-01-01", "expire_le": "2026-01-31", "contact_nom": "Contact",
        "quotite": "80", "structure": str(structure.pk)}, **en_tete)
    assert reponse.status_code == 201, reponse.content
    assert Offre.objects.get(titre="Offre en formulaire").quotite == 80
