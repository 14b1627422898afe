"""Public pages kept in the cache (noyau/cache_pages.py): served again without rendering, until their data change,
never for a signed-in user, never a redirection."""
import pytest
from django.contrib.auth.models import User

from portail import views
from territoires.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendus(monkeypatch):
    compte = []
    vraie = views._commune

    def comptee(request, code_insee):
        compte.append(code_insee)
        return vraie(request, code_insee)
    monkeypatch.setattr(views, "_commune", comptee)
    return compte


def test_page_commune_servie_du_cache_jusqu_a_un_changement(client, rendus, django_assert_max_num_queries):
    premiere = client.get("/communes/34032/")
    assert premiere.status_code == 200 and "Béziers" in premiere.content.decode()
    with django_assert_max_num_queries(1):  # the generations only
        seconde = client.get("/communes/34032/")
    assert seconde.content == premiere.content and seconde["Content-Type"] == premiere["Content-Type"]
    assert rendus == ["34032"]
    # Another address, another page; a change of the commune's data, the page rendered again with it.
    client.get("/communes/34032/?profession=infirmier")
    assert rendus == ["34032", "34032"]
    Commune.objects.filter(code_insee="34032").update(population=12)  # no signal: the loaders invalidate themselves
    from noyau.cache_generations import invalider
    invalider("territoires")
    assert "12 habitants" in client.get("/communes/34032/").content.decode().replace("\u202f", " ")
    assert len(rendus) == 3


def test_pas_de_cache_pour_un_utilisateur_connecte_ni_une_redirection(client, rendus):
    client.get("/communes/34032/")
    client.force_login(User.objects.create_user("agent-test", password="x"))
    client.get("/communes/34032/")
    assert len(rendus) == 2
    client.logout()
    assert client.get("/communes/75056/").status_code == 404  # not served: rendered each time
    assert client.get("/communes/75056/").status_code == 404
    assert len(rendus) == 4


def test_une_date_invalide_garde_son_message(client, rendus):
    for _ in range(2):
        reponse = client.get("/communes/34032/?date=demain")
        assert reponse.status_code == 400 and "pas une date valide" in reponse.content.decode()
    assert len(rendus) == 1


def test_page_envoyee_compressee_a_qui_accepte_gzip(client, rendus):
    import gzip

    claire = client.get("/communes/34032/")
    assert "Accept-Encoding" in claire["Vary"] and not claire.has_header("Content-Encoding")
    compressee = client.get("/communes/34032/", headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert compressee["Content-Encoding"] == "gzip" and "Accept-Encoding" in compressee["Vary"]
    assert gzip.decompress(compressee.content) == claire.content
    assert len(compressee.content) < len(claire.content) / 3
    refusee = client.get("/communes/34032/", headers={"Accept-Encoding": "gzip;q=0, deflate"})
    assert not refusee.has_header("Content-Encoding") and refusee.content == claire.content
    assert rendus == ["34032"]


@pytest.mark.parametrize("entete, accepte", [
    ("", False), ("gzip", True), ("GZIP", True), ("deflate, gzip", True), ("gzip;q=0", False), ("gzip; q=0.0", False),
    ("gzip;q=0.5", True), ("*", True), ("br", False), ("x-gzip2", False),
])
def test_accepte_gzip(rf, entete, accepte):
    from noyau.cache_pages import accepte_gzip

    assert accepte_gzip(rf.get("/", headers={"Accept-Encoding": entete} if entete else {})) is accepte
