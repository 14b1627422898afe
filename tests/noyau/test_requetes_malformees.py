"""Crafted requests get a clear French answer, never a 500 nor one of Django's English pages: JSON under /api/, a page
of the portal elsewhere. Paging parameters, JSON bodies (nesting, charset), bodies too large or with too many fields,
CSRF failures, unknown ids."""
import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db

ELIGIBILITE = "/api/v1/eligibilite/"


@pytest.fixture
def client():
    """Answers as the server would (no exception raised into the test)."""
    return Client(raise_request_exception=False)


def json_400(reponse) -> dict:
    assert (reponse.status_code, reponse["Content-Type"]) == (400, "application/json"), reponse.content[:300]
    return reponse.json()


def page_en_francais(reponse, statut: int, texte: str):
    assert reponse.status_code == statut, reponse.content[:300]
    assert reponse["Content-Type"].startswith("text/html")
    html = reponse.content.decode()
    assert '<html lang="fr"' in html and texte in html, html[:1500]
    assert "Bad Request" not in html and "Forbidden" not in html


# --- Paging ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("parametre, valeur", [("page", "²"), ("page", "٣"), ("page_size", "²"), ("page", "1.5"),
                                                ("page", "-1"), ("page", "0"), ("page", " 2")])
def test_pagination_chiffres_ascii_seulement(client, parametre, valeur):
    reponse = client.get("/api/v1/communes/", {parametre: valeur})
    assert json_400(reponse) == {parametre: [f"« {valeur} » n'est pas un entier positif."]}


def test_page_au_dela_de_la_derniere(client):
    reponse = client.get("/api/v1/communes/", {"page": "99999999999999999999"})
    assert (reponse.status_code, reponse.json()) == (404, {"detail": "Page non valide."})


# --- JSON bodies -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("profondeur", [33, 1000, 100_000])
def test_corps_json_trop_imbrique(client, profondeur):
    corps = "[" * profondeur + "]" * profondeur
    reponse = client.post(ELIGIBILITE, corps, content_type="application/json")
    assert json_400(reponse) == {"detail": "Le corps de la requête est trop imbriqué (32 niveaux au plus)."}


def test_corps_json_imbrique_dans_la_limite(client):
    corps = {"commune": "34172", "profession": "infirmier", "x": json.loads("[" * 30 + "]" * 30)}
    assert client.post(ELIGIBILITE, corps, content_type="application/json").status_code == 200


@pytest.mark.parametrize("jeu", ["rot13", "inconnu", "base64", "zlib"])
def test_jeu_de_caracteres_inconnu_ou_non_textuel(client, jeu):
    reponse = client.generic("POST", ELIGIBILITE, b'{"commune": "34172"}', content_type=f"application/json; charset={jeu}")
    assert json_400(reponse) == {"detail": f"Jeu de caractères « {jeu} » inconnu : la requête s'envoie en UTF-8."}


def wsgi(chemin: str, requete: str, content_type: str) -> tuple[int, str, str]:
    """A GET through the portal's WSGI application itself (paps/wsgi.py), as gunicorn calls it: Django's test client
    builds its requests without it, and fails itself on such a charset."""
    from django.core import signals
    from django.db import close_old_connections

    from paps.wsgi import application

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": chemin, "QUERY_STRING": requete, "CONTENT_TYPE": content_type,
               "HTTP_HOST": "testserver"}
    setup_testing_defaults(environ)
    reponse = {}
    # Like the test client: the request must not close the test's connection (and its transaction).
    signals.request_finished.disconnect(close_old_connections)
    try:
        corps = b"".join(application(environ, lambda statut, entetes, exc_info=None: reponse.update(
            statut=int(statut.split()[0]), entetes=dict(entetes))))
    finally:
        signals.request_finished.connect(close_old_connections)
    return reponse["statut"], reponse["entetes"]["Content-Type"], corps.decode()


@pytest.mark.parametrize("chemin, requete", [("/api/v1/communes/", "q=abc"), ("/api/v1/communes/34172/", "")])
def test_jeu_de_caracteres_non_textuel_en_lecture(chemin, requete):
    statut, type_, corps = wsgi(chemin, requete, "text/plain; charset=rot13")
    assert (statut, type_) == (400, "application/json")
    assert json.loads(corps) == {"detail": "Jeu de caractères « rot13 » inconnu : la requête s'envoie en UTF-8."}


def test_jeu_de_caracteres_non_textuel_sur_une_page():
    statut, type_, corps = wsgi("/communes/", "q=abc", "text/plain; charset=rot13")
    assert statut == 400 and type_.startswith("text/html")
    assert '<html lang="fr"' in corps and "Jeu de caractères « rot13 » inconnu" in corps


def test_un_jeu_de_caracteres_textuel_est_lu(client):
    corps = '{"commune": "34172", "profession": "infirmier"}'.encode("utf-16")
    reponse = client.generic("POST", ELIGIBILITE, corps, content_type="application/json; charset=utf-16")
    assert reponse.status_code == 200 and reponse.json()["commune"]["nom"] == "Montpellier"


# --- Bodies too large, too many fields -----------------------------------------------------------------------------

def test_corps_trop_gros_api(client, settings):
    corps = json.dumps({"commune": "34172", "x": "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    reponse = client.post(ELIGIBILITE, corps, content_type="application/json")
    assert json_400(reponse) == {"detail": "Le corps de la requête dépasse la taille permise (2,5\u00a0Mo)."}


def test_trop_de_champs_api(client, settings):
    corps = "&".join(f"champ{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    reponse = client.post(ELIGIBILITE, corps, content_type="application/x-www-form-urlencoded")
    assert json_400(reponse) == {"detail": "La requête contient trop de champs (1\u00a0000 au plus)."}


def test_trop_de_champs_sur_une_page(client, settings):
    corps = "&".join(f"champ{i}=1" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    reponse = client.post("/admin/login/", corps, content_type="application/x-www-form-urlencoded")
    page_en_francais(reponse, 400, "La requête contient trop de champs (1\u00a0000 au plus).")


def test_corps_trop_gros_sur_une_page(client, settings):
    corps = "username=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    reponse = client.post("/admin/login/", corps, content_type="application/x-www-form-urlencoded")
    page_en_francais(reponse, 400, "Le corps de la requête dépasse la taille permise (2,5\u00a0Mo).")


# --- CSRF ----------------------------------------------------------------------------------------------------------------

def test_csrf_sur_une_page():
    reponse = Client(enforce_csrf_checks=True, raise_request_exception=False).post(
        "/admin/login/", {"username": "a", "password": "b"})
    page_en_francais(reponse, 403, "Le formulaire a expiré ou ne vient pas du portail")


def test_csrf_sur_l_api_en_session():
    """A logged-in agent's browser session writing to the API without the CSRF token."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.force_login(User.objects.create_superuser("agent-csrf", "agent@exemple.test", None))
    reponse = client.post("/api/v1/structures/", {}, content_type="application/json")
    assert (reponse.status_code, reponse["Content-Type"]) == (403, "application/json")
    assert reponse.json() == {"detail": "Requête refusée : jeton CSRF absent ou invalide (cookie « csrftoken »). "
                                        "Rechargez la page, ou utilisez un jeton d'API (en-tête Authorization)."}


# --- Unknown ids, malformed multipart ------------------------------------------------------------------------------------

def test_identifiant_inconnu_en_francais(client):
    reponse = client.get("/api/v1/offres/999999/")
    assert (reponse.status_code, reponse.json()) == (
        404, {"detail": "Aucune ressource « offre d'emploi » ne correspond à cet identifiant."})


def test_multipart_malforme(client):
    utilisateur = User.objects.create_superuser("agent-multipart", "agent@exemple.test", None)
    jeton = Token.objects.create(user=utilisateur).key
    reponse = client.generic("POST", "/api/v1/structures/", b"--x\r\nabc", content_type="multipart/form-data",
                             HTTP_AUTHORIZATION=f"Token {jeton}")
    detail = json_400(reponse)["detail"]
    assert detail.startswith("Le corps multipart de la requête est invalide"), detail
