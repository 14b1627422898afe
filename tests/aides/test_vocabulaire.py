"""One declaration per situation fact (aides/eligibilite/vocabulaire.py): the Situation dataclass, the engine's
questions and predicates, the simulation form, the API's parameters and the scheme pages are derived from it."""
import dataclasses
import datetime
from html import unescape
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from aides.catalogue import charger_regles
from aides.eligibilite.conditions import evaluer
from aides.eligibilite.faits import Faits, Situation
from aides.eligibilite.logique import Verite
from aides.eligibilite.predicats import QUESTIONS, REGISTRE, minuscule
from aides.eligibilite.vocabulaire import CHOIX, FAITS, LIEU, OUI_NON, QUESTION_DU_LIEU
from aides.formulaires import SimulationForm
from zonages.models import QPV

RACINE = Path(__file__).resolve().parents[2]
BASE = {"commune": "34032", "profession": "medecin-generaliste", "date": "2026-03-01"}


def faits(**situation) -> Faits:
    return Faits(code_insee="00001", nom_commune="Commune fictive de test", departement="00", population=None,
                 profession="medecin-generaliste", date=datetime.date(2026, 3, 1), situation=Situation(**situation))


def exemple(fait):
    """A value of the fact, and a parameter of its predicate that this value satisfies."""
    if fait.nature == CHOIX:
        valeur = next(iter(fait.choix))
        return valeur, [valeur]
    if fait.nature == OUI_NON:
        return True, True
    valeur = fait.minimum if fait.minimum is not None else 0
    return fait.type_python(valeur), {"min": valeur}


def test_chaque_champ_de_la_situation_est_declare_une_fois():
    champs = {c.name: c.type for c in dataclasses.fields(Situation)}
    assert list(champs) == list(FAITS)
    assert all(champs[nom] == fait.type_python | None for nom, fait in FAITS.items())
    assert Situation() == Situation(**{nom: None for nom in FAITS})  # every fact unknown by default


@pytest.mark.parametrize("nom", FAITS)
def test_predicat_et_question_derives(nom):
    fait = FAITS[nom]
    valeur, parametre = exemple(fait)
    verite, _, questions = evaluer({nom: parametre}, faits())
    assert verite == Verite.INCONNU
    assert questions == [QUESTIONS[nom]]
    assert (questions[0].champ, questions[0].texte, questions[0].choix) == (nom, fait.question, fait.valeurs)
    verite, (raison,), _ = evaluer({nom: parametre}, faits(**{nom: valeur}))
    assert verite == Verite.VRAI and raison.critere == nom
    if fait.nature == OUI_NON:
        assert raison.message == fait.si_vrai + "."
        # Not met: what the situation is, then what the aid asks.
        assert evaluer({nom: True}, faits(**{nom: False}))[1][0].message == (
            f"{fait.si_faux} ; l'aide demande : {minuscule(fait.si_vrai)}.")
    else:
        assert raison.message.startswith(f"{fait.sujet_raison} : ")
        assert fait.unite_pour(valeur) in raison.message
    assert set(REGISTRE) >= set(FAITS)


def test_question_du_lieu_d_exercice():
    verite, _, questions = evaluer({"qpv": True}, faits())
    assert verite == Verite.INCONNU
    assert questions[0].champ == QUESTION_DU_LIEU and questions[0].texte == LIEU[QUESTION_DU_LIEU].question


@pytest.mark.parametrize("nom", [*FAITS, *LIEU])
def test_champ_du_formulaire_derive(nom):
    fait, champ = {**FAITS, **LIEU}[nom], SimulationForm.base_fields[nom]
    assert (champ.label, champ.help_text, champ.required) == (fait.libelle, fait.aide, False)
    if fait.nature == CHOIX:
        assert [c for c, _ in champ.choices if c] == list(fait.choix)
    elif fait.nature != OUI_NON:
        assert (champ.min_value, champ.max_value) == (fait.minimum, fait.maximum)


def test_ordre_du_formulaire():
    assert list(SimulationForm.base_fields) == ["commune", "profession", "date", *FAITS, *LIEU, "toutes_professions"]


@pytest.mark.django_db
def test_schema_de_l_api_derive():
    schema = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for methode in ("get",):
        parametres = schema["paths"]["/api/v1/eligibilite/"][methode]["parameters"]
        noms = [p["name"] for p in parametres]
        # Required first, most decisive next, the option last.
        assert noms == ["commune", "profession", "date", *FAITS, *LIEU, "toutes_professions"]
        assert [p.get("required", False) for p in parametres[:3]] == [True, True, False]
        par_nom = {p["name"]: p for p in parametres}
        for nom, fait in {**FAITS, **LIEU}.items():
            parametre = par_nom[nom]
            assert parametre["description"] == fait.question
            if fait.nature == CHOIX:
                assert parametre["schema"]["enum"] == list(fait.choix)
            elif fait.nature == OUI_NON:
                assert parametre["schema"]["enum"] == ["oui", "non"]
            else:
                attendu = {"type": "integer" if fait.type_python is int else "number"}
                attendu.update({cle: borne for cle, borne in (("minimum", fait.minimum), ("maximum", fait.maximum))
                                if borne is not None})
                assert parametre["schema"] == attendu


BORNES = [(nom, cle, borne) for nom, fait in {**FAITS, **LIEU}.items()
          for cle, borne in (("minimum", fait.minimum), ("maximum", fait.maximum)) if borne is not None]


@pytest.mark.django_db
@pytest.mark.parametrize("nom, cle, borne", BORNES, ids=[f"{n}-{c}" for n, c, _ in BORNES])
def test_une_borne_declaree_refuse_une_valeur_hors_limites(nom, cle, borne):
    fait = {**FAITS, **LIEU}[nom]
    hors = borne - 1 if cle == "minimum" else borne + 1
    point = {"lon": "3", "lat": "43"} if nom in LIEU else {}
    reponse = APIClient().get("/api/v1/eligibilite/", {**BASE, **point, nom: str(hors)})
    assert reponse.status_code == 400
    assert list(reponse.json()) == [nom]
    mot = "au moins" if cle == "minimum" else "au plus"
    assert reponse.json()[nom] == [f"{fait.libelle} : {mot} {borne}."]
    limite = APIClient().get("/api/v1/eligibilite/", {**BASE, **point, nom: str(borne)})
    assert limite.status_code == 200  # the bound itself is allowed


@pytest.fixture
def catalogue():
    charger_regles()


@pytest.mark.django_db
@pytest.mark.parametrize("nom", [n for n, f in FAITS.items() if n not in {"etape", "mode"}])
def test_le_simulateur_pose_chaque_fait_avec_sa_question_son_aide_et_son_unite(client, catalogue, nom):
    """Each fact is asked in the words of its declaration (never its field name), with its help, unit and bounds
    (in the words of the commune's region when it has its own: Béziers is in Occitanie, 76)."""
    fait = FAITS[nom]
    page = unescape(client.get("/mes-aides/", {**BASE, "question": nom}).content.decode())
    assert fait.question_pour("76") in page and fait.aide_pour("76") in page
    if fait.nature == CHOIX:
        assert all(f'value="{valeur}"' in page for valeur in fait.choix)
    elif fait.nature == OUI_NON:
        assert f'name="{nom}" value="oui"' in page and f'name="{nom}" value="non"' in page
    else:
        assert f'name="{nom}"' in page and (not fait.unite or f'id="reponse-unite">{fait.unite}</span>' in page)
        if fait.maximum is not None:
            assert f'max="{fait.maximum:g}"' in page


@pytest.mark.django_db
def test_le_lieu_d_exercice_se_demande_par_quartier(client, catalogue):
    """The page asks in which of the commune's QPV, if any, she will practise (the API takes a point)."""
    QPV.objects.create(code="QN-TEST", nom="Quartier de test", valid_from=datetime.date(2024, 1, 1),
                       geometrie={"type": "MultiPolygon", "coordinates": []}).communes.set(["34032"])
    reponse = client.get("/mes-aides/", {**BASE, "profession": "chirurgien-dentiste", "question": "quartier"})
    page = unescape(reponse.content.decode())
    assert "Exercerez-vous dans l'un des quartiers prioritaires (QPV) de Béziers ?" in page
    assert "Oui, dans le quartier « Quartier de test »" in page and "Non, hors de ces quartiers" in page
    assert "longitude" not in page.lower()


@pytest.mark.django_db
def test_page_d_une_aide_nomme_les_faits_par_leur_libelle(client, catalogue):
    cpts = unescape(client.get("/aides/ACI-CPTS/").content.decode())
    assert "projet de santé validé par l'ARS : oui" in cpts and "projet de sante valide" not in cpts
    transport = unescape(client.get("/aides/TRANSPORT-INTERNES/").content.decode())
    assert "cycle d'études : au moins 2" in transport and "distance du lieu de stage, en km : plus de 15" in transport


def test_aucun_fait_declare_ailleurs():
    """The declared sentences appear in no other source of the aids app (where a copy would drift)."""
    phrases = {t for f in (*FAITS.values(), *LIEU.values()) for t in (f.question, f.aide, f.si_vrai, f.si_faux) if t}
    phrases |= {f.libelle for f in FAITS.values() if len(f.libelle) > 15}
    sources = [p for p in (RACINE / "aides").rglob("*.py") if p.name != "vocabulaire.py"]
    sources += list((RACINE / "templates" / "aides").glob("*.html"))
    for source in sources:
        texte = source.read_text(encoding="utf-8")
        assert not [p for p in phrases if p in texte], source
