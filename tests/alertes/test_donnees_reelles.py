"""Acceptance on the real data (territories, zonages and rules the project ships): a subscribed address receives one
message when a new médecins version is published that changes its commune, and none when it leaves it as it was.
No newer médecins version exists in the data, so the new one is the real file with one line revised (a test
revision, imported and published through the same path as any file)."""
import csv
import datetime
import re

import pytest

from alertes.models import Envoi
from tests.conftest import DONNEES_REELLES
from zonages.imports.execution import DemandeImport, importer_zonage
from zonages.imports.validation import INCOMPLETE
from zonages.models import Classement, Zonage

pytestmark = pytest.mark.django_db
CASTELSARRASIN, TOULOUSE = "82033", "31555"
LIEN = re.compile(r"https://paps\.exemple\.test(/alertes/[a-z]+/[\w-]+/)")


def s_abonner(client, boite, capture, courriel: str, commune: str) -> None:
    with capture(execute=True):
        client.post("/alertes/", {"courriel": courriel, "profession": "medecin-generaliste", "commune": commune})
    confirmer, _ = LIEN.findall(boite.corps(boite.messages[-1]))
    assert "Abonnement confirmé" in client.post(confirmer).content.decode()


def fichier_revise(dossier, code_insee: str, niveau: str):
    """The real médecins file with the level of one commune replaced."""
    with open(DONNEES_REELLES / "zonage_medecins_occitanie.csv", newline="", encoding="utf-8") as source:
        lignes = list(csv.DictReader(source))
    ligne = next(ligne for ligne in lignes if ligne["code_insee"] == code_insee)
    ligne["zonage_medecins"] = niveau
    chemin = dossier / "zonage_medecins_revise.csv"
    with open(chemin, "w", newline="", encoding="utf-8") as cible:
        ecrivain = csv.DictWriter(cible, fieldnames=list(lignes[0]))
        ecrivain.writeheader()
        ecrivain.writerows(lignes)
    return chemin


def test_un_message_a_toulouse_quand_une_version_l_y_change(region_reelle, client, serveur_smtp, tmp_path,
                                                             django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    reelle = Zonage.objects.get(type="medecin", statut=Zonage.Statut.PUBLIE)
    assert Classement.objects.get(zonage=reelle, commune_id=TOULOUSE).niveau == "ZAR"
    assert Classement.objects.get(zonage=reelle, commune_id=CASTELSARRASIN).niveau == "ZIP"
    s_abonner(client, serveur_smtp, capture, "toulouse@exemple.test", f"Toulouse ({TOULOUSE})")
    s_abonner(client, serveur_smtp, capture, "castelsarrasin@exemple.test", CASTELSARRASIN)
    assert len(serveur_smtp.messages) == 2  # the two confirmations

    demande = DemandeImport(type="medecin", valid_from=datetime.date(2027, 1, 1), reference="Révision de test",
                            colonne_code="code_insee", colonne_niveau="zonage_medecins", publier=True,
                            # as the reference load does for the real file, which leaves out 12218 (created in 2026)
                            couverture=INCOMPLETE, motif_couverture="12218 absente du fichier réel")
    with capture(execute=True):
        importer_zonage(fichier_revise(tmp_path, TOULOUSE, "1_ZIP"), demande)
    assert Zonage.objects.get(reference="Révision de test").statut == Zonage.Statut.PUBLIE

    assert len(serveur_smtp.messages) == 3  # Toulouse's only: Castelsarrasin stays in ZIP
    message = serveur_smtp.messages[-1]
    corps = serveur_smtp.corps(message)
    assert message.destinataires == ["toulouse@exemple.test"]
    assert "À Toulouse, pour les médecins généralistes, à partir du 1er janvier 2027 :" in corps
    assert "- Zonage « Médecins généralistes » : zone d'appui régional → zone d'intervention prioritaire" in corps
    assert "Se désabonner : https://paps.exemple.test/alertes/desabonner/" in corps
    assert Envoi.objects.count() == 1
