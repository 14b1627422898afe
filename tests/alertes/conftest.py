import email
import email.policy
import socketserver
import threading

import pytest

from paps.celery import app as celery_app


class Boite:
    """What the local SMTP server received: each message parsed, with its envelope's recipients."""

    def __init__(self):
        self.messages = []

    def corps(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


class SessionSmtp(socketserver.StreamRequestHandler):
    """One SMTP session (RFC 5321: HELO/EHLO, MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP, QUIT), enough for
    smtplib; what it accepts goes to the server's Boite. Written here so that the tests need nothing downloaded."""

    def repondre(self, ligne: str) -> None:
        self.wfile.write(ligne.encode() + b"\r\n")

    def handle(self):
        self.repondre("220 paps-tests ESMTP")
        destinataires = []
        while ligne := self.rfile.readline():
            commande = ligne.decode("ascii", "replace").strip()
            verbe = commande[:4].upper()
            if verbe == "EHLO":
                self.repondre("250-paps-tests")
                self.repondre("250 8BITMIME")
            elif verbe == "HELO":
                self.repondre("250 paps-tests")
            elif verbe == "MAIL":
                destinataires = []
                self.repondre("250 OK")
            elif verbe == "RCPT":
                destinataires.append(commande.split(":", 1)[1].strip().strip("<>"))
                self.repondre("250 OK")
            elif verbe == "DATA":
                self.repondre("354 End data with <CR><LF>.<CR><LF>")
                lignes = []
                while (ligne := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
                    lignes.append(ligne[1:] if ligne.startswith(b"..") else ligne)
                message = email.message_from_bytes(b"".join(lignes), policy=email.policy.default)
                message.destinataires = destinataires
                self.server.boite.messages.append(message)
                self.repondre("250 Message accepted for delivery")
            elif verbe in ("RSET", "NOOP"):
                self.repondre("250 OK")
            elif verbe == "QUIT":
                self.repondre("221 Bye")
                return
            else:
                self.repondre("502 Command not implemented")


class ServeurSmtp(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(autouse=True)
def taches_immediates(settings, monkeypatch):
    """The alerts' tasks run here, also where REDIS_URL is set (CI): no worker in these tests."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)  # Celery reads its own configuration
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", True)


@pytest.fixture
def serveur_smtp(settings):
    """A real SMTP server on a free port of the loopback, and the settings that send to it."""
    serveur = ServeurSmtp(("127.0.0.1", 0), SessionSmtp)
    serveur.boite = Boite()
    fil = threading.Thread(target=serveur.serve_forever, daemon=True)
    fil.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", serveur.server_address[1]
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.PAPS_URL_PUBLIQUE = "https://paps.exemple.test"
    try:
        yield serveur.boite
    finally:
        serveur.shutdown()
        serveur.server_close()
