"""Published versions of one type never overlap, even when two agents publish at the same moment: the database
forbids it (PostgreSQL exclusion constraint on the date range) and publication serialises the publications of a type
(it locks every version of the type, so also the one it ends).

PostgreSQL only: two transactions really open at once, each on its own connection (one thread each); SQLite
serialises its writers and its test database is in memory. These are transactional tests (`transaction=True`):
what a thread commits is seen by the other. They create their own test-only communes (codes 00…).
"""
import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from tests.conftest import exiger_postgresql
from tests.factories import CommuneFactory
from zonages.models import Classement, Zonage
from zonages.publication import publier

D = datetime.date
pytestmark = pytest.mark.django_db(transaction=True)
DEUX_TRANSACTIONS = ("deux transactions simultanées sur deux connexions ; la base de test SQLite est en mémoire et "
                     "sérialise ses écritures")


def brouillon(debut: D, niveau: str, commune) -> Zonage:
    """A test-only draft (not a real arrêté)."""
    zonage = Zonage.objects.create(type="medecin", reference=f"Arrêté de test {niveau} du {debut}", valid_from=debut)
    Classement.objects.create(zonage=zonage, commune=commune, niveau=niveau)
    return zonage


def chevauchements() -> list[tuple[int, int]]:
    publiees = list(Zonage.objects.filter(statut=Zonage.Statut.PUBLIE).order_by("type", "valid_from"))
    return [(a.pk, b.pk) for a in publiees for b in publiees
            if a.pk < b.pk and a.type == b.type
            and a.valid_from <= (b.valid_to or D.max) and b.valid_from <= (a.valid_to or D.max)]


def attend_un_verrou(pid: int) -> bool:
    with connection.cursor() as curseur:
        curseur.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [pid])
        ligne = curseur.fetchone()
    return bool(ligne) and ligne[0] == "Lock"


class Publication(threading.Thread):
    """Publishes `zonage` on this thread's own connection; with `pause`, keeps its transaction open (publication done,
    not committed) until `continuer` is set."""

    def __init__(self, zonage: Zonage, pause: bool = False):
        super().__init__(daemon=True)
        self.zonage, self.pause = zonage, pause
        self.pret, self.continuer = threading.Event(), threading.Event()
        self.pid = None
        self.erreur = None
        self.resultat = "non terminé"

    def run(self):
        try:
            self.pid = connection.cursor().connection.info.backend_pid
            if not self.pause:
                self.pret.set()  # the test watches this connection from now on
            with transaction.atomic():
                publier(self.zonage)
                if self.pause:
                    self.pret.set()
                    self.continuer.wait(60)
            self.resultat = "publiée"
        except ValidationError as erreur:
            self.erreur, self.resultat = erreur, "refusée"
        except Exception as erreur:  # noqa: BLE001 - reported by the test
            self.erreur, self.resultat = erreur, f"erreur {type(erreur).__name__}"
        finally:
            self.pret.set()
            connections.close_all()


def publier_en_meme_temps(premiere: Zonage, seconde: Zonage) -> tuple[Publication, Publication]:
    """The first publication is done but not committed when the second starts; the first commits once the second has
    either finished or is waiting for a lock (never on a delay)."""
    un, deux = Publication(premiere, pause=True), Publication(seconde)
    un.start()
    assert un.pret.wait(30), "la première publication ne se termine pas"
    assert un.erreur is None, un.erreur
    deux.start()
    assert deux.pret.wait(30)
    limite = time.monotonic() + 30
    while deux.is_alive() and not attend_un_verrou(deux.pid):
        assert time.monotonic() < limite, "la seconde publication ne se termine ni n'attend"
        time.sleep(0.05)
    un.continuer.set()
    un.join(30)
    deux.join(30)
    assert not un.is_alive() and not deux.is_alive()
    return un, deux


@pytest.mark.parametrize("version_en_vigueur", [False, True], ids=["premiere-version", "version-a-terminer"])
def test_deux_publications_simultanees_une_seule_reussit(version_en_vigueur):
    exiger_postgresql(DEUX_TRANSACTIONS)
    commune = CommuneFactory()
    if version_en_vigueur:
        ancienne = brouillon(D(2022, 5, 7), "ZAC", commune)
        publier(ancienne)
    premiere = brouillon(D(2026, 1, 1), "ZIP", commune)
    seconde = brouillon(D(2026, 1, 1), "ZAR", commune)

    un, deux = publier_en_meme_temps(premiere, seconde)

    assert chevauchements() == []
    assert (un.resultat, deux.resultat) == ("publiée", "refusée"), (un.erreur, deux.erreur)
    assert deux.erreur.messages == [
        "Une version publiée commence déjà le 01/01/2026 (Arrêté de test ZIP du 2026-01-01) : "
        "la date d'effet doit être postérieure."]
    assert Zonage.objects.get(pk=seconde.pk).statut == Zonage.Statut.BROUILLON
    if version_en_vigueur:
        assert Zonage.objects.get(pk=ancienne.pk).valid_to == D(2025, 12, 31)


def test_deux_publications_simultanees_a_des_dates_differentes_se_suivent():
    """The second waits for the first, then ends it: the later version follows, without overlap."""
    exiger_postgresql(DEUX_TRANSACTIONS)
    commune = CommuneFactory()
    premiere = brouillon(D(2026, 1, 1), "ZIP", commune)
    seconde = brouillon(D(2026, 6, 1), "ZAR", commune)

    un, deux = publier_en_meme_temps(premiere, seconde)

    assert (un.resultat, deux.resultat) == ("publiée", "publiée"), (un.erreur, deux.erreur)
    assert chevauchements() == []
    assert Zonage.objects.get(pk=premiere.pk).valid_to == D(2026, 5, 31)


def test_la_base_refuse_deux_versions_publiees_qui_se_chevauchent():
    """Whatever writes (a bulk update, a script), the database itself refuses the overlap."""
    exiger_postgresql(DEUX_TRANSACTIONS)
    commune = CommuneFactory()
    publier(brouillon(D(2022, 5, 7), "ZAC", commune))
    autre = brouillon(D(2024, 1, 1), "ZIP", commune)
    with pytest.raises(IntegrityError, match="zonage_publie_sans_chevauchement"):
        with transaction.atomic():
            Zonage.objects.filter(pk=autre.pk).update(statut=Zonage.Statut.PUBLIE)
    # Another type, or a draft, may share the dates.
    Zonage.objects.create(type="infirmier", reference="Arrêté de test", valid_from=D(2022, 5, 7),
                          statut=Zonage.Statut.PUBLIE)
    Zonage.objects.create(type="medecin", reference="Arrêté de test", valid_from=D(2022, 5, 7))
    assert chevauchements() == []


def test_la_migration_signale_les_versions_qui_se_chevauchent_deja():
    """Versions published at the same moment before the constraint: the migration names them and stops; once one of
    each pair ends, it goes through."""
    exiger_postgresql(DEUX_TRANSACTIONS)
    from django.db.migrations.executor import MigrationExecutor

    avant, contrainte = ("zonages", "0007_territoires_deplaces"), ("zonages", "0008_zonage_publie_sans_chevauchement")
    MigrationExecutor(connection).migrate([avant])
    try:
        a = Zonage.objects.create(type="medecin", reference="Arrêté de test A", valid_from=D(2026, 1, 1),
                                  statut=Zonage.Statut.PUBLIE)
        b = Zonage.objects.create(type="medecin", reference="Arrêté de test B", valid_from=D(2026, 1, 1),
                                  statut=Zonage.Statut.PUBLIE)
        executeur = MigrationExecutor(connection)
        with pytest.raises(RuntimeError) as erreur:
            executeur.migrate([contrainte])
        assert "Des versions publiées d'un même type se chevauchent" in str(erreur.value)
        assert f"medecin : version n° {a.pk} (Arrêté de test A) et version n° {b.pk} (Arrêté de test B)" in str(
            erreur.value)
        Zonage.objects.filter(pk=a.pk).update(valid_to=D(2025, 12, 31), valid_from=D(2025, 1, 1))
    finally:
        MigrationExecutor(connection).migrate([contrainte])
    assert chevauchements() == []
    with pytest.raises(IntegrityError, match="zonage_publie_sans_chevauchement"), transaction.atomic():
        Zonage.objects.filter(pk=a.pk).update(valid_to=None)
