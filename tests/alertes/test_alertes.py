"""Alerts, through a real SMTP server: double opt-in, one message when a published zonage version or a rule changes
the answer at the subscribed place, never twice, never after unsubscribing; the commune's Atom feed."""
import datetime
import re

import pytest
from django.utils import timezone

from aides.catalogue import charger_regles
from aides.models import Dispositif
from alertes.models import Abonnement, Envoi, Evenement
from alertes.tasks import traiter_changement, traiter_les_changements_en_attente
from tests.factories import version
from zonages.models import Classement
from zonages.publication import publier

pytestmark = pytest.mark.django_db
CASTELSARRASIN, MOISSAC, TOULOUSE = "82033", "82112", "31555"
LIEN = re.compile(r"https://paps\.exemple\.test(/alertes/[a-z]+/[\w-]+/)")


@pytest.fixture
def regles_et_zonage(django_capture_on_commit_callbacks):
    """The rules, and a first médecins version (a test one, not the real zonage): Castelsarrasin and Moissac in ZAR."""
    with django_capture_on_commit_callbacks(execute=True):
        charger_regles()
        publier(version("ZAR", datetime.date(2022, 5, 7), communes=(CASTELSARRASIN, MOISSAC, TOULOUSE)))


def publier_version(niveaux: dict[str, str], debut: datetime.date, capture):
    """A new médecins version (a test one) with these levels, published; its messages sent (on commit)."""
    premier, *autres = niveaux.items()
    zonage = version(premier[1], debut, communes=(premier[0],))
    Classement.objects.bulk_create([Classement(zonage=zonage, commune_id=c, niveau=n) for c, n in autres])
    with capture(execute=True):
        publier(zonage)
    return zonage


def s_abonner(client, boite, capture, **champs) -> str:
    """Subscribes and confirms through the pages; returns the unsubscribe path of the confirmation message."""
    with capture(execute=True):
        reponse = client.post("/alertes/", {"courriel": "interne@exemple.test", "profession": "medecin-generaliste",
                                            **champs})
    assert reponse.status_code == 200 and "Confirmez votre abonnement" in reponse.content.decode()
    confirmation = boite.messages[-1]
    assert confirmation.destinataires == ["interne@exemple.test"]
    confirmer, desabonner = LIEN.findall(boite.corps(confirmation))
    assert confirmer.startswith("/alertes/confirmer/") and desabonner.startswith("/alertes/desabonner/")
    # Opening the link confirms nothing (a mail scanner opens links); its button does.
    assert client.get(confirmer).status_code == 200
    assert not Abonnement.objects.get().confirme_le
    assert "Abonnement confirmé" in client.post(confirmer).content.decode()
    return desabonner


def test_un_message_quand_une_version_change_la_commune(client, serveur_smtp, regles_et_zonage,
                                                        django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    desabonner = s_abonner(client, serveur_smtp, capture, commune=f"Castelsarrasin ({CASTELSARRASIN})")
    assert len(serveur_smtp.messages) == 1  # the confirmation only
    publier_version({CASTELSARRASIN: "ZIP", MOISSAC: "ZAR", TOULOUSE: "ZAR"}, datetime.date(2026, 3, 1), capture)
    assert len(serveur_smtp.messages) == 2
    message = serveur_smtp.messages[-1]
    corps = serveur_smtp.corps(message)
    assert message["Subject"].strip() == "PAPS Occitanie — ce qui change à Castelsarrasin pour les médecins généralistes"
    assert "À Castelsarrasin, pour les médecins généralistes, à partir du 1er mars 2026 :" in corps
    assert ("- Zonage « Médecins généralistes » : zone d'appui régional → zone d'intervention prioritaire"
            in corps)
    assert "Aide à l'installation" in corps and "non éligible → à vérifier" in corps
    assert f"https://paps.exemple.test{desabonner}" in corps
    assert message["List-Unsubscribe"].strip() == f"<https://paps.exemple.test{desabonner}>"
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    # The same change delivered again: no second message.
    evenement = Evenement.objects.get(zonage__valid_from=datetime.date(2026, 3, 1))
    assert traiter_changement(evenement.pk) == 0 and len(serveur_smtp.messages) == 2
    # A version that leaves Castelsarrasin as it was: nothing.
    publier_version({MOISSAC: "ZIP", CASTELSARRASIN: "ZIP"}, datetime.date(2026, 9, 1), capture)
    assert len(serveur_smtp.messages) == 2
    # Unsubscribed (one click, as mail clients post it, without a CSRF token): nothing more.
    reponse = client.post(desabonner, {"List-Unsubscribe": "One-Click"})
    assert reponse.status_code == 200 and "Vous êtes désabonné" in reponse.content.decode()
    publier_version({CASTELSARRASIN: "ZAR"}, datetime.date(2027, 1, 1), capture)
    assert len(serveur_smtp.messages) == 2


def test_sans_confirmation_rien(client, serveur_smtp, regles_et_zonage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/alertes/", {"courriel": "quelquun@exemple.test", "profession": "medecin-generaliste",
                                  "commune": CASTELSARRASIN})
    publier_version({CASTELSARRASIN: "ZIP"}, datetime.date(2026, 3, 1), django_capture_on_commit_callbacks)
    assert len(serveur_smtp.messages) == 1  # the confirmation, never confirmed


def test_une_demande_repetee_ne_renvoie_pas_de_message(client, serveur_smtp, regles_et_zonage,
                                                       django_capture_on_commit_callbacks):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post("/alertes/", {"courriel": "Interne@Exemple.TEST", "profession": "infirmier",
                                                "commune": CASTELSARRASIN})
        assert reponse.status_code == 200
    assert len(serveur_smtp.messages) == 1 and Abonnement.objects.count() == 1
    assert Abonnement.objects.get().courriel == "Interne@exemple.test"  # the domain in lower case


def test_un_departement(client, serveur_smtp, regles_et_zonage, django_capture_on_commit_callbacks):
    s_abonner(client, serveur_smtp, django_capture_on_commit_callbacks, departement="82")
    publier_version({CASTELSARRASIN: "ZIP", MOISSAC: "ZIP", TOULOUSE: "ZAR"}, datetime.date(2026, 3, 1),
                    django_capture_on_commit_callbacks)
    message = serveur_smtp.messages[-1]
    corps = serveur_smtp.corps(message)
    assert "dans le département Tarn-et-Garonne (82)" in message["Subject"]
    assert "Castelsarrasin, Moissac :" in corps  # the two communes that change alike, together
    assert "Toulouse" not in corps  # another département


def test_une_regle_modifiee(client, serveur_smtp, regles_et_zonage, django_capture_on_commit_callbacks):
    """A new amount for the installation aid, edited in the administration: one message, from its date."""
    capture = django_capture_on_commit_callbacks
    publier_version({CASTELSARRASIN: "ZIP"}, datetime.date(2026, 3, 1), capture)
    s_abonner(client, serveur_smtp, capture, commune=CASTELSARRASIN)
    regle = Dispositif.objects.get(code="AM-AIDE-INSTALLATION")
    document = regle.regle
    ouverte = next(v for v in document["versions"] if v.get("valid_to") is None and "ferme" not in v)
    ouverte["montants"][0]["valeur"] = 12000  # a test amount, not a real one
    with capture(execute=True):
        regle.regle = document
        regle.save()
    evenement = Evenement.objects.get(code_dispositif="AM-AIDE-INSTALLATION")
    assert evenement.nature == Evenement.Nature.REGLE and evenement.date_effet == timezone.localdate()
    corps = serveur_smtp.corps(serveur_smtp.messages[-1]).replace("\u202f", " ")
    assert "Règle modifiée : l'aide « Aide à l'installation de l'Assurance Maladie" in corps
    assert ": montant 10 000 € (versement unique) → 12 000 € (versement unique)" in corps
    assert Envoi.objects.count() == 1


def test_le_premier_chargement_des_regles_ne_change_rien(serveur_smtp, django_capture_on_commit_callbacks):
    """The catalogue's first load: no answer before it, no change told."""
    with django_capture_on_commit_callbacks(execute=True):
        charger_regles()
    assert not Evenement.objects.exclude(nature=Evenement.Nature.ZONAGE).exists()


def test_un_changement_dont_la_tache_est_perdue_est_repris(client, serveur_smtp, regles_et_zonage,
                                                           django_capture_on_commit_callbacks):
    s_abonner(client, serveur_smtp, django_capture_on_commit_callbacks, commune=CASTELSARRASIN)
    publier_version({CASTELSARRASIN: "ZIP"}, datetime.date(2026, 3, 1), lambda execute: _sans_rien())
    assert len(serveur_smtp.messages) == 1  # the task never ran
    il_y_a = timezone.now() - datetime.timedelta(minutes=10)  # the subscription was confirmed before the change
    Abonnement.objects.update(confirme_le=il_y_a - datetime.timedelta(minutes=1))
    Evenement.objects.filter(traite_le=None).update(cree_le=il_y_a)
    traiter_les_changements_en_attente()
    assert len(serveur_smtp.messages) == 2


class _sans_rien:
    """Like django_capture_on_commit_callbacks(execute=False): the task is lost."""

    def __enter__(self):
        from django.db import connection

        self.avant = len(connection.run_on_commit)

    def __exit__(self, *exc):
        from django.db import connection

        del connection.run_on_commit[self.avant:]


@pytest.mark.parametrize("champs, message", [
    ({"courriel": "pas-une-adresse", "commune": CASTELSARRASIN}, "Adresse électronique invalide"),
    ({"courriel": "a@exemple.test"}, "Choisissez une commune, ou bien un département (pas les deux)."),
    ({"courriel": "a@exemple.test", "commune": CASTELSARRASIN, "departement": "82"}, "pas les deux"),
    ({"courriel": "a@exemple.test", "commune": "Commune introuvable"}, "Aucune commune servie par ce portail ne s'appelle"),
])
def test_formulaire_refuse_en_francais(client, champs, message):
    reponse = client.post("/alertes/", {"profession": "medecin-generaliste", **champs})
    assert reponse.status_code == 400
    assert message in reponse.content.decode().replace("&#x27;", "'")


def test_lien_inconnu(client):
    assert client.get("/alertes/confirmer/inconnu/").status_code == 404
    assert client.post("/alertes/desabonner/inconnu/").status_code == 404


def test_flux_atom_de_la_commune(client, regles_et_zonage, django_capture_on_commit_callbacks):
    publier_version({CASTELSARRASIN: "ZIP", MOISSAC: "ZAR"}, datetime.date(2026, 3, 1),
                    django_capture_on_commit_callbacks)
    reponse = client.get(f"/communes/{CASTELSARRASIN}/flux.atom")
    texte = reponse.content.decode()
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("application/atom+xml")
    assert "ce qui change à Castelsarrasin" in texte
    assert "Castelsarrasin : à partir du 1er mars 2026, médecin généraliste" in texte
    assert "zone d'appui régional → zone d'intervention prioritaire" in texte.replace("&#x27;", "'")
    # Moissac stays in ZAR: this version changes nothing there (its feed has the first version only).
    assert "1er mars 2026" not in client.get(f"/communes/{MOISSAC}/flux.atom").content.decode()
    assert client.get("/communes/99999/flux.atom").status_code == 404
