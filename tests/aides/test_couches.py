"""Unknown is never no (issue 12): a condition on a layer with no published version in force on the date is unknown,
with a message that says the layer is not loaded and where the official information is; a version in force that
does not list the commune is unknown too, said differently; only a loaded, published layer makes a condition false.
Checked for every zonage kind and for the QPV, on the database, as the simulator and the API read them."""
import datetime
from html import unescape

import pytest
from rest_framework.test import APIClient

from aides.catalogue import charger_regles
from aides.eligibilite.conditions import evaluer
from aides.eligibilite.logique import Verite
from aides.simulation import faits_du_cas
from territoires.models import Commune
from tests.factories import version
from zonages.models import QPV
from zonages.niveaux import TYPES, VERIFIER_QPV
from zonages.publication import publier

pytestmark = pytest.mark.django_db
JOUR = datetime.date(2026, 3, 1)
DEBUT = datetime.date(2025, 1, 1)


def beziers():
    return Commune.objects.get(code_insee="34032")


def condition_sur(code: str) -> tuple[dict, str]:
    """A condition on the kind's first level, and another level of the kind (to make it false)."""
    premier, autre = TYPES[code].niveaux[0].code, TYPES[code].niveaux[-1].code
    return {"zonage": {"type": code, "niveaux": [premier]}}, autre


@pytest.mark.parametrize("code", TYPES)
def test_couche_non_chargee_inconnue_avec_ou_verifier(code):
    condition, _ = condition_sur(code)
    # A version of the kind that has ended, and a draft: neither is in force and published on the date.
    publier(version(TYPES[code].niveaux[0].code, datetime.date(2018, 1, 1), type_=code, fin=datetime.date(2019, 1, 1)))
    version(TYPES[code].niveaux[0].code, DEBUT, type_=code)
    faits = faits_du_cas(beziers(), "medecin-generaliste", JOUR)
    verite, (raison,), questions = evaluer(condition, faits)
    assert verite == Verite.INCONNU and questions == []
    assert "aucun zonage en vigueur le 1er mars 2026 n'est chargé dans le portail" in raison.message
    assert TYPES[code].ou_verifier in raison.message


@pytest.mark.parametrize("code", TYPES)
def test_version_en_vigueur_qui_ne_classe_pas_la_commune_inconnue(code):
    condition, _ = condition_sur(code)
    publier(version(TYPES[code].niveaux[0].code, DEBUT, type_=code, communes=("34172",)))
    verite, (raison,), _ = evaluer(condition, faits_du_cas(beziers(), "medecin-generaliste", JOUR))
    assert verite == Verite.INCONNU
    assert "la version en vigueur le 1er mars 2026 ne classe pas Béziers" in raison.message
    assert TYPES[code].ou_verifier in raison.message


@pytest.mark.parametrize("code", TYPES)
def test_seule_une_couche_chargee_rend_la_condition_fausse(code):
    condition, autre = condition_sur(code)
    publier(version(autre, DEBUT, type_=code))
    verite, (raison,), _ = evaluer(condition, faits_du_cas(beziers(), "medecin-generaliste", JOUR))
    assert verite == Verite.FAUX and "l'aide demande" in raison.message and "chargé" not in raison.message


def test_qpv_non_charges_inconnus_meme_avec_un_point():
    for lon, lat in ((None, None), (3.2, 43.3)):
        faits = faits_du_cas(beziers(), "medecin-generaliste", JOUR, lon=lon, lat=lat)
        assert faits.qpv is None
        verite, (raison,), questions = evaluer({"qpv": True}, faits)
        assert verite == Verite.INCONNU and questions == []  # a point cannot settle it: no polygon is loaded
        assert "aucune liste de quartiers prioritaires en vigueur le 1er mars 2026 n'est chargée" in raison.message
        assert VERIFIER_QPV in raison.message


def test_qpv_charges_commune_sans_qpv_hors_qpv():
    quartier = QPV.objects.create(code="QN-TEST", nom="Quartier de test", valid_from=datetime.date(2024, 1, 1),
                                  geometrie={"type": "MultiPolygon", "coordinates": []})
    quartier.communes.set(["34172"])
    faits = faits_du_cas(beziers(), "medecin-generaliste", JOUR)
    assert faits.qpv is False and evaluer({"qpv": True}, faits)[0] == Verite.FAUX
    # A QPV list that ended before the date is not loaded on that date.
    quartier.valid_to = datetime.date(2025, 12, 31)
    quartier.save()
    assert faits_du_cas(beziers(), "medecin-generaliste", JOUR).qpv is None


def test_le_simulateur_et_l_api_disent_quand_le_zonage_de_la_profession_est_inconnu(client):
    """A nurse in Béziers with no nurses' zonage loaded: the page shows a notice, the API says it."""
    charger_regles()
    parametres = {"commune": "34032", "profession": "infirmier", "date": "2026-03-01"}
    page = unescape(client.get("/mes-aides/", parametres).content.decode())
    assert "Aucun zonage « Infirmiers » en vigueur le 1er mars 2026 n'est chargé dans le portail" in page
    assert "CartoSanté" in page and 'data-couche="infirmier"' in page
    corps = APIClient().get("/api/v1/eligibilite/", parametres).json()
    assert corps["zonage_profession"]["etat"] == "non_chargee" and corps["zonage_profession"]["niveau"] is None
    # No nurse's answer turns on the QPV: the missing QPV layer is not said to her.
    assert [a["couche"] for a in corps["avertissements"]] == ["infirmier"]
    # Loaded, but not listing Béziers: a different notice.
    publier(version("TSD", DEBUT, type_="infirmier", communes=("34172",)))
    corps = APIClient().get("/api/v1/eligibilite/", parametres).json()
    assert corps["zonage_profession"]["etat"] == "commune_absente"
    assert corps["zonage_profession"]["message"].startswith(
        "La version du zonage « Infirmiers » en vigueur le 1er mars 2026 ne classe pas Béziers")
    capii = next(a for a in corps["aides"] if a["code"] == "CAPII")
    assert capii["statut"] == "a_preciser"  # never "non éligible" for want of data


def test_salarie_a_toulouse_sans_qpv_charges_400_postes_a_preciser():
    """The issue's example: with no QPV polygons loaded, the « 400 postes » are not refused to a salaried GP."""
    charger_regles()
    publier(version("ZAR", DEBUT, communes=("31555",)))  # a test level, not Toulouse's real one
    corps = APIClient().get("/api/v1/eligibilite/", {"commune": "31555", "profession": "medecin-generaliste",
                                                     "date": "2026-03-01", "mode": "salarie",
                                                     "demi_journees": "8"}).json()
    postes = next(a for a in corps["aides"] if a["code"] == "ARS-400-POSTES")
    assert postes["statut"] == "a_preciser"
    assert any("n'est chargée dans le portail" in r["message"] for r in postes["raisons"])
