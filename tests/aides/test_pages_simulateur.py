"""The guided simulator « Mes aides » without JavaScript: one step per page, the results under the question, each
step a plain GET whose address can be shared. Zonage versions here are test versions, not the real ones."""
import datetime
import re
from html import unescape

import pytest

from aides.catalogue import charger_regles
from aides.eligibilite.vocabulaire import FAITS
from tests.factories import version
from zonages.models import QPV
from zonages.publication import publier

pytestmark = pytest.mark.django_db
BEZIERS_MG = {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01"}
INSTALLATION_ZIP = {**BEZIERS_MG, "etape": "installation", "mode": "liberal", "premiere_installation": "oui",
                    "cabinet_secondaire": "non", "secteur": "1", "aide_installation_10_ans": "non"}


@pytest.fixture(autouse=True)
def catalogue_et_zonage():
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032",)))


def html(reponse) -> str:
    """The page's HTML unescaped, French thousands separators as plain spaces."""
    return unescape(reponse.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def texte(reponse) -> str:
    """What the page reads: its text without tags, blanks collapsed."""
    sans_balises = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", reponse.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(sans_balises).replace("\u202f", " ").replace("\xa0", " "))


def codes(reponse, groupe: str) -> list[str]:
    return [l.dispositif.code for l in getattr(reponse.context["parcours"], groupe)]


# --- Entry points ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/mes-aides/", "/mes-aides/?profession=medecin-generaliste"])
def test_sans_commune_le_simulateur_ouvre_son_premier_pas(client, url):
    reponse = client.get(url)
    assert reponse.status_code == 200
    page = html(reponse)
    assert "Où pensez-vous exercer, et quel est votre métier ?" in page and "obligatoire" not in page
    if "profession" in url:
        assert 'value="medecin-generaliste" checked' in page


def test_chaque_lien_vers_le_simulateur_fonctionne(client):
    liens = []
    for page in ("/", "/je-m-installe/medecin-generaliste/", "/aides/AM-AIDE-INSTALLATION/", "/communes/48080/"):
        html = client.get(page).content.decode()
        liens += [unescape(l) for l in re.findall(r'href="(/mes-aides/[^"]*)"', html)]
    assert len(liens) >= 4
    for lien in liens:
        assert client.get(lien, follow=True).status_code == 200, lien


def test_le_champ_commune_montre_son_nom(client):
    page = html(client.get("/mes-aides/", {"commune": "48080", "profession": "infirmier", "question": "lieu"}))
    assert 'value="Langogne (48080)"' in page


def test_une_commune_tapee_par_son_nom(client):
    reponse = client.get("/mes-aides/", {"commune": "beziers", "profession": "medecin-generaliste"}, follow=True)
    assert reponse.redirect_chain[0][0] == "/mes-aides/?commune=34032&profession=medecin-generaliste"
    assert reponse.context["parcours"].commune.nom == "Béziers"


def test_plusieurs_communes_ou_aucune(client):
    plusieurs = client.get("/mes-aides/", {"commune": "saint jean du", "profession": "medecin-generaliste"})
    assert plusieurs.status_code == 200 and "Plusieurs communes correspondent à « saint jean du »" in texte(plusieurs)
    assert "commune=30269" in plusieurs.content.decode()
    aucune = client.get("/mes-aides/", {"commune": "zzzzzz", "profession": "medecin-generaliste"})
    assert aucune.status_code == 400
    assert "Aucune commune d'Occitanie ne correspond à « zzzzzz »" in texte(aucune)


def test_erreurs_claires_sans_500(client):
    reponse = client.get("/mes-aides/", {**BEZIERS_MG, "profession": "plombier", "date": "hier"})
    assert reponse.status_code == 400
    page = texte(reponse)
    assert "« plombier » n'est pas permis" in page and "AAAA-MM-JJ" in page


# --- One question at a time -----------------------------------------------------------------------------------------

def test_l_etape_d_abord_avec_une_description_de_chaque_etape(client):
    reponse = client.get("/mes-aides/", BEZIERS_MG)
    question = reponse.context["question"]
    assert question.champ == "etape" and question.texte == FAITS["etape"].question
    choix = {c.valeur: c for c in question.choix}
    assert list(choix) == ["etudiant", "interne", "fin_internat", "remplacant", "installation", "installe"]
    assert all(c.description for c in choix.values())
    assert "Je termine mon internat" in texte(reponse)
    # Then the practice mode, then the facts in their declared order.
    assert client.get("/mes-aides/", {**BEZIERS_MG, "etape": "installation"}).context["question"].champ == "mode"


def test_les_etapes_proposees_sont_celles_de_la_profession(client):
    question = client.get("/mes-aides/", {**BEZIERS_MG, "profession": "infirmier"}).context["question"]
    assert "interne" not in {c.valeur for c in question.choix} and "fin_internat" not in {c.valeur for c in question.choix}


def test_rien_ne_nomme_un_champ(client):
    """What she reads names no field: no « paie_hebergement », no « Annees depuis these »."""
    page = texte(client.get("/mes-aides/", {**BEZIERS_MG, "etape": "interne"}))
    for nom, fait in FAITS.items():
        brut = nom.replace("_", " ").capitalize()  # the old labels: « Paie hebergement »
        ancien = not fait.libelle.startswith(brut) and re.search(rf"\b{re.escape(brut)}\b", page)
        assert ("_" not in nom or nom not in page) and not ancien, nom


def test_je_ne_sais_pas_passe_a_la_question_suivante(client):
    reponse = client.get("/mes-aides/", {**BEZIERS_MG, "etape": "installation", "passer": "mode"}, follow=True)
    assert reponse.redirect_chain[0][0].endswith("&etape=installation&passees=mode")
    assert reponse.context["question"].champ not in {"etape", "mode"}
    assert "mode=" not in reponse.redirect_chain[0][0]


def test_une_reponse_hors_bornes_est_redemandee_avec_son_erreur(client):
    reponse = client.get("/mes-aides/", {**BEZIERS_MG, "etape": "installation", "mode": "liberal",
                                         "demi_journees": "20"})
    assert reponse.status_code == 400
    assert reponse.context["question"].champ == "demi_journees"
    assert "Demi-journées par semaine : au plus 14." in texte(reponse)
    assert 'name="mode" value="liberal"' in html(reponse)  # the other answers are kept


def test_modifier_une_reponse(client):
    reponse = client.get("/mes-aides/", {**INSTALLATION_ZIP, "question": "secteur"})
    assert reponse.context["question"].champ == "secteur"
    assert 'name="secteur" value="1" checked' in reponse.content.decode()
    assert "Modifier votre réponse" in texte(reponse)


# --- Results that matter ---------------------------------------------------------------------------------------------

def test_resultats_groupes_avec_le_total_certain(client):
    reponse = client.get("/mes-aides/", INSTALLATION_ZIP)
    assert codes(reponse, "droits") == ["AM-AIDE-INSTALLATION", "AM-MAJORATION-MEDECIN-TRAITANT"]
    page = texte(reponse)
    assert "Vous y avez droit (2)" in page and "Total certain : 10 000 € en une fois" in page
    assert "Béziers est en zone d'intervention prioritaire." in page
    # How to apply and who decides, with an official page: never « coordonnées non renseignées ».
    assert "Comment la demander :" in page and "Qui décide : l'Assurance Maladie (CPAM de l'Hérault)." in page
    assert 'href="https://www.ameli.fr/herault"' in html(reponse) and "non renseignées" not in page
    # Sources by title, never by an internal reference.
    assert "Des aides en faveur de l'exercice en zone sous-dense rénovées (convention médicale 2024-2029)</a>" in html(reponse)
    assert not re.search(r"\b[WS]\d{1,2}\b|Seed|\d{3}_[0-9a-f]{16}", page)
    assert "Dispositifs fermés aux nouvelles demandes (8)" in page


def test_le_total_certain_laisse_de_cote_un_montant_non_verifie(client):
    """The ARS's MSP start-up aid (50 000 € of 2019, « verifie: false » in its rule) is listed, not counted."""
    reponse = client.get("/mes-aides/", {**INSTALLATION_ZIP, "porteur_projet": "msp", "projet_de_sante_valide": "oui"})
    assert "MSP-DEMARRAGE" in codes(reponse, "droits")
    page = texte(reponse)
    assert "Total certain : 10 000 € en une fois</strong>, sans 1 montant non vérifié" in html(reponse)
    assert "50 000 € (versement unique)" in page


def test_seulement_les_dispositifs_de_la_profession(client):
    reponse = client.get("/mes-aides/", INSTALLATION_ZIP)
    tous = {l.dispositif.code for l in reponse.context["parcours"].lignes}
    assert {"CAIMK", "CAPII", "CACCMK", "REGULATION-INFIRMIERS"}.isdisjoint(tous)
    assert all("medecin-generaliste" in l.dispositif.professions for l in reponse.context["parcours"].lignes)


def test_a_verifier_dit_ce_qui_decide(client):
    reponse = client.get("/mes-aides/", {**BEZIERS_MG, "etape": "installation", "mode": "liberal"})
    lignes = {l.dispositif.code: l for l in reponse.context["parcours"].a_verifier}
    installation = lignes["AM-AIDE-INSTALLATION"]
    assert installation.champ_decisif in {"secteur", "premiere_installation"}
    assert installation.decisif == FAITS[installation.champ_decisif].question
    assert f"Ce qui décide : {installation.decisif}" in texte(reponse)


def test_je_termine_mon_internat_donne_les_aides_des_deux_etapes(client):
    interne = client.get("/mes-aides/", {**BEZIERS_MG, "etape": "interne", "paie_hebergement": "oui"})
    assert "HEBERGEMENT-INTERNES" in codes(interne, "droits")
    assert "AM-AIDE-INSTALLATION" in codes(interne, "non")  # an intern alone: no installation aid
    fin = client.get("/mes-aides/", {**BEZIERS_MG, "etape": "fin_internat", "paie_hebergement": "oui"})
    lignes = {l.dispositif.code: l for l in fin.context["parcours"].lignes}
    assert lignes["HEBERGEMENT-INTERNES"].resultat.statut == "eligible"
    assert lignes["HEBERGEMENT-INTERNES"].moment == "pendant l'internat"
    assert lignes["AM-AIDE-INSTALLATION"].resultat.statut == "a_preciser"
    assert lignes["AM-AIDE-INSTALLATION"].moment == "à l'installation"
    assert "etape" not in {c for c, _ in fin.context["parcours"].questions_ouvertes}
    assert "Pendant l'internat" in texte(fin) and "À l'installation" in texte(fin)


def test_aides_au_choix_et_obligations_du_lieu(client):
    publier(version("TSD", datetime.date(2024, 1, 1), type_="masseur-kinesitherapeute", communes=("34032",)))
    page = texte(client.get("/mes-aides/", {**BEZIERS_MG, "profession": "masseur-kinesitherapeute",
                                            "etape": "installation", "mode": "liberal"}))
    assert "Au choix : l'une ou l'autre (1)" in page and "Au choix : CACCMK ou CAIMK." in page
    assert "CACCMK vaut le plus : CACCMK, 49 000 € (versement unique) ; CAIMK, 34 000 € (versement unique)." in page
    publier(version("SURD", datetime.date(2024, 1, 1), type_="infirmier", communes=("34032",)))
    page = texte(client.get("/mes-aides/", {**BEZIERS_MG, "profession": "infirmier", "mode": "liberal"}))
    assert "Obligations du lieu (1)" in page and "Obligation, s'applique ici" in page


def test_le_quartier_prioritaire_devient_un_point_dans_le_quartier(client):
    """« In the neighbourhood X » is given to the engine as a point inside X: the QPV-only aid then applies."""
    QPV.objects.create(code="QN-TEST", nom="Quartier de test", valid_from=datetime.date(2024, 1, 1), geometrie={
        "type": "Polygon", "coordinates": [[[3.20, 43.33], [3.22, 43.33], [3.22, 43.35], [3.20, 43.35], [3.20, 43.33]]]
    }).communes.set(["34032"])
    sans = client.get("/mes-aides/", INSTALLATION_ZIP)
    assert sans.context["parcours"].simulations[0].qpv is None
    dans = client.get("/mes-aides/", {**INSTALLATION_ZIP, "quartier": "QN-TEST"})
    assert dans.context["parcours"].simulations[0].qpv is True
    assert "Lieu d'exercice" in texte(dans) and "quartier « Quartier de test »" in texte(dans)


# --- Print, share, fragment ------------------------------------------------------------------------------------------

def test_recapitulatif_imprimable(client):
    reponse = client.get("/mes-aides/", {**INSTALLATION_ZIP, "impression": "1"})
    html = reponse.content.decode()
    page = texte(reponse)
    assert "css/impression.css" in html and "Mes aides : récapitulatif" in page
    assert "Règles et zonages en vigueur le 1 mars 2026" in page
    assert "Secteur conventionnel" in page and "secteur 1" in page  # her answers
    assert "https://www.ameli.fr/medecin/textes-reference/convention-medicale-2024-2029" in re.sub(r"<[^>]+>", "", html)
    assert "<details" not in html.split('class="recapitulatif"')[1]  # nothing folded: a closed <details> prints empty
    assert "Adresse de ce résultat : http://testserver/mes-aides/?commune=34032&" in page


def test_le_fragment_pour_le_script(client):
    reponse = client.get("/mes-aides/", {**INSTALLATION_ZIP, "partiel": "1"})
    html = reponse.content.decode()
    assert html.lstrip().startswith('<div id="simulateur"') and "<html" not in html
    assert "Béziers : 2 aides certaines" in unescape(html)
