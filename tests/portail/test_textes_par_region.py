"""Nothing says « Occitanie » outside Occitanie (issue 17): with PAPS_REGIONS=84 and the territories of
Auvergne-Rhône-Alpes (donnees/france, loaded once for the module in a transaction rolled back at its end), every
public page, feed and API answer names Auvergne-Rhône-Alpes; only the titles and publishers of cited sources (PAPS
Occitanie's pages, the ARS Occitanie's documents, which national schemes cite) may name Occitanie. With the default
76, the portal is still « PAPS Occitanie »."""
import datetime
import json
import re
from html import unescape

import pytest
import yaml
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from aides import catalogue
from aides.annuaire import interlocuteur
from aides.catalogue import charger_regles
from aides.eligibilite.faits import Faits, Situation
from aides.eligibilite.moteur import evaluer
from aides.eligibilite.regles import DOSSIER_REGLES, lire_dossier, valider
from aides.eligibilite.vocabulaire import FAITS
from noyau.regions import REGIONS_INSEE, collectivite_de, de_region, des_regions, en_region, en_regions
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES

JOUR = datetime.date(2026, 3, 1)
LYON, CHAMONIX = "69123", "74056"
ARA = "Auvergne-Rhône-Alpes"
# A médecin généraliste already installed: the Pacte's mission (national, funded by the State) is to be specified
# on its question; an intern: the CHU's allowances.
INSTALLE = {"profession": "medecin-generaliste", "date": JOUR.isoformat(), "etape": "installe", "mode": "liberal"}
INTERNE = {"profession": "medecin-generaliste", "date": JOUR.isoformat(), "etape": "interne"}


@pytest.fixture(scope="module")
def auvergne(django_db_setup, django_db_blocker):
    reglage = override_settings(PAPS_REGIONS="84")
    reglage.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            charger_territoires(DONNEES_REELLES / "france")
            charger_regles()
            yield
            transaction.set_rollback(True)
    finally:
        reglage.disable()


@pytest.fixture
def servi_84(auvergne, db):
    with override_settings(PAPS_REGIONS="84"):
        yield


def sans_sources(html: str) -> str:
    """The page without its lists of cited sources (templates/aides/_sources.html), unescaped."""
    return unescape(re.sub(r'<div class="[^"]*\bsources\b[^"]*">.*?</div>', "", html, flags=re.DOTALL))


def sans_sources_json(valeur):
    """An API answer without its `sources` (cited by title and publisher)."""
    if isinstance(valeur, dict):
        return {cle: sans_sources_json(v) for cle, v in valeur.items() if cle != "sources"}
    if isinstance(valeur, list):
        return [sans_sources_json(v) for v in valeur]
    return valeur


def occitanie_hors_sources(html: str) -> list[str]:
    """Each place « Occitanie » is said outside the cited sources, with its context (for the failure message)."""
    texte = sans_sources(html)
    return [texte[max(0, m.start() - 80):m.end() + 40] for m in re.finditer("Occitanie", texte)]


PAGES = ["/", "/je-m-installe/", "/je-m-installe/medecin-generaliste/", "/je-m-installe/chirurgien-dentiste/",
         "/mes-aides/", "/zonages/", "/zonages/tableau/", "/aides/", "/structures/", "/cpts/", "/offres/",
         "/ou-m-installer/", "/communes/comparer/", "/alertes/", "/api/", "/api/v1/docs/", "/mentions-legales/",
         "/accessibilite/", "/communes/", "/communes/?q=lyon", f"/communes/{LYON}/",
         f"/communes/{LYON}/?profession=medecin-generaliste", f"/communes/{CHAMONIX}/?profession=infirmier",
         "/offres/flux.atom", f"/communes/{LYON}/flux.atom", "/admin/login/",
         "/mes-aides/?" + "&".join(f"{c}={v}" for c, v in {**INSTALLE, "commune": LYON}.items()),
         "/mes-aides/?" + "&".join(f"{c}={v}" for c, v in {**INTERNE, "commune": CHAMONIX}.items()),
         f"/mes-aides/?commune={LYON}&profession=medecin-generaliste&question=consultations_zone_prioritaire_pacte",
         "/mes-aides/?commune=zzzzzz&profession=medecin-generaliste"]


@pytest.mark.parametrize("url", PAGES)
def test_chaque_page_publique_nomme_la_region_servie(servi_84, client, url):
    reponse = client.get(url, follow=True)
    assert reponse.status_code in {200, 400}, url  # 400: the simulator's unknown commune, said on the page
    html = reponse.content.decode()
    assert occitanie_hors_sources(html) == []
    assert ARA in unescape(html)


def test_chaque_fiche_d_aide_nomme_la_region_servie(servi_84, client):
    codes = [d.code for d in catalogue.dispositifs()]
    assert len(codes) > 30 and "ARS-MONTAGNE" not in codes  # Occitanie's schemes are not served here
    for code in codes:
        html = client.get(f"/aides/{code}/").content.decode()
        assert occitanie_hors_sources(html) == [], code
    # National schemes of the State managed by the ARS: the served region's ARS.
    assert "ARS Auvergne-Rhône-Alpes" in unescape(client.get("/aides/CDE/").content.decode())


def test_valeurs_par_defaut_sans_region(servi_84, client):
    """The simulator's error names the served region; the Pacte's question is asked in national words."""
    page = unescape(client.get("/mes-aides/", {"commune": "zzzzzz", "profession": "medecin-generaliste"}).content
                    .decode())
    assert f"Aucune commune d'{ARA} ne correspond à « zzzzzz »" in page
    page = sans_sources(client.get("/mes-aides/", {"commune": LYON, "profession": "medecin-generaliste",
                                                   "question": "consultations_zone_prioritaire_pacte"}).content
                        .decode())
    fait = FAITS["consultations_zone_prioritaire_pacte"]
    assert fait.question in page and fait.aide in page and "28 zones" not in page


def test_documentation_et_schema_de_l_api(servi_84, client):
    assert "<title>Documentation de l'API — PAPS Auvergne-Rhône-Alpes</title>" in unescape(
        client.get("/api/v1/docs/").content.decode())
    schema = APIClient().get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["info"]["title"] == f"API PAPS {ARA}"


@pytest.mark.parametrize("commune, parametres", [(LYON, INSTALLE), (CHAMONIX, INTERNE), (LYON, INTERNE)])
def test_une_aide_nationale_evaluee_a_lyon_n_a_ni_financeur_ni_contact_d_occitanie(servi_84, commune, parametres):
    corps = APIClient().get("/api/v1/eligibilite/", {**parametres, "commune": commune,
                                                     "toutes_professions": "oui"}).json()
    resultats = corps["aides"] + corps["obligations"] + corps["dispositifs_fermes"]
    assert resultats and all(not r.get("code", "").startswith(("ARS-MONTAGNE", "REGION-")) for r in resultats)
    assert "Occitanie" not in json.dumps(sans_sources_json(corps), ensure_ascii=False)
    par_code = {r["code"]: r for r in resultats}
    # The ARS of the State's schemes is the commune's; a CPAM with no page checked is said so.
    assert {r["financeur"] for r in resultats if r["financeur_type"] == "ars"} == {"ARS Auvergne-Rhône-Alpes"}
    contacts = [r["contact"] for r in corps["aides"] + corps["obligations"]]
    for contact in contacts:
        assert contact["liens"] or contact["note"], contact  # never a contact without a way to find it
    ars = [c for c in contacts if c["type"] == "ars-dd"]
    if ars:
        assert ars[0]["decide"] == "l'ARS Auvergne-Rhône-Alpes"
        assert [l["url"] for l in ars[0]["liens"]] == ["https://www.auvergne-rhone-alpes.ars.sante.fr",
                                                       "https://www.ars.sante.fr"]
    if parametres is INSTALLE:  # the Pacte's mission, to be specified on its question in national words
        solidarite = par_code["SOLIDARITE-TERRITORIALE"]
        assert solidarite["financeur"] == "État" and solidarite["statut"] == "a_preciser"
        assert [q["texte"] for q in solidarite["questions"]] == [FAITS["consultations_zone_prioritaire_pacte"].question]


@override_settings(PAPS_REGIONS="76")  # the default, whatever this module's fixture set
def test_le_portail_d_occitanie_reste_paps_occitanie(client, db):
    charger_regles()
    for url in ("/", "/mentions-legales/", "/aides/"):
        assert "PAPS Occitanie" in unescape(client.get(url).content.decode())
    assert "<title>Documentation de l'API — PAPS Occitanie</title>" in unescape(
        client.get("/api/v1/docs/").content.decode())
    assert "<title>PAPS Occitanie — offres d'emploi en cours</title>" in client.get("/offres/flux.atom").content.decode()
    accueil = unescape(client.get("/").content.decode())
    assert "<h1>S'installer en Occitanie quand on est professionnel de santé</h1>" in accueil
    assert 'href="https://www.occitanie.ars.sante.fr"' in accueil and "https://www.ars.sante.fr" not in accueil
    assert "PAPS Occitanie — administration ARS" in unescape(client.get("/admin/login/").content.decode())
    # Occitanie's figures of a national scheme, on its page where Occitanie is served.
    assert "<strong>En Occitanie :</strong> 111 contrats signés et 40 actifs en 2019." in unescape(
        client.get("/aides/PTMG/").content.decode())
    with override_settings(PAPS_REGIONS="84"):
        assert "111 contrats" not in unescape(client.get("/aides/PTMG/").content.decode())


# --- Without the database -------------------------------------------------------------------------------------------

def test_noms_des_regions_en_francais():
    assert (en_region("76"), de_region("76"), de_region("84"), de_region("53")) == (
        "en Occitanie", "d'Occitanie", "d'Auvergne-Rhône-Alpes", "de Bretagne")
    assert (en_region("04"), en_region("44"), de_region("32")) == ("à La Réunion", "dans le Grand Est",
                                                                   "des Hauts-de-France")
    assert en_regions(["84", "76"]) == "en Occitanie et en Auvergne-Rhône-Alpes"
    assert (en_regions(None), des_regions(None)) == ("en France", "de France")
    assert collectivite_de("76") == "Région Occitanie" and collectivite_de("94") == "Collectivité de Corse"
    assert all(en_region(c) and de_region(c) for c in REGIONS_INSEE)


def _faits(region: str | None, **situation) -> Faits:
    return Faits(code_insee="00001", nom_commune="Commune fictive de test", departement="00", population=500,
                 profession="medecin-generaliste", date=JOUR, zonages={"medecin": "ZIP", "montagne": "C"},
                 situation=Situation(**situation), region=region)


def test_financeur_nomme_d_apres_la_region():
    dispositifs = {d.code: d for d in lire_dossier(DOSSIER_REGLES)}
    cde, montagne, region_msp = dispositifs["CDE"], dispositifs["ARS-MONTAGNE"], dispositifs["REGION-MSP"]
    assert (cde.nom_du_financeur("84"), cde.nom_du_financeur("76")) == ("ARS Auvergne-Rhône-Alpes", "ARS Occitanie")
    assert cde.nom_du_financeur(None) == "Agence régionale de santé (ARS) de votre région"
    assert montagne.nom_du_financeur(None) == montagne.nom_du_financeur("84") == "ARS Occitanie"  # its rule's region
    assert region_msp.nom_du_financeur(None) == "Région Occitanie"
    assert dispositifs["CAIM"].nom_du_financeur("84") == "Assurance Maladie"


def test_les_textes_des_dispositifs_nationaux_ne_disent_pas_occitanie():
    """Outside their sources (bibliographic facts) and their regional details, national schemes are true everywhere;
    an exclusion names Occitanie's montagne aid, shown only where that aid applies."""
    for d in lire_dossier(DOSSIER_REGLES):
        if d.regions:
            continue
        textes = [d.nom, d.nom_court, d.resume, *(v.note for v in d.versions),
                  *(m.libelle or "" for v in d.versions for m in v.montants)]
        assert not [t for t in textes if "Occitanie" in t], d.code
        assert all(e.code == "ARS-MONTAGNE" for e in d.exclusions if "Occitanie" in e.motif), d.code


def test_un_dispositif_d_une_autre_region_n_est_pas_non_cumulable_ici():
    dispositifs = lire_dossier(DOSSIER_REGLES)
    jour = datetime.date(2025, 6, 1)  # the CAIM still open
    for region, attendu in (("76", True), ("84", False)):
        faits = Faits(code_insee="00001", nom_commune="Commune fictive de test", departement="00", population=500,
                      profession="medecin-generaliste", date=jour, zonages={"medecin": "ZIP", "montagne": "C"},
                      region=region)
        caim = next(r for r in evaluer(dispositifs, faits) if r.dispositif.code == "CAIM")
        assert ("ARS-MONTAGNE" in {n.code for n in caim.non_cumuls}) is attendu


def test_question_du_pacte_dans_les_mots_de_sa_region():
    dispositifs = [d for d in lire_dossier(DOSSIER_REGLES) if d.code == "SOLIDARITE-TERRITORIALE"]
    fait = FAITS["consultations_zone_prioritaire_pacte"]
    for region, question in (("76", fait.question_pour("76")), ("84", fait.question), (None, fait.question)):
        resultat, = evaluer(dispositifs, _faits(region, etape="installe"))
        assert [q.texte for q in resultat.questions] == [question]
    assert "28 zones" in fait.question_pour("76") and "Occitanie" not in fait.question + fait.aide


def test_precisions_regionales_validees():
    brut = yaml.safe_load((DOSSIER_REGLES / "PTMG.yaml").read_text(encoding="utf-8"))
    assert valider(brut) == [] and brut["precisions_regionales"] == {"76": "111 contrats signés et 40 actifs en 2019."}
    for fautif in ({"99": "texte"}, {"76": ""}, {76: "texte"}, [], {}):
        assert any(p.startswith("precisions_regionales :") for p in valider({**brut, "precisions_regionales": fautif}))


def test_contacts_hors_des_regions_tenues_par_l_annuaire():
    """A commune of Auvergne-Rhône-Alpes: no Occitanie body, no invented one; what is not held is said."""
    for type_ in ("ars-dd", "cpam", "chu", "cng", "faculte", "impots", "region", "collectivite", "urps"):
        contact = interlocuteur(type_, "69", "Lyon", "medecin-generaliste", region="84").en_dict()
        assert "Occitanie" not in json.dumps(contact, ensure_ascii=False), type_
        assert contact["liens"] or contact["note"], type_
    cpam = interlocuteur("cpam", "69", region="84")
    assert cpam.nom == "CPAM du département 69" and cpam.liens[0].url == "https://www.ameli.fr"
    assert "n'a pas pu être vérifiée" in cpam.note
    urps = interlocuteur("urps", "69", profession="infirmier", region="84")
    assert urps.liens == () and "ne détient pas" in urps.note
    # Region unknown, département not in the directory: neutral words, the national portal.
    ars = interlocuteur("ars-dd", "69")
    assert ars.decide == "l'ARS de votre région" and [l.url for l in ars.liens] == ["https://www.ars.sante.fr"]
    # Occitanie's directory is unchanged, found from the département when the region is not told.
    assert interlocuteur("ars-dd", "48").nom == "Délégation départementale de la Lozère (ARS Occitanie)"
    assert interlocuteur("urps", "48", profession="infirmier").nom == "URPS Infirmiers Occitanie"
