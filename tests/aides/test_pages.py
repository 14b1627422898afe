"""The scheme pages, the catalogue and « Je m'installe » (server-rendered); the simulator has test_pages_simulateur.py."""
import datetime
from html import unescape

import pytest

from aides.catalogue import charger_regles
from tests.factories import version
from zonages.publication import publier

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue_et_zonage():
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032",)))  # test version, not the real one


def html(reponse) -> str:
    """The page's text, with French thousands separators (narrow no-break spaces) as plain spaces."""
    return unescape(reponse.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def test_catalogue_et_page_d_une_aide(client):
    liste = html(client.get("/aides/"))
    assert "Aide de l'ARS Occitanie à l'installation en zone de montagne" in liste
    page = html(client.get("/aides/ARS-MONTAGNE/"))
    assert "Du 01/10/2019 au 31/12/2020" in page and "Du 07/05/2022 à aujourd'hui" in page
    assert "50 000 € (versement unique)" in page and "non vérifié" in page
    assert "zonage zone de montagne : classée en zone de montagne" in page
    assert "exercice coordonné : maison de santé pluriprofessionnelle ou équipe de soins primaires" in page
    # Not cumulated with the CAIM or the CAICD (declared on their side): said here, not "excluded in ZIP".
    assert "Non cumulable avec" in page and "Contrat d'aide à l'installation des médecins (CAIM)</a> : " in page
    assert "sauf si" not in page
    sauf_si = html(client.get("/aides/CSTM/"))
    assert "sauf si : zonage médecins généralistes : zone d'intervention prioritaire" in sauf_si
    filtre = [d for d, _ in client.get("/aides/", {"profession": "chirurgien-dentiste"}).context["lignes"]]
    assert "ARS-MONTAGNE" in {d.code for d in filtre}
    assert all("chirurgien-dentiste" in d.professions for d in filtre)


def test_page_d_un_dispositif_ferme(client):
    page = html(client.get("/aides/PTMG/"))
    assert "Fermé aux nouvelles demandes depuis le 25 décembre 2020" in page and "Fermé aux nouvelles demandes</span>" in page
    assert 'href="/aides/CDE/">Contrat de début d\'exercice (CDE)</a>' in page
    assert "(date de début non donnée par la référence)" in page
    liste = html(client.get("/aides/"))
    assert "Fermé aux nouvelles demandes depuis le 25 décembre 2020" in liste


def test_aide_inconnue_404(client):
    reponse = client.get("/aides/INEXISTANTE/")
    assert reponse.status_code == 404
    assert "Aucune aide n'a le code « INEXISTANTE »" in html(reponse)


def test_page_commune_liste_les_aides_par_profession(client):
    reponse = client.get("/communes/34032/?date=2026-03-01")
    groupes = {g.profession: g for g in reponse.context["aides_par_profession"]}
    assert len(groupes) == 10
    assert "AM-AIDE-INSTALLATION" in {r.dispositif.code for r in groupes["medecin-generaliste"].possibles}
    assert "AM-AIDE-INSTALLATION" not in {r.dispositif.code for r in groupes["infirmier"].possibles}
    assert "/mes-aides/?commune=34032&amp;profession=medecin-generaliste&amp;date=2026-03-01" in reponse.content.decode()


def test_je_m_installe_par_profession(client):
    assert 'href="/je-m-installe/sage-femme/"' in client.get("/je-m-installe/").content.decode()
    reponse = client.get("/je-m-installe/medecin-generaliste/")
    assert reponse.status_code == 200
    page = html(reponse)
    assert "Je m'installe : médecin généraliste" in page
    installation = next(e for e in reponse.context["etapes"] if e["code"] == "installation")
    assert "AM-AIDE-INSTALLATION" in {l["dispositif"].code for l in installation["dispositifs"]}
    assert 'href="/zonages/?type=medecin"' in reponse.content.decode()
    assert "/mes-aides/?profession=medecin-generaliste" in reponse.content.decode()
    assert client.get("/mes-aides/?profession=medecin-generaliste").status_code == 200  # the form, not an error
    assert client.get("/je-m-installe/astronaute/").status_code == 404
    # Closed schemes are not offered; constraints of the place are listed apart, not as aids.
    assert "CAIM" not in {l["dispositif"].code for e in reponse.context["etapes"] for l in e["dispositifs"]}
    dentistes = client.get("/je-m-installe/chirurgien-dentiste/")
    assert [l["dispositif"].code for l in dentistes.context["contraintes"]] == ["REGULATION-DENTISTES"]
    assert "REGULATION-DENTISTES" not in {l["dispositif"].code for e in dentistes.context["etapes"]
                                          for l in e["dispositifs"]}
