"""Each role against each endpoint: what the admin and the API let it read and change.

Roles are the groups created by the migrations (portail/0001, zonages/0004). Records are test-only: a structure and
an offer in Ariège (09) and in Haute-Garonne (31), a contact in each.
"""
import datetime

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from aides.catalogue import charger_regles
from aides.models import Contact, Dispositif
from structures.models import Offre, Structure
from territoires import habilitations
from territoires.models import PerimetreAgent

pytestmark = pytest.mark.django_db

ROLES = ["anonyme", "partenaire", "lecture", "editeur_zonages", "editeur_aides", "delegation_09", "administrateur"]
GROUPES = {
    "partenaire": habilitations.PARTENAIRE, "lecture": habilitations.LECTURE,
    "editeur_zonages": habilitations.EDITEUR_ZONAGES, "editeur_aides": habilitations.EDITEUR_AIDES,
    "delegation_09": habilitations.DELEGATION, "administrateur": habilitations.ADMINISTRATEUR,
}


def creer_utilisateur(role: str) -> User:
    utilisateur = User.objects.create_user(f"test-{role}", password="mot-de-passe-de-test-123",
                                           is_staff=role != "partenaire")
    utilisateur.groups.add(Group.objects.get(name=GROUPES[role]))
    if role == "delegation_09":
        PerimetreAgent.objects.create(utilisateur=utilisateur).departements.add("09")
    return utilisateur


@pytest.fixture
def donnees():
    aujourd_hui = timezone.localdate()

    def structure(code, commune):
        return Structure.objects.create(identifiant=f"TEST-{code}", nom=f"MSP de test {code}", type="msp",
                                        commune_id=commune)

    def offre(code, commune):
        return Offre.objects.create(titre=f"Offre de test {code}", profession="medecin-generaliste", type="salariat",
                                    employeur="Employeur de test", commune_id=commune, contact_nom="Contact de test",
                                    publiee_le=aujourd_hui, expire_le=aujourd_hui + datetime.timedelta(days=30))

    return {
        "structure_09": structure("09", "09122"), "structure_31": structure("31", "31555"),
        "offre_09": offre("09", "09122"), "offre_31": offre("31", "31555"),
        "contact_09": Contact.objects.create(departement_id="09", type="ars", nom="Contact de test 09"),
        "contact_31": Contact.objects.create(departement_id="31", type="ars", nom="Contact de test 31"),
    }


def client_api(role: str) -> APIClient:
    client = APIClient()
    if role != "anonyme":
        jeton = Token.objects.create(user=creer_utilisateur(role))
        client.credentials(HTTP_AUTHORIZATION=f"Token {jeton.key}")
    return client


def structure_json(commune):
    return {"identifiant": f"TEST-NOUVELLE-{commune}", "nom": "ESP de test", "type": "esp", "commune": commune}


def offre_json(commune):
    jour = timezone.localdate().isoformat()
    return {"titre": "Remplacement de test", "profession": "infirmier", "type": "remplacement",
            "employeur": "Cabinet de test", "commune": commune, "publiee_le": jour, "expire_le": jour,
            "contact_nom": "Contact de test"}


# Expected status per role, in the order of ROLES. HORS: 403 because the record is outside the user's perimeter.
HORS = "403 hors périmètre"
REFUS = [401, 403, 403, 403, 403]
ECRITURES = [
    ("post", "/api/v1/structures/", lambda d: structure_json("09225"), REFUS + [201, 201]),
    ("post", "/api/v1/structures/", lambda d: structure_json("31555"), REFUS + [HORS, 201]),
    ("patch", "/api/v1/structures/{structure_09}/", lambda d: {"nom": "MSP renommée"}, REFUS + [200, 200]),
    ("patch", "/api/v1/structures/{structure_31}/", lambda d: {"nom": "MSP renommée"}, REFUS + [HORS, 200]),
    # Moving a structure of the perimeter out of it is refused too.
    ("patch", "/api/v1/structures/{structure_09}/", lambda d: {"commune": "31555"}, REFUS + [HORS, 200]),
    ("delete", "/api/v1/structures/{structure_09}/", lambda d: None, REFUS + [403, 204]),
    ("post", "/api/v1/offres/", lambda d: offre_json("09122"), REFUS + [201, 201]),
    ("post", "/api/v1/offres/", lambda d: offre_json("31555"), REFUS + [HORS, 201]),
    ("post", "/api/v1/offres/", lambda d: {**offre_json("09122"), "structure": d["structure_31"].pk},
     REFUS + [400, 201]),
    ("patch", "/api/v1/offres/{offre_31}/", lambda d: {"titre": "Offre modifiée"}, REFUS + [HORS, 200]),
    ("delete", "/api/v1/offres/{offre_09}/", lambda d: None, REFUS + [204, 204]),
    ("delete", "/api/v1/offres/{offre_31}/", lambda d: None, REFUS + [HORS, 204]),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("methode,url,corps,attendus", ECRITURES,
                         ids=[f"{m} {u} #{i}" for i, (m, u, _, _) in enumerate(ECRITURES)])
def test_ecritures_api_par_role(role, methode, url, corps, attendus, donnees):
    client = client_api(role)
    cible = url.format(**{cle: objet.pk for cle, objet in donnees.items()})
    reponse = getattr(client, methode)(cible, corps(donnees), format="json")
    attendu = attendus[ROLES.index(role)]
    assert reponse.status_code == (403 if attendu == HORS else attendu), reponse.content
    if attendu == HORS:
        assert reponse.json() == {"detail": habilitations.MESSAGE_HORS_PERIMETRE}


def test_ecriture_refusee_ne_change_rien(donnees):
    client = client_api("delegation_09")
    structure = donnees["structure_31"]
    client.patch(f"/api/v1/structures/{structure.pk}/", {"nom": "Piratée"}, format="json")
    client.delete(f"/api/v1/offres/{donnees['offre_31'].pk}/")
    structure.refresh_from_db()
    assert structure.nom == "MSP de test 31"
    assert Offre.objects.filter(pk=donnees["offre_31"].pk).exists()
    assert not Structure.objects.filter(commune_id="31555", identifiant__startswith="TEST-NOUVELLE").exists()


def test_creation_par_l_api_tracee_et_validee_comme_dans_l_administration(donnees):
    client = client_api("delegation_09")
    reponse = client.post("/api/v1/structures/", {**structure_json("09122"), "type": "centre-sante"}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"sous_type": ["Précisez la catégorie du centre de santé."]}
    reponse = client.post("/api/v1/structures/", {**structure_json("09122"), "communes": ["09225"]}, format="json")
    assert reponse.status_code == 201
    assert reponse.json()["commune"]["code_insee"] == "09122"
    assert [c["code_insee"] for c in reponse.json()["communes"]] == ["09122", "09225"]
    structure = Structure.objects.get(pk=reponse.json()["id"])
    assert {h.history_user.username for h in structure.history.all()} == {"test-delegation_09"}
    reponse = client.post("/api/v1/structures/", {**structure_json("09122"), "identifiant": "AUTRE",
                                                  "communes": ["31555"]}, format="json")
    assert reponse.status_code == 400 and reponse.json() == {"communes": [habilitations.MESSAGE_HORS_PERIMETRE]}


@pytest.mark.parametrize("role", ROLES)
def test_lectures_publiques_pour_tous(role, donnees):
    client = client_api(role)
    for url in ["/api/v1/structures/", f"/api/v1/structures/{donnees['structure_31'].pk}/", "/api/v1/offres/",
                "/api/v1/communes/31555/", "/api/v1/zonages/", "/api/v1/cpts/",
                "/api/v1/eligibilite/?commune=31555&profession=infirmier"]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ROLES)
def test_referentiels_non_modifiables_par_l_api(role):
    client = client_api(role)
    for url in ["/api/v1/communes/", "/api/v1/zonages/", "/api/v1/cpts/"]:
        assert client.post(url, {}, format="json").status_code in {401, 403, 405}, url
    assert client.delete("/api/v1/communes/31555/").status_code in {401, 403, 405}


def test_quota_plus_eleve_pour_les_partenaires(monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "4/minute", "user": "3/minute",
                                                               "partenaire": "6/minute"})
    url = "/api/v1/communes/31555/"

    def reussites(client):
        return sum(client.get(url).status_code == 200 for _ in range(8))

    assert reussites(client_api("anonyme")) == 4  # the anonymous quota only, not the lower per-account one
    assert reussites(client_api("lecture")) == 3
    assert reussites(client_api("partenaire")) == 6
    reponse = client_api("anonyme").get(url, REMOTE_ADDR="10.0.0.9")
    assert reponse.status_code == 200  # another address has its own quota


# --- Admin ---------------------------------------------------------------------------------------------------------

def pages_admin(d):
    """(url, expected status per role, in the order of ROLES). 302: sent to the login page (not staff) or, for a
    record outside the perimeter, back to the admin index as "does not exist"."""
    aide = Dispositif.objects.get(code="AM-AIDE-INSTALLATION").pk
    return [
        ("/admin/zonages/zonage/", [302, 302, 200, 200, 200, 200, 200]),
        ("/admin/zonages/importzonage/add/", [302, 302, 403, 200, 403, 403, 200]),
        (f"/admin/aides/dispositif/{aide}/change/", [302, 302, 403, 403, 200, 200, 200]),
        ("/admin/aides/dispositif/add/", [302, 302, 403, 403, 200, 403, 200]),
        (f"/admin/aides/contact/{d['contact_31'].pk}/change/", [302, 302, 403, 403, 200, 302, 200]),
        (f"/admin/aides/contact/{d['contact_09'].pk}/change/", [302, 302, 403, 403, 200, 200, 200]),
        ("/admin/structures/structure/", [302, 302, 403, 403, 403, 200, 200]),
        (f"/admin/structures/structure/{d['structure_09'].pk}/change/", [302, 302, 403, 403, 403, 200, 200]),
        (f"/admin/structures/structure/{d['structure_31'].pk}/change/", [302, 302, 403, 403, 403, 302, 200]),
        (f"/admin/structures/structure/{d['structure_31'].pk}/history/", [302, 302, 403, 403, 403, 403, 200]),
        # No role but the administrator deletes structures (a closure is a dated status).
        (f"/admin/structures/structure/{d['structure_09'].pk}/delete/", [302, 302, 403, 403, 403, 403, 200]),
        ("/admin/structures/importstructures/add/", [302, 302, 403, 403, 403, 403, 200]),
        (f"/admin/structures/offre/{d['offre_31'].pk}/change/", [302, 302, 403, 403, 403, 302, 200]),
        ("/admin/cpts/cpts/add/", [302, 302, 403, 403, 403, 200, 200]),
        ("/admin/auth/user/", [302, 302, 403, 403, 403, 403, 200]),
        ("/admin/authtoken/tokenproxy/", [302, 302, 403, 403, 403, 403, 200]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_pages_d_administration_par_role(role, client, donnees):
    charger_regles()
    if role != "anonyme":
        client.force_login(creer_utilisateur(role))
    for url, attendus in pages_admin(donnees):
        assert client.get(url).status_code == attendus[ROLES.index(role)], url


def test_la_delegation_ne_voit_et_ne_modifie_que_ses_departements(client, donnees):
    client.force_login(creer_utilisateur("delegation_09"))
    liste = client.get("/admin/structures/structure/").content.decode()
    assert "MSP de test 09" in liste and "MSP de test 31" not in liste
    contacts = client.get("/admin/aides/contact/").content.decode()
    assert "Contact de test 09" in contacts and "Contact de test 31" not in contacts
    # A forged POST on a record of another département changes nothing.
    structure = donnees["structure_31"]
    reponse = client.post(f"/admin/structures/structure/{structure.pk}/change/", {"nom": "Piratée"})
    assert reponse.status_code == 302
    structure.refresh_from_db()
    assert structure.nom == "MSP de test 31"
    # Creating a structure in another département: the commune is not among the choices.
    reponse = client.post("/admin/structures/structure/add/", {
        "identifiant": "TEST-ADMIN-31", "nom": "MSP hors périmètre", "type": "msp", "commune": "31555",
        "changements_statut-TOTAL_FORMS": 0, "changements_statut-INITIAL_FORMS": 0,
        "effectifs-TOTAL_FORMS": 0, "effectifs-INITIAL_FORMS": 0})
    assert reponse.status_code == 200 and "commune" in reponse.context["adminform"].form.errors
    assert not Structure.objects.filter(identifiant="TEST-ADMIN-31").exists()


def test_connexion_a_l_administration_bloquee_apres_cinq_echecs(client):
    User.objects.create_user("agent-test", password="bon-mot-de-passe-123", is_staff=True, is_superuser=True)
    for _ in range(4):
        reponse = client.post("/admin/login/", {"username": "agent-test", "password": "mauvais"})
        assert reponse.status_code == 200  # the form again, with its error
    assert client.post("/admin/login/", {"username": "agent-test", "password": "mauvais"}).status_code == 429
    # Locked: even the right password is refused now.
    reponse = client.post("/admin/login/", {"username": "agent-test", "password": "bon-mot-de-passe-123"})
    assert reponse.status_code == 429
    assert "Connexion temporairement bloquée" in reponse.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not locked by these failures.
    User.objects.create_user("collegue-test", password="autre-mot-de-passe-123", is_staff=True)
    reponse = client.post("/admin/login/", {"username": "collegue-test", "password": "autre-mot-de-passe-123"})
    assert reponse.status_code == 302 and client.session["_auth_user_id"]


def test_groupes_crees_par_migration():
    noms = set(Group.objects.values_list("name", flat=True))
    assert set(GROUPES.values()) <= noms
    delegation = Group.objects.get(name=habilitations.DELEGATION)
    codes = set(delegation.permissions.values_list("codename", flat=True))
    assert {"change_structure", "add_offre", "change_cpts", "change_contact"} <= codes
    assert not {"change_zonage", "change_dispositif", "delete_structure", "change_user"} & codes
