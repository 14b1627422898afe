"""The client's address behind PROXY_COUNT trusted proxies: what the login lockout (django-axes) and the API quotas key
on. Each proxy appends to X-Forwarded-For the address it received the request from, so the client's address is the
PROXY_COUNT-th from the right; whatever a client writes there itself lies further left and is never taken."""
import pytest
from django.contrib.auth.models import User

from noyau.adresses import adresse_client

PROXY = "10.0.0.2"  # the reverse proxy in front of the portal
AGENT, ATTAQUANT = "203.0.113.10", "198.51.100.66"  # documentation addresses (RFC 5737)


class Requete:
    def __init__(self, remote_addr, xff=None):
        self.META = {"REMOTE_ADDR": remote_addr, **({"HTTP_X_FORWARDED_FOR": xff} if xff is not None else {})}


@pytest.mark.parametrize("proxys, remote_addr, xff, attendue", [
    (0, AGENT, None, AGENT),
    (0, AGENT, "1.2.3.4", AGENT),  # no proxy: the header is the client's own words
    (1, PROXY, AGENT, AGENT),
    (1, PROXY, f"{AGENT}, {ATTAQUANT}", ATTAQUANT),  # the attacker forged the left part; the proxy appended its own
    (1, PROXY, f"1.2.3.4,{ATTAQUANT}", ATTAQUANT),
    (2, PROXY, f"{AGENT}, 10.0.0.1", AGENT),
    (2, PROXY, f"{AGENT}, {ATTAQUANT}, 10.0.0.1", ATTAQUANT),
    (1, PROXY, "2001:db8::5", "2001:db8::5"),
    (1, PROXY, "203.0.113.10:51234", AGENT),  # a proxy that writes the port
    (1, PROXY, "[2001:db8::5]:443", "2001:db8::5"),
    (1, PROXY, "pas-une-adresse", PROXY),  # nonsense: the proxy's address rather than a made-up key
    (1, PROXY, None, PROXY),  # the header missing: reached without the proxy
    (2, PROXY, AGENT, AGENT),  # fewer entries than proxies: the leftmost (as DRF's NUM_PROXIES)
])
def test_adresse_du_client(settings, proxys, remote_addr, xff, attendue):
    settings.PROXY_COUNT = proxys
    assert adresse_client(Requete(remote_addr, xff)) == attendue


# --- Login lockout (django-axes) behind one proxy --------------------------------------------------------------------

def connexion(client, depuis: str, mot_de_passe: str, falsifie: str | None = None):
    """A login through the proxy: it appends the client's address (`depuis`) to what the client sent."""
    xff = f"{falsifie}, {depuis}" if falsifie else depuis
    return client.post("/admin/login/", {"username": "agent-test", "password": mot_de_passe},
                       REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=xff)


@pytest.mark.django_db
def test_un_attaquant_ne_bloque_pas_le_compte_d_un_agent(client, settings):
    settings.PROXY_COUNT = 1
    User.objects.create_user("agent-test", password="bon-mot-de-passe-123", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        connexion(client, ATTAQUANT, "mauvais")
    assert connexion(client, ATTAQUANT, "bon-mot-de-passe-123").status_code == 429  # the attacker is locked out
    # The agent, from their own address, is not.
    reponse = connexion(client, AGENT, "bon-mot-de-passe-123")
    assert reponse.status_code == 302 and client.session["_auth_user_id"]


@pytest.mark.django_db
def test_une_adresse_falsifiee_ne_deplace_pas_le_blocage(client, settings):
    """The attacker writes the agent's address in X-Forwarded-For: the lockout still falls on the attacker's own."""
    settings.PROXY_COUNT = 1
    User.objects.create_user("agent-test", password="bon-mot-de-passe-123", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        connexion(client, ATTAQUANT, "mauvais", falsifie=AGENT)
    assert connexion(client, ATTAQUANT, "bon-mot-de-passe-123", falsifie=AGENT).status_code == 429
    assert connexion(client, AGENT, "bon-mot-de-passe-123").status_code == 302


@pytest.mark.django_db
def test_sans_proxy_l_en_tete_est_ignore(client, settings):
    settings.PROXY_COUNT = 0
    User.objects.create_user("agent-test", password="bon-mot-de-passe-123", is_staff=True)
    for i in range(settings.AXES_FAILURE_LIMIT):  # a new forged address each time: no way around the lockout
        client.post("/admin/login/", {"username": "agent-test", "password": "mauvais"},
                    REMOTE_ADDR=ATTAQUANT, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    reponse = client.post("/admin/login/", {"username": "agent-test", "password": "bon-mot-de-passe-123"},
                          REMOTE_ADDR=ATTAQUANT, HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert reponse.status_code == 429


# --- API quotas --------------------------------------------------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize("proxys", [0, 1])
def test_le_quota_anonyme_ne_se_contourne_pas_par_l_en_tete(client, settings, monkeypatch, proxys):
    from rest_framework.throttling import SimpleRateThrottle

    settings.PROXY_COUNT = proxys
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute",
                                                               "partenaire": "3/minute"})
    remote = PROXY if proxys else ATTAQUANT
    statuts = []
    for i in range(5):
        xff = f"192.0.2.{i}, {ATTAQUANT}" if proxys else f"192.0.2.{i}"
        statuts.append(client.get("/api/v1/communes/31555/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=xff).status_code)
    assert statuts == [200, 200, 200, 429, 429]
    if proxys:  # another client behind the same proxy has its own quota
        assert client.get("/api/v1/communes/31555/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=AGENT).status_code == 200
