"""The client's address, behind PROXY_COUNT trusted reverse proxies: what the login lockout (django-axes, through
AXES_CLIENT_IP_CALLABLE) and the API quotas key on.

Each proxy appends to X-Forwarded-For the address it received the request from. With n proxies, the client's address
is therefore the n-th entry from the right; anything further left was written by the client and may be forged. With no
proxy (PROXY_COUNT=0), the header is ignored: REMOTE_ADDR is the client. The portal must only be reachable through its
proxies when PROXY_COUNT > 0, or anyone could write the whole header.
"""
import ipaddress

from django.conf import settings


def adresse_client(request) -> str | None:
    distante = request.META.get("REMOTE_ADDR")
    proxys = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    en_tete = request.META.get("HTTP_X_FORWARDED_FOR")
    if proxys <= 0 or not en_tete:
        return distante
    adresses = [a.strip() for a in en_tete.split(",")]
    # Fewer entries than proxies: the leftmost, as Django REST framework's NUM_PROXIES does.
    adresse = _adresse_ip(adresses[-min(proxys, len(adresses))])
    return adresse or distante  # nonsense written by a proxy: never a key chosen from it


def _adresse_ip(texte: str) -> str | None:
    """`texte` as an IP address, without the port some proxies add ("203.0.113.10:51234", "[2001:db8::5]:443")."""
    candidats = [texte]
    if texte.startswith("["):
        candidats.append(texte[1:].split("]", 1)[0])
    elif texte.count(":") == 1:
        candidats.append(texte.split(":", 1)[0])
    for candidat in candidats:
        try:
            return str(ipaddress.ip_address(candidat))
        except ValueError:
            continue
    return None
