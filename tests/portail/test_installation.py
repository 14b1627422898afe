"""« Can I settle here? »: the commune page for a chosen profession (its zonage, the map of its neighbours coloured by
that zonage, the structures, CPTS and offers around, the contacts) and the département page. Structures, CPTS, offers
and zonage versions here are test data on real commune codes (the real outlines and points are loaded)."""
import datetime
from html import unescape

import pytest
from django.utils import timezone

from aides.catalogue import charger_regles
from cpts.models import Cpts, TerritoireCpts
from structures.models import ChangementStatut, Offre, Structure
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES
from tests.factories import version
from zonages.publication import publier

pytestmark = pytest.mark.django_db
LANGOGNE, CHATEAUNEUF = "48080", "48043"  # Châteauneuf-de-Randon, about 14 km away


@pytest.fixture
def lozere():
    """Real outlines and points; test zonage versions (not the real ones); a test structure, CPTS and offer."""
    charger_territoires(DONNEES_REELLES)
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=(LANGOGNE,)))
    publier(version("SD", datetime.date(2022, 5, 7), type_="infirmier", communes=(LANGOGNE, CHATEAUNEUF)))
    ici = Structure.objects.create(identifiant="TEST-1", nom="MSP de test de Langogne", type="msp",
                                   commune_id=LANGOGNE)
    ailleurs = Structure.objects.create(identifiant="TEST-2", nom="Centre de santé de test", type="centre-sante",
                                        commune_id=CHATEAUNEUF)
    fermee = Structure.objects.create(identifiant="TEST-3", nom="MSP de test fermée", type="msp", commune_id=LANGOGNE)
    for structure, statut in ((ici, "ouverte"), (ailleurs, "ouverte"), (fermee, "fermee")):
        structure.communes.set([structure.commune_id])
        ChangementStatut.objects.create(structure=structure, statut=statut, date=datetime.date(2020, 1, 1))
    cpts = Cpts.objects.create(nom="CPTS de test de la Margeride")
    TerritoireCpts.objects.create(cpts=cpts, commune_id=CHATEAUNEUF)
    jour = timezone.localdate()
    Offre.objects.create(titre="Médecin généraliste salarié (test)", profession="medecin-generaliste", type="salarie",
                         employeur="Employeur de test", commune_id=LANGOGNE, contact_nom="Contact de test",
                         publiee_le=jour - datetime.timedelta(days=1), expire_le=jour + datetime.timedelta(days=30))


def texte(reponse) -> str:
    return unescape(reponse.content.decode()).replace("\u202f", " ").replace("\xa0", " ")


def test_la_fiche_commune_repond_s_installer_ici(client, lozere):
    reponse = client.get(f"/communes/{LANGOGNE}/", {"profession": "medecin-generaliste"})
    assert reponse.status_code == 200
    page = texte(reponse)
    assert "S'installer à Langogne : médecin généraliste" in page
    assert "Zonage des médecins généralistes : <strong>Zone d'intervention prioritaire</strong>" in page
    assert f'href="/mes-aides/?commune={LANGOGNE}&amp;profession=medecin-generaliste"' in reponse.content.decode()
    # Around: the open structures, nearest first, with the distance of their commune; not the closed one.
    assert [(p.objet.nom, p.distance_km == 0) for p in reponse.context["structures"]] == [
        ("MSP de test de Langogne", True), ("Centre de santé de test", False)]
    assert "Centre de santé, Châteauneuf-de-Randon, à 13" in page
    assert [p.objet.nom for p in reponse.context["cpts"]] == ["CPTS de test de la Margeride"]
    assert "couvre Châteauneuf-de-Randon" in page
    assert [p.objet.titre for p in reponse.context["offres"]] == ["Médecin généraliste salarié (test)"]
    # Contacts: the ARS délégation, the CPAM (linking ameli.fr's home, said unchecked) and the GPs' URPS.
    assert [c.nom for c in reponse.context["contacts"]] == [
        "Délégation départementale de la Lozère (ARS Occitanie)", "CPAM de la Lozère", "URPS Médecins Libéraux Occitanie"]
    assert "n'a pas pu être vérifiée par le portail" in page and "non renseignées" not in page


def test_la_carte_colore_la_commune_et_ses_voisines_selon_la_profession(client, lozere):
    carte = client.get(f"/communes/{LANGOGNE}/", {"profession": "infirmier"}).context["carte"]
    codes = [f["properties"]["code"] for f in carte["contours"]["features"]]
    assert LANGOGNE in codes and CHATEAUNEUF in codes and len(codes) > 5
    assert carte["classement"]["niveaux"] == {LANGOGNE: "SD", CHATEAUNEUF: "SD"}
    assert carte["surbrillance"] == LANGOGNE and carte["profession"] == "infirmier"
    medecins = client.get(f"/communes/{LANGOGNE}/").context["carte"]  # no profession: the GPs' zonage
    assert medecins["classement"]["niveaux"] == {LANGOGNE: "ZIP"} and set(medecins["legende"]) == {"ZIP", "ZAC",
                                                                                                 "ZAR", "HZ"}


def test_sans_profession_la_fiche_invite_a_la_choisir(client, lozere):
    reponse = client.get(f"/communes/{LANGOGNE}/")
    assert reponse.context["profession"] == "" and "Choisissez votre profession ci-dessus" in texte(reponse)
    assert [p.titre for p in (o.objet for o in reponse.context["offres"])] == ["Médecin généraliste salarié (test)"]
    assert [c.nom for c in reponse.context["contacts"]][-1] == "CPAM de la Lozère"  # no URPS without a profession


def test_page_d_un_departement(client, lozere):
    reponse = client.get("/departements/48/", {"profession": "infirmier"})
    assert reponse.status_code == 200
    page = texte(reponse)
    assert "<h1>Lozère" in page and "152 communes" in page and "chef-lieu" in page and "Mende" in page
    lignes = {l.code: l.communes for l in reponse.context["resume"].lignes}
    assert lignes == {"SD": 2, "": 150}  # the test version classes two communes
    assert reponse.context["resume"].communes[0].commune.nom == "Mende"
    assert reponse.context["carte"]["contours"] == "/zonages/contours/48.geojson"
    assert reponse.context["carte"]["classement"].startswith("/zonages/classement.json?type=infirmier&date=")
    assert 'href="/communes/?departement=48"' in reponse.content.decode()
    assert reponse.context["chiffres"]["msp"] == 2 and reponse.context["chiffres"]["centres"] == 1


def test_departement_inconnu_ou_d_une_autre_region(client):
    assert client.get("/departements/75/").status_code == 404
    assert client.get("/departements/48/", {"date": "hier"}).status_code == 400


def test_departement_sans_zonage_charge_le_dit(client):
    reponse = client.get("/departements/12/", {"profession": "sage-femme"})
    assert reponse.status_code == 200
    assert "Aucun zonage des sages-femmes en vigueur le" in texte(reponse)
