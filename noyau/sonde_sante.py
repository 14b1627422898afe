"""The container's health check of the web service (docker-compose.yml): `python -m noyau.sonde_sante`.

Asks the local gunicorn for /healthz as the TLS proxy in front of it would: with the site's host name (the first
entry of ALLOWED_HOSTS) and `X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER). A plain request to
http://localhost would be refused by ALLOWED_HOSTS or redirected to HTTPS under the production settings. Exit status
0 when /healthz answers 200 (the database answers), 1 otherwise; no redirect is followed. Plain Python, no Django:
it runs every few seconds.
"""
import http.client
import os
import sys


def hote() -> str:
    for entree in os.environ.get("ALLOWED_HOSTS", "").split(","):
        entree = entree.strip()
        if entree and entree != "*":
            return entree.lstrip(".")  # ".example.org" allows example.org and its subdomains
    return "localhost"  # the development default of ALLOWED_HOSTS


def main() -> int:
    port = int(os.environ.get("PORT") or 8000)
    connexion = http.client.HTTPConnection("127.0.0.1", port, timeout=4)
    try:
        connexion.request("GET", "/healthz", headers={"Host": hote(), "X-Forwarded-Proto": "https"})
        reponse = connexion.getresponse()
    except OSError as erreur:
        print(f"/healthz injoignable sur le port {port} : {erreur}", file=sys.stderr)
        return 1
    finally:
        connexion.close()
    if reponse.status != 200:
        print(f"/healthz a répondu {reponse.status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
