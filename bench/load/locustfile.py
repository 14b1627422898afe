"""Locust users for bench/load/run.py: the portal's public read endpoints, and /healthz as Django's floor.

BENCH_SCENARIO picks what the users request: "mixte" (every endpoint, weighted like the public traffic) or the name
of one endpoint (see ENDPOINTS). BENCH_COMMUNES is a JSON file listing INSEE codes of the loaded communes.
Like browsers, locust's FastHttpUser says it accepts gzip (and decompresses what it gets, on the same cores).
"""
import datetime
import json
import os
import random
from zoneinfo import ZoneInfo

from locust import FastHttpUser, constant, task

COMMUNES = json.loads(open(os.environ["BENCH_COMMUNES"], encoding="utf-8").read()) if os.environ.get(
    "BENCH_COMMUNES") else ["34032", "30189", "31555", "48095", "09122", "65440", "12202", "46042", "81004", "66136"]
PROFESSIONS = ["medecin-generaliste", "infirmier", "chirurgien-dentiste", "masseur-kinesitherapeute", "sage-femme",
               "orthophoniste"]
SITUATIONS = ["", "&etape=installation&mode=liberal&secteur=1&premiere_installation=oui",
              "&etape=installation&exercice_coordonne=msp&demi_journees=8", "&etape=etudiant"]
RECHERCHES = ["beziers", "saint", "mont", "tou", "34500", "castel", "ville", "st jean", "albi", "perpignan", "sa",
              "la", "foix", "rodez", "cahors"]
TYPES = ["medecin", "infirmier", "montagne", "zrr"]
AUJOURDHUI = datetime.datetime.now(ZoneInfo("Europe/Paris")).date()  # the portal's today (TIME_ZONE)
DATES = ["", AUJOURDHUI.isoformat(), (AUJOURDHUI - datetime.timedelta(days=200)).isoformat()]


def eligibilite(client):
    client.get(f"/api/v1/eligibilite/?commune={random.choice(COMMUNES)}&profession={random.choice(PROFESSIONS)}"
               f"{random.choice(SITUATIONS)}", name="eligibilite")


def eligibilite_inedite(client):
    """A question nearly never asked before (a date among 400 days, a number of half-days): the answer is built,
    not taken from the cache of answers."""
    jour = AUJOURDHUI - datetime.timedelta(days=random.randrange(400))
    client.get(f"/api/v1/eligibilite/?commune={random.choice(COMMUNES)}&profession={random.choice(PROFESSIONS)}"
               f"&date={jour.isoformat()}&demi_journees={random.randrange(11)}{random.choice(SITUATIONS)}",
               name="eligibilite_inedite")


def commune_api(client):
    client.get(f"/api/v1/communes/{random.choice(COMMUNES)}/", name="commune_api")


def commune_page(client):
    client.get(f"/communes/{random.choice(COMMUNES)}/", name="commune_page")


def recherche(client):
    client.get(f"/api/v1/communes/?q={random.choice(RECHERCHES)}", name="recherche")


def classement(client):
    date = random.choice(DATES)
    client.get(f"/zonages/classement.json?type={random.choice(TYPES)}" + (f"&date={date}" if date else ""),
               name="classement")


def healthz(client):
    client.get("/healthz", name="healthz")


# Weights of the mixed scenario (public traffic: simulations and commune pages first); 0: run alone only.
ENDPOINTS = {"eligibilite": (eligibilite, 4), "commune_api": (commune_api, 2), "commune_page": (commune_page, 2),
             "recherche": (recherche, 3), "classement": (classement, 2), "healthz": (healthz, 1),
             "eligibilite_inedite": (eligibilite_inedite, 0)}
SCENARIO = os.environ.get("BENCH_SCENARIO", "mixte")
if SCENARIO == "mixte":
    _TIRAGE = [fonction for fonction, poids in ENDPOINTS.values() for _ in range(poids)]
else:
    _TIRAGE = [ENDPOINTS[SCENARIO][0]]


class Visiteur(FastHttpUser):
    wait_time = constant(0)  # closed loop: each user sends its next request as soon as it has the answer

    @task
    def requete(self):
        random.choice(_TIRAGE)(self.client)
