"""The « Où m'installer ? » page and the comparison of communes, server-rendered and usable without JavaScript (the
session's territories have no outlines: the page says the map cannot be drawn and keeps its table)."""
import datetime
from html import unescape

import pytest

from aides.catalogue import charger_regles
from aides.eligibilite.vocabulaire import FAITS
from tests.factories import version
from zonages.models import Classement
from zonages.publication import publier

pytestmark = pytest.mark.django_db
BEZIERS, TOULOUSE, CASTELSARRASIN = "34032", "31555", "82033"
PROFIL = {"profession": "medecin-generaliste", "date": "2026-03-01", "etape": "installation", "secteur": "1"}


@pytest.fixture(autouse=True)
def catalogue_et_zonage():
    """A test version (not the real zonage): two ZIP communes and Toulouse in ZAR; the others not classed by it."""
    charger_regles()
    zonage = version("ZIP", datetime.date(2022, 5, 7), communes=(BEZIERS, CASTELSARRASIN))
    Classement.objects.create(zonage=zonage, commune_id=TOULOUSE, niveau="ZAR")
    publier(zonage)


def html(reponse) -> str:
    return unescape(reponse.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def test_formulaire_vide(client):
    reponse = client.get("/ou-m-installer/")
    page = html(reponse)
    assert reponse.status_code == 200 and reponse.context.get("recherche") is None
    assert "Voir les communes" in page
    # The simulation's fields, from the declared facts: every one of them is asked.
    for fait in FAITS.values():
        assert f'name="{fait.nom}"' in page
    assert 'name="commune"' not in page  # every commune is evaluated
    assert "Où m'installer ?" in page and 'href="/ou-m-installer/"' in page  # in the navigation too


def test_toute_la_region(client):
    reponse = client.get("/ou-m-installer/", PROFIL)
    page = html(reponse)
    assert reponse.status_code == 200
    assert "Médecin généraliste, le 1 mars 2026 : 4 446 communes" in page
    assert "Carte indisponible : contours des communes non chargés." in page
    lignes = reponse.context["lignes"]
    assert len(lignes) == 50 and reponse.context["page_obj"].paginator.num_pages == 89
    # A ZIP commune has more aids to check than a ZAR one, where no aid is certain.
    rang = {lieu.code_insee: i for i, lieu in enumerate(reponse.context["recherche"].lieux)}
    assert rang[CASTELSARRASIN] < rang[TOULOUSE] and rang[BEZIERS] < rang[TOULOUSE]
    assert "/api/v1/eligibilite/communes/?profession=medecin-generaliste" in page and "format=csv" in page
    # The comparison form carries the profile.
    assert '<input type="hidden" name="etape" value="installation">' in page
    assert f'<input type="checkbox" name="codes" value="{lignes[0]["lieu"].code_insee}"' in page
    # Unknown is never « none »: every commune without a level here has its aids to check.
    assert sum(t.nombre for t in reponse.context["teintes"] if t.cle == "aucune") == 0


def test_tri_par_population_et_filtre_departement(client):
    reponse = client.get("/ou-m-installer/", {**PROFIL, "tri": "population"})
    assert reponse.context["lignes"][0]["lieu"].code_insee == TOULOUSE
    reponse = client.get("/ou-m-installer/", {**PROFIL, "tri": "-population", "departement": "34"})
    lieux = reponse.context["recherche"].lieux
    assert {lieu.departement for lieu in lieux} == {"34"}
    populations = [lieu.population or 0 for lieu in lieux]
    assert populations == sorted(populations)
    colonne = next(c for c in reponse.context["colonnes"] if c["cle"] == "population")
    assert colonne["actif"] and colonne["decroissant"] and "tri=population" in colonne["lien"]


def test_erreurs_en_francais_sans_500(client):
    reponse = client.get("/ou-m-installer/", {**PROFIL, "autour": "Commune introuvable", "rayon_km": "1000"})
    page = html(reponse)
    assert reponse.status_code == 400
    assert "Le profil est à corriger" in page
    assert "Aucune commune servie par ce portail ne s'appelle « Commune introuvable »." in page
    assert "Rayon, en km : au plus 200." in page


def test_sans_contours_la_distance_est_dite_impossible(client):
    """The session's territories have no points: « around Toulouse » cannot be computed, and says so."""
    reponse = client.get("/ou-m-installer/", {**PROFIL, "autour": TOULOUSE})
    assert reponse.status_code == 400
    assert "La position de Toulouse n'est pas connue du portail" in html(reponse)


def test_comparer(client):
    reponse = client.get("/communes/comparer/", {"codes": f"{CASTELSARRASIN},{TOULOUSE}", **PROFIL})
    page = html(reponse)
    assert reponse.status_code == 200
    colonnes = reponse.context["comparaison"].colonnes
    assert [c.commune.code_insee for c in colonnes] == [CASTELSARRASIN, TOULOUSE]
    assert colonnes[0].zonages["medecin"].niveau == "ZIP" and colonnes[1].zonages["medecin"].niveau == "ZAR"
    assert "Zonage médecins généralistes" in page and "Zone d'appui régional" in page
    assert "inconnu ici (à vérifier)" in page  # the kinds with no version loaded
    assert colonnes[0].aides.bilan.a_verifier > colonnes[1].aides.bilan.a_verifier
    assert f"/mes-aides/?commune={CASTELSARRASIN}&profession=medecin-generaliste" in page
    assert "Aides à vérifier" in page and "Montants possibles" in page


def test_comparer_sans_profil_et_cases_cochees(client):
    """From the table's checkboxes: the parameter repeated."""
    reponse = client.get(f"/communes/comparer/?codes={BEZIERS}&codes={TOULOUSE}&codes={CASTELSARRASIN}")
    assert reponse.status_code == 200
    assert len(reponse.context["comparaison"].colonnes) == 3
    assert "Aides certaines" not in html(reponse)


@pytest.mark.parametrize("codes, message", [
    (BEZIERS, "Choisissez de 2 à 4 communes à comparer (1 donnée)."),
    (f"{BEZIERS},99999", "Aucune commune servie par ce portail n'a le code INSEE « 99999 »."),
    (",".join([BEZIERS, TOULOUSE, CASTELSARRASIN, "12202", "81004"]), "Choisissez de 2 à 4 communes à comparer (5 données)."),
])
def test_comparer_refuse(client, codes, message):
    reponse = client.get("/communes/comparer/", {"codes": codes})
    assert reponse.status_code == 400
    assert message in html(reponse)
