"""The eligibility answer built once per reading of the place (aides/reponse_eligibilite.py) is exactly the answer
of the simulation serialised directly, with each commune's own name, on the real data of the region."""
import datetime
import gzip
import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from aides import reponse_eligibilite
from aides.eligibilite.faits import PROFESSIONS, Situation
from aides.reponse_eligibilite import corps_json
from aides.simulation import ferme_en_dict, resultat_en_dict, simuler
from territoires.models import Commune

pytestmark = pytest.mark.django_db
JOUR = datetime.date(2026, 3, 1)
SITUATIONS = [Situation(), Situation(etape="installation", mode="liberal", secteur="1", premiere_installation=True),
              Situation(etape="installation", exercice_coordonne="msp", demi_journees=8), Situation(etape="etudiant")]


def corps_direct(commune, profession, jour, situation, lon=None, lat=None, toutes=False) -> dict:
    """The answer as the API built it before: the simulation serialised field by field."""
    simulation = simuler(commune, profession, jour, situation, lon, lat, toutes)
    corps = {
        "commune": {"code_insee": commune.code_insee, "nom": commune.nom},
        "profession": simulation.profession, "date": simulation.date, "zonages": simulation.zonages,
        "qpv": simulation.qpv, "couches_en_vigueur": sorted(simulation.faits.couches_en_vigueur),
        "zonage_profession": simulation.zonage_profession, "avertissements": simulation.avertissements,
        "aides": [resultat_en_dict(simulation, r) for r in simulation.aides],
        "obligations": [resultat_en_dict(simulation, r) for r in simulation.obligations],
        "dispositifs_fermes": [ferme_en_dict(r, simulation.faits.region) for r in simulation.fermes],
    }
    return json.loads(json.dumps(corps, cls=DjangoJSONEncoder))


def communes(region_reelle) -> list[Commune]:
    """Every 40th commune, and those whose names need care: « Le », « Les », a vowel, an apostrophe."""
    toutes = list(Commune.objects.select_related("departement").defer("contour", "departement__contour")
                  .order_by("code_insee"))
    choisies = toutes[::40]
    for debut in ("Le ", "Les ", "Albi", "L'"):
        choisies.append(next(c for c in toutes if c.nom.startswith(debut)))
    return choisies


def test_meme_reponse_que_la_simulation_directe(region_reelle):
    for i, commune in enumerate(communes(region_reelle)):
        profession = list(PROFESSIONS)[i % len(PROFESSIONS)]
        situation = SITUATIONS[i % len(SITUATIONS)]
        assert json.loads(corps_json(commune, profession, JOUR, situation)) == corps_direct(
            commune, profession, JOUR, situation), (commune.code_insee, profession, situation)


def test_toutes_professions_et_point(region_reelle):
    montpellier, beziers = Commune.objects.get(code_insee="34172"), Commune.objects.get(code_insee="34032")
    for commune in (montpellier, beziers):
        assert json.loads(corps_json(commune, "infirmier", JOUR, SITUATIONS[1], toutes_professions=True)) == \
            corps_direct(commune, "infirmier", JOUR, SITUATIONS[1], toutes=True)
    # A point in Montpellier: the QPV is read there, not from the commune.
    assert json.loads(corps_json(montpellier, "medecin-generaliste", JOUR, SITUATIONS[1], 3.8767, 43.6108)) == \
        corps_direct(montpellier, "medecin-generaliste", JOUR, SITUATIONS[1], 3.8767, 43.6108)


def test_les_communes_qui_lisent_pareil_partagent_leur_reponse(region_reelle, monkeypatch):
    construites = []
    vraie = reponse_eligibilite._partie_partagee

    def comptee(*args):
        construites.append(args[0].code_insee)
        return vraie(*args)

    monkeypatch.setattr(reponse_eligibilite, "_partie_partagee", comptee)
    choisies = list(Commune.objects.select_related("departement").defer("contour", "departement__contour")
                    .order_by("code_insee"))[::15]
    for commune in choisies:
        corps = json.loads(corps_json(commune, "medecin-generaliste", JOUR, SITUATIONS[1]))
        assert corps["commune"]["nom"] == commune.nom
        assert reponse_eligibilite.NOM not in json.dumps(corps) and reponse_eligibilite.NOM_APRES_DE not in \
            json.dumps(corps)
    # 297 communes, 100 distinct readings (a département has its own contacts): measured on the shipped data.
    assert len(construites) < len(choisies) / 2, len(construites)
    assert len(set(construites)) == len(construites)




@pytest.fixture
def moteur_compte(monkeypatch):
    """Each answer the API builds (not one it takes from the cache)."""
    from aides import api

    construites = []
    vraie = api.corps_json

    def comptee(commune, profession, *args, **kwargs):
        construites.append((commune.code_insee, profession))
        return vraie(commune, profession, *args, **kwargs)
    monkeypatch.setattr(api, "corps_json", comptee)
    return construites


def test_une_meme_demande_est_servie_du_cache_par_tous_les_workers(client, region_reelle, moteur_compte,
                                                                    django_assert_max_num_queries):
    url = "/api/v1/eligibilite/?commune=34032&profession=medecin-generaliste&date=2026-03-01&etape=installation"
    premiere = client.get(url)
    assert premiere.status_code == 200 and premiere.json()["commune"]["nom"] == "Béziers"
    with django_assert_max_num_queries(1):  # the generations only (a quota counted in the cache)
        seconde = client.get("/api/v1/eligibilite/?etape=installation&date=2026-03-01&profession=medecin-generaliste"
                             "&commune=34032&inconnu=1")  # another order, a parameter the API does not read
    assert seconde.content == premiere.content and seconde["Content-Type"] == "application/json"
    assert moteur_compte == [("34032", "medecin-generaliste")]
    compressee = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert compressee["Content-Encoding"] == "gzip" and json.loads(
        gzip.decompress(compressee.content)) == premiere.json()
    # Another situation, another answer; a point is not kept.
    client.get(url + "&secteur=1")
    client.get(url + "&lon=3.2150&lat=43.3442")
    client.get(url + "&lon=3.2150&lat=43.3442")
    assert len(moteur_compte) == 4


def test_un_changement_de_donnees_renouvelle_la_reponse_et_une_erreur_n_est_pas_gardee(client, region_reelle,
                                                                                      moteur_compte):
    from noyau.cache_generations import invalider

    url = "/api/v1/eligibilite/?commune=34032&profession=infirmier&date=2026-03-01"
    client.get(url)
    Commune.objects.filter(code_insee="34032").update(nom="Béziers (nom de test)")
    invalider("territoires")  # what the loaders do
    assert client.get(url).json()["commune"]["nom"] == "Béziers (nom de test)"
    for _ in range(2):
        erreur = client.get("/api/v1/eligibilite/?commune=34032&profession=plombier")
        assert erreur.status_code == 400 and "profession" in erreur.json()
    assert len(moteur_compte) == 2
