"""The "Mes aides" simulator and the scheme pages (server-rendered, usable without JavaScript)."""
import datetime
import re
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
                                         "cabinet_secondaire": "non", "secteur": "1", "aide_installation_10_ans": "non",
                                         "age": ""}, follow=True)
    assert reponse.redirect_chain[0][0] == ("/mes-aides/?commune=34032&profession=medecin-generaliste&date=2026-03-01"
                                            "&etape=installation&mode=liberal&premiere_installation=oui"
                                            "&cabinet_secondaire=non&secteur=1&aide_installation_10_ans=non")
    page = html(reponse)
    assert reponse.context["simulation"].commune.code_insee == "34032"
    assert "Béziers, médecin généraliste — le 1 mars 2026" in page
    assert "Aides auxquelles vous avez droit (2)" in page  # the installation aid and the médecin traitant majoration
    assert "10 000 € (versement unique)" in page
    assert "Médecins généralistes : Béziers est en zone d'intervention prioritaire." in page
    assert "Contact : CPAM" in page
    # Sources by title, publisher and date, never by an internal reference.
    assert "Des aides en faveur de l'exercice en zone sous-dense rénovées (convention médicale 2024-2029)</a> — " \
           "Assurance Maladie (ameli.fr), consultée le 1er décembre 2026" in page
    assert not re.search(r"\b[WS]\d{1,2}\b|Seed|\d{3}_[0-9a-f]{16}", page)
    # The 2016 contracts are listed apart, as closed, with what replaced them.
    # CAIM, COSCOM, COTRAM, CSTM; PTMG, PTMR, PIAS; the ZRR exemption.
    assert "Dispositifs fermés aux nouvelles demandes (8)" in page
    assert "Fermé aux nouvelles demandes depuis le 1er janvier 2026, remplacé par : aide à l'installation" in page


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


def test_contraintes_et_aides_au_choix_dans_le_simulateur(client):
    publier(version("SURD", datetime.date(2024, 1, 1), type_="infirmier", communes=("34032",)))
    page = html(client.get("/mes-aides/", {"commune": "34032", "profession": "infirmier", "date": "2026-03-01",
                                           "mode": "liberal"}))
    assert "Contraintes d'installation de ce lieu" in page and "Contrainte d'installation, s'applique ici" in page
    publier(version("TSD", datetime.date(2024, 1, 1), type_="masseur-kinesitherapeute", communes=("34032",)))
    page = html(client.get("/mes-aides/", {"commune": "34032", "profession": "masseur-kinesitherapeute",
                                           "date": "2026-03-01", "etape": "installation", "mode": "liberal"}))
    assert "Aides au choix : l'une ou l'autre (1)" in page
    assert "Au choix : CACCMK ou CAIMK." in page
    assert "CACCMK vaut le plus : CACCMK, 49 000 € (versement unique) ; CAIMK, 34 000 € (versement unique)." in page
    assert "Non cumulable avec CAIMK" in page


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
    # Closed schemes are not offered; constraints of the place are listed apart, not as aids.
    assert "CAIM" not in {l["dispositif"].code for e in reponse.context["etapes"] for l in e["dispositifs"]}
    dentistes = client.get("/je-m-installe/chirurgien-dentiste/")
    assert [l["dispositif"].code for l in dentistes.context["contraintes"]] == ["REGULATION-DENTISTES"]
    assert "REGULATION-DENTISTES" not in {l["dispositif"].code for e in dentistes.context["etapes"]
                                          for l in e["dispositifs"]}
