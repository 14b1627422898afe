"""The "Données et sources" page is made from what is loaded: each layer's version, dates, reference, note, counts and
import; what is missing is said, with where the official information is."""
import datetime
import re

import pytest

from tests.factories import version
from zonages.publication import publier

pytestmark = pytest.mark.django_db


def test_ce_qui_est_charge_et_ce_qui_manque(client):
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032", "31555")))
    publier(version("C", datetime.date(2017, 7, 1), type_="zrr", fin=datetime.date(2024, 6, 30)))
    page = client.get("/donnees/").content.decode()
    zonages = page[page.index('id="etat-zonages"'):page.index('id="etat-superpositions"')]
    # Médecins: the test-only version with its reference and counts.
    assert "Arrêté de test du 2022-05-07" in zonages and "Zone d&#x27;intervention prioritaire : 2" in zonages
    # Kinés: nothing loaded, said so, with where to check.
    assert "Masseurs-kinésithérapeutes" in zonages and "Non chargé dans le portail" in zonages
    assert "cartosante.atlasante.fr" in zonages
    territoriaux = page[page.index('id="etat-superpositions"'):]
    # The ZRR ended: not missing, but no longer in force.
    assert "plus en vigueur" in territoriaux
    manquantes = page[page.index('id="donnees-manquantes"'):page.index('id="etat-zonages"')]
    assert "Zone de revitalisation rurale" not in manquantes and "Quartiers prioritaires" in manquantes
    assert "sig.ville.gouv.fr" in territoriaux
    assert re.search(r"4\s446 communes,", page)  # the fixture's territories, counted
