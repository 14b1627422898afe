"""Publishing records what it changed, and undoing restores both versions as they were (issue 15). The confirmation
page shows the recap before anything is written. Test-only versions (tests.factories.version), real communes."""
import datetime
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import version
from zonages.models import Publication, Zonage
from zonages.publication import annuler_publication, apercu, publication_annulable, publier

pytestmark = pytest.mark.django_db
D = datetime.date


def ecritures(requetes) -> list[str]:
    return [q["sql"] for q in requetes if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.fixture
def agent(client):
    compte = User.objects.create_user("agent.publication", password="x" * 16, is_staff=True)
    compte.groups.add(Group.objects.get(name="ARS — éditeur zonages"))
    client.force_login(compte)
    return compte


@pytest.fixture
def en_vigueur():
    zonage = version("ZAC", D(2022, 5, 7), communes=("34032", "31555"))
    publier(zonage)
    return zonage


def test_publier_enregistre_ce_qui_change_et_l_annulation_le_retablit(en_vigueur, admin_user):
    fin_prevue = D(2027, 12, 31)
    brouillon = version("ZIP", D(2026, 1, 1), communes=("34032", "31555"), fin=fin_prevue)
    precedente = publier(brouillon, D(2026, 3, 1), admin_user)
    assert precedente == en_vigueur
    publication = Publication.objects.get(zonage=brouillon)
    assert (publication.date_effet, publication.valid_from_avant, publication.precedente,
            publication.precedente_valid_to_avant, publication.publie_par) == (
        D(2026, 3, 1), D(2026, 1, 1), en_vigueur, None, admin_user)
    en_vigueur.refresh_from_db()
    assert en_vigueur.valid_to == D(2026, 2, 28)
    assert publication_annulable(brouillon) == publication

    annuler_publication(brouillon, admin_user, "Arrêté retiré (test)")
    brouillon.refresh_from_db()
    en_vigueur.refresh_from_db()
    assert (brouillon.statut, brouillon.valid_from, brouillon.valid_to, brouillon.publie_le) == (
        Zonage.Statut.BROUILLON, D(2026, 1, 1), fin_prevue, None)
    assert (en_vigueur.statut, en_vigueur.valid_to) == (Zonage.Statut.PUBLIE, None)  # as it was: no end
    publication.refresh_from_db()
    assert publication.annulee_par == admin_user and publication.motif_annulation == "Arrêté retiré (test)"
    assert brouillon.history.first().history_change_reason == "Annulation de la publication : Arrêté retiré (test)"
    assert "annulée : fin rétablie" in en_vigueur.history.first().history_change_reason
    assert publication_annulable(brouillon) is None
    # Published again after the undo: a second record; the first stays, marked undone.
    publier(brouillon, D(2026, 3, 1))
    assert brouillon.publications.count() == 2 and brouillon.publications.filter(annulee_le__isnull=True).count() == 1


def test_annulation_retablit_une_fin_anterieure(en_vigueur):
    en_vigueur.valid_to = D(2026, 6, 30)
    en_vigueur.save()
    brouillon = version("ZIP", D(2026, 3, 1))
    publier(brouillon)
    en_vigueur.refresh_from_db()
    assert en_vigueur.valid_to == D(2026, 2, 28)
    annuler_publication(brouillon)
    en_vigueur.refresh_from_db()
    assert en_vigueur.valid_to == D(2026, 6, 30)


@pytest.mark.parametrize("cas, message", [
    ("posterieure", "Une version publiée plus récente commence le 01/01/2027"),
    ("precedente_modifiee", "a été modifiée depuis"),
    ("sans_enregistrement", "publiée avant que les publications soient enregistrées"),
    ("brouillon", "n'est pas publiée"),
])
def test_annulation_refusee_avec_sa_raison(en_vigueur, cas, message):
    brouillon = version("ZIP", D(2026, 1, 1))
    publier(brouillon)
    cible = brouillon
    if cas == "posterieure":
        publier(version("ZAC", D(2027, 1, 1)))
    elif cas == "precedente_modifiee":
        Zonage.objects.filter(pk=en_vigueur.pk).update(valid_to=D(2025, 12, 1))
    elif cas == "sans_enregistrement":
        Publication.objects.all().delete()
    elif cas == "brouillon":
        cible = version("ZIP", D(2028, 1, 1))
    etat = sorted(Zonage.objects.values_list("pk", "statut", "valid_from", "valid_to"))
    with pytest.raises(ValidationError, match=message):
        annuler_publication(cible)
    assert sorted(Zonage.objects.values_list("pk", "statut", "valid_from", "valid_to")) == etat


def test_apercu_dit_ce_que_fera_la_publication_sans_rien_ecrire(en_vigueur):
    brouillon = version("ZIP", D(2026, 1, 1))
    with CaptureQueriesContext(connection) as requetes:
        prevu = apercu(brouillon, D(2026, 2, 1))
    assert (prevu.debut, prevu.precedente, prevu.fin_precedente) == (D(2026, 2, 1), en_vigueur, D(2026, 1, 31))
    assert ecritures(requetes) == []
    with pytest.raises(ValidationError, match="commence déjà le 07/05/2022"):
        apercu(brouillon, D(2021, 1, 1))


def test_page_de_confirmation_puis_annulation_depuis_l_administration(client, agent, en_vigueur):
    brouillon = version("ZIP", D(2026, 1, 1), communes=("34032",))
    fiche = reverse("admin:zonages_zonage_change", args=[brouillon.pk])
    url = reverse("admin:zonages_zonage_publier", args=[brouillon.pk])
    with CaptureQueriesContext(connection) as requetes:
        page = client.get(url, {"date_effet": "2026-01-01"})
    assert page.status_code == 200 and not [q for q in ecritures(requetes) if "zonages_" in q]
    html = unescape(page.content.decode())
    assert "prendra fin le 31/12/2025" in html and "Béziers" in html and "Vous pourrez annuler" in html
    assert html.index('id="difference"') < html.index('value="Confirmer la publication"')
    client.post(url, {"date_effet": "2026-01-01", "confirmation": "on"})
    brouillon.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.PUBLIE
    assert "Annuler cette publication" in unescape(client.get(fiche).content.decode())

    annuler = reverse("admin:zonages_zonage_annuler_publication", args=[brouillon.pk])
    page = unescape(client.get(annuler).content.decode())
    assert "redeviendra un <strong>brouillon</strong>" in page and "retrouvera sa fin d'avant la publication" in page
    assert "sans date de fin" in page
    reponse = client.post(annuler, {"motif": ""})
    assert reponse.status_code == 200 and "Ce champ est obligatoire" in reponse.content.decode()
    brouillon.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.PUBLIE  # nothing undone without a reason
    reponse = client.post(annuler, {"motif": "Erreur de date d'effet (test)"}, follow=True)
    assert "Publication annulée" in unescape(reponse.content.decode())
    brouillon.refresh_from_db()
    en_vigueur.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.BROUILLON and en_vigueur.valid_to is None
    assert LogEntry.objects.filter(object_id=str(brouillon.pk), change_message__startswith="Publication annulée",
                                   user=agent).exists()
    # Nothing left to undo: said, never a 500.
    reponse = client.get(annuler, follow=True)
    assert "Annulation impossible : Cette version n'est pas publiée." in unescape(reponse.content.decode())


def test_annulation_reservee_a_qui_peut_publier(client, en_vigueur):
    brouillon = version("ZIP", D(2026, 1, 1))
    publier(brouillon)
    lecteur = User.objects.create_user("lecteur.publication", password="x" * 16, is_staff=True)
    lecteur.groups.add(Group.objects.get(name="ARS — lecture"))
    client.force_login(lecteur)
    annuler = reverse("admin:zonages_zonage_annuler_publication", args=[brouillon.pk])
    assert client.post(annuler, {"motif": "essai"}).status_code == 403
    assert "Annuler cette publication" not in client.get(
        reverse("admin:zonages_zonage_change", args=[brouillon.pk])).content.decode()
    brouillon.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.PUBLIE
