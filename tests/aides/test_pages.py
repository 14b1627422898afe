"""The "Mes aides" simulator and the scheme pages (server-rendered, usable without JavaScript)."""
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


def test_formulaire_vide(client):
    reponse = client.get("/mes-aides/")
    assert reponse.status_code == 200
    assert "Voir mes aides" in html(reponse) and reponse.context["simulation"] is None


def test_commune_par_son_nom_et_resultats_groupes(client):
    reponse = client.get("/mes-aides/", {"commune": "beziers", "profession": "medecin-generaliste", "date": "2026-03-01",
                                         "etape": "installation", "mode": "liberal", "premiere_installation": "oui",
                                         "cabinet_secondaire": "non", "secteur": "1", "age": ""}, follow=True)
    assert reponse.redirect_chain[0][0] == ("/mes-aides/?commune=34032&profession=medecin-generaliste&date=2026-03-01"
                                            "&etape=installation&mode=liberal&premiere_installation=oui"
                                            "&cabinet_secondaire=non&secteur=1")
    page = html(reponse)
    assert reponse.context["simulation"].commune.code_insee == "34032"
    assert "Béziers, médecin généraliste — le 1 mars 2026" in page
    assert "Aides auxquelles vous avez droit (1)" in page
    assert "10 000 € (versement unique)" in page
    assert "Médecins généralistes : Béziers est classée « Zone d'intervention prioritaire »" in page
    assert "Contact : CPAM" in page


def test_seules_les_questions_utiles_sont_posees(client):
    reponse = client.get("/mes-aides/", {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01",
                                         "etape": "installation", "mode": "liberal"})
    posees = [c.name for c in reponse.context["questions"]]
    assert {"premiere_installation", "secteur"} <= set(posees)  # what the AM installation aid still needs
    assert not {"etape", "mode"} & set(posees)  # already answered
    assert len(posees) == len(set(posees))
    assert "Pour préciser votre résultat" in html(reponse)


def test_plusieurs_communes_proposees(client):
    reponse = client.get("/mes-aides/", {"commune": "saint jean du", "profession": "medecin-generaliste"})
    assert reponse.status_code == 200
    assert len(reponse.context["candidates"]) > 1
    assert "Plusieurs communes correspondent à « saint jean du »" in html(reponse)
    assert "commune=30269" in reponse.content.decode()


def test_erreurs_claires_sans_500(client):
    reponse = client.get("/mes-aides/", {"commune": "34032", "profession": "plombier", "date": "hier"})
    assert reponse.status_code == 400
    page = html(reponse)
    assert "« plombier » n'est pas permis" in page and "AAAA-MM-JJ" in page


def test_version_imprimable_et_lien_partageable(client):
    parametres = {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01"}
    page = client.get("/mes-aides/", parametres).content.decode()
    assert "impression=1" in page and "Lien vers ce résultat" in unescape(page)
    imprimable = client.get("/mes-aides/", {**parametres, "impression": "1"}).content.decode()
    assert "css/impression.css" in imprimable


def test_catalogue_et_page_d_une_aide(client):
    liste = html(client.get("/aides/"))
    assert "Aide de l'ARS Occitanie à l'installation en zone de montagne" in liste
    page = html(client.get("/aides/ARS-MONTAGNE/"))
    assert "Du 01/10/2019 au 31/12/2020" in page and "Du 07/05/2022 à aujourd'hui" in page
    assert "50 000 € (versement unique)" in page and "non vérifié" in page
    assert "zonage zone de montagne : « classée en zone de montagne »" in page
    assert "sauf si : zonage médecins généralistes : « zone d'intervention prioritaire »" in page
    assert "exercice coordonné : maison de santé pluriprofessionnelle ou équipe de soins primaires" in page
    filtre = client.get("/aides/", {"profession": "chirurgien-dentiste"}).context["dispositifs"]
    assert "ARS-MONTAGNE" in {d.code for d in filtre}
    assert all("chirurgien-dentiste" in d.professions for d in filtre)


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
    assert client.get("/je-m-installe/astronaute/").status_code == 404
