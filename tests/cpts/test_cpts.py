"""CPTS: seed load, dated territory without overlaps, computed population, ACI bracket from the shared rule, pages,
API."""
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from aides.catalogue import charger_regles, dispositif
from cpts.chargement import charger_cpts
from cpts.financement import tranche_aci, tranche_aci_de
from cpts.models import Cpts, Mission, Stade, TerritoireCpts
from territoires.models import Commune

pytestmark = pytest.mark.django_db

AUJOURDHUI = timezone.localdate()
PASSE = datetime.date(2020, 1, 1)


@pytest.fixture(autouse=True)
def regles():
    charger_regles()


@pytest.fixture
def api():
    return APIClient()


def creer(nom, communes=(), **champs):
    """A fictitious CPTS (test data) with communes attached since 2020."""
    cpts = Cpts.objects.create(nom=nom, **champs)
    for code in communes:
        TerritoireCpts.objects.create(cpts=cpts, commune_id=code, valid_from=PASSE)
    return cpts


def test_chargement_des_seeds_idempotent_et_contenu(capsys):
    rapport = charger_cpts()
    assert len(rapport.creees) == 8 and not rapport.modifiees
    assert charger_cpts().lignes() == ["CPTS : 0 créée(s), 0 modifiée(s), 8 inchangée(s)"]
    assert Cpts.objects.count() == 8
    sud_tarn = Cpts.objects.get(nom="CPTS Sud-Tarn")
    assert sud_tarn.population_declaree == 121392 and sud_tarn.nombre_communes_declare == 74
    assert sud_tarn.porteur.startswith("MSP Brassac")
    assert "« Les structures et dispositifs d'exercice coordonné »" in sud_tarn.source
    assert not re.search(r"\d{3}_[0-9a-f]{16}|\bl\. \d", sud_tarn.source + sud_tarn.source_population)  # cited by title
    assert [d.code for d in sud_tarn.departements.all()] == ["81"]
    agly = Cpts.objects.get(nom="CPTS Agly Fenouillèdes Pyrénées")
    assert agly.porteur == "" and agly.nombre_communes_declare is None  # not stated by the seeds
    assert sorted(d.code for d in agly.departements.all()) == ["11", "66"]
    providence = Cpts.objects.get(nom="CPTS La Providence")
    assert providence.territoire_declare == "commune de Toulouse, cantons 1, 4 et 5"
    assert set(Cpts.objects.values_list("stade", flat=True)) == {"validee"}
    assert not TerritoireCpts.objects.exists()  # communes are not in the seeds
    # A stage moved on in the administration is kept by a reload.
    Cpts.objects.filter(pk=sud_tarn.pk).update(stade=Stade.CONTRAT_SIGNE)
    charger_cpts()
    assert Cpts.objects.get(pk=sud_tarn.pk).stade == Stade.CONTRAT_SIGNE
    call_command("charger_cpts")
    assert "8 inchangée(s)" in capsys.readouterr().out


def test_chevauchement_refuse_en_nommant_l_autre_cpts():
    creer("CPTS de test A", communes=["34172"])
    b = creer("CPTS de test B")
    rattachement = TerritoireCpts(cpts=b, commune_id="34172", valid_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as erreur:
        rattachement.full_clean()
    assert "« CPTS de test A »" in str(erreur.value) and "Montpellier" in str(erreur.value)
    # After the first attachment ends, the commune may join another CPTS.
    TerritoireCpts.objects.filter(commune_id="34172").update(valid_to=datetime.date(2023, 12, 31))
    rattachement.full_clean()
    # Dates in the wrong order are refused.
    with pytest.raises(ValidationError):
        TerritoireCpts(cpts=b, commune_id="34032", valid_from=AUJOURDHUI, valid_to=PASSE).full_clean()


def test_chevauchement_refuse_dans_l_administration(admin_client):
    creer("CPTS de test A", communes=["34172"])
    b = creer("CPTS de test B")
    donnees = {"nom": b.nom, "porteur": "", "stade": "projet", "date_aci": "", "departements": [],
               "population_declaree": "", "source_population": "", "nombre_communes_declare": "",
               "territoire_declare": "", "source": "", "email": "", "telephone": "", "site_web": "",
               "territoires-TOTAL_FORMS": "1", "territoires-INITIAL_FORMS": "0",
               "territoires-0-commune": "34172", "territoires-0-valid_from": "2024-01-01",
               "territoires-0-valid_to": "", "missions-TOTAL_FORMS": "0", "missions-INITIAL_FORMS": "0"}
    reponse = admin_client.post(f"/admin/cpts/cpts/{b.pk}/change/", donnees)
    assert reponse.status_code == 200
    assert "appartient déjà à la CPTS « CPTS de test A »" in reponse.content.decode()
    assert not b.territoires.exists()
    assert admin_client.get(f"/admin/cpts/cpts/{b.pk}/history/").status_code == 200


def test_population_calculee_des_communes_en_vigueur():
    cpts = creer("CPTS de test", communes=["34172", "34032"])
    TerritoireCpts.objects.create(cpts=cpts, commune_id="34022", valid_from=PASSE, valid_to=datetime.date(2021, 1, 1))
    attendu = sum(Commune.objects.get(pk=c).population for c in ["34172", "34032"])
    assert cpts.population_calculee() == attendu
    assert creer("CPTS de test vide").population_calculee() is None


def test_tranche_aci_lue_dans_la_regle_partagee():
    # 2019 maxima until avenant 2 (20/12/2021); after it, the brackets stand and their amounts are to be specified.
    en_2020 = datetime.date(2020, 6, 1)
    version = dispositif("ACI-CPTS").version_le(en_2020)
    petite, grande = tranche_aci(30000, jour=en_2020), tranche_aci(200000, jour=en_2020)
    assert petite.etat == grande.etat == "tranche"
    assert petite.montant in version.montants and grande.montant in version.montants
    assert petite.montant != grande.montant and (petite.montant.valeur, grande.montant.valeur) == (220000, 450000)
    assert petite.montant == version.montants[0]  # the rule's first variant is the smallest territories'
    actuelle = tranche_aci(30000, jour=datetime.date(2021, 12, 20))
    assert actuelle.etat == "montant_a_preciser" and actuelle.montant.valeur is None
    assert "moins de 40 000 habitants" in actuelle.montant.libelle and "à préciser" in actuelle.montant.libelle
    assert tranche_aci(None).etat == "population_inconnue"
    cpts = creer("CPTS de test déclarée", population_declaree=30000)
    assert tranche_aci_de(cpts, en_2020).origine_population == "declaree"
    assert tranche_aci_de(cpts, en_2020).montant == petite.montant
    assert tranche_aci_de(creer("CPTS de test sans population")).etat == "population_inconnue"


def test_pages_liste_et_detail(client, django_assert_max_num_queries):
    charger_cpts()
    a = creer("CPTS de test A", communes=["34172"], stade=Stade.CONTRAT_SIGNE, date_aci=datetime.date(2022, 5, 1))
    Mission.objects.create(cpts=a, code="prevention", etat="en_cours")
    Mission.objects.create(cpts=a, code="optionnelle", libelle="Mission de test", etat="a_definir")
    with django_assert_max_num_queries(12):
        reponse = client.get("/cpts/")
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert "CPTS Sud-Tarn" in html and "CPTS de test A" in html and "<script>" not in html.replace("<script src", "")
    assert reponse.context["couverture"]["34172"]["cpts"] == "CPTS de test A"
    assert client.get("/cpts/", {"stade": "abandonne"}).status_code == 400
    filtre = client.get("/cpts/", {"departement": "66"})
    assert [c.nom for c in filtre.context["liste_cpts"]] == ["CPTS Agly Corbières Méditerranée",
                                                             "CPTS Agly Fenouillèdes Pyrénées",
                                                             "CPTS Pays de Santé Conflent"]
    with django_assert_max_num_queries(12):
        reponse = client.get(f"/cpts/{a.pk}/")
    html = reponse.content.decode()
    assert "Montpellier" in html and "Prévention (mission socle) : en cours" in html and "Mission de test" in html
    assert "Montant à préciser" in html and "contrat ACI signé le 01/05/2022" in html
    sud_tarn = Cpts.objects.get(nom="CPTS Sud-Tarn")
    html = client.get(f"/cpts/{sud_tarn.pk}/").content.decode()
    assert "ne sont pas encore rattachées" in html and "74 communes" in html
    assert "121392 habitants" in html and "déclarée (121392 habitants" in html
    assert client.get("/cpts/999999/").status_code == 404


def test_api_contrat(api, django_assert_max_num_queries):
    charger_cpts()
    a = creer("CPTS de test A", communes=["34172"])
    a.departements.set(["34"])
    with django_assert_max_num_queries(8):
        reponse = api.get("/api/v1/cpts/")
    assert reponse.status_code == 200
    donnees = reponse.json()
    assert donnees["count"] == 9
    fiche = next(r for r in donnees["results"] if r["nom"] == "CPTS de test A")
    assert fiche["nb_communes"] == 1 and fiche["departements"] == ["34"]
    assert fiche["population_calculee"] == Commune.objects.get(pk="34172").population
    assert [r["nom"] for r in api.get("/api/v1/cpts/", {"departement": "34"}).json()["results"]] == ["CPTS de test A"]
    assert api.get("/api/v1/cpts/", {"stade": "validee"}).json()["count"] == 8
    erreur = api.get("/api/v1/cpts/", {"stade": "x"})
    assert erreur.status_code == 400 and "stade" in erreur.json()
    assert api.get("/api/v1/cpts/", {"departement": "99"}).status_code == 400
    with django_assert_max_num_queries(8):
        detail = api.get(f"/api/v1/cpts/{a.pk}/")
    corps = detail.json()
    assert corps["communes"][0]["code_insee"] == "34172" and corps["aci"]["etat"] == "montant_a_preciser"
    assert corps["aci"]["valeur"] is None and corps["aci"]["origine_population"] == "calculee"
    inconnue = api.get("/api/v1/cpts/999999/")
    assert inconnue.status_code == 404 and inconnue.json() == {"detail": "Aucune CPTS n'a le numéro 999999."}
    assert api.get("/api/v1/schema/").status_code == 200
