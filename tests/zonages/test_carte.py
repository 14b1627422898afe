"""The public zonage map: classification JSON, simplified outlines, the accessible table and its CSV.

The session database holds the 4,446 real communes without outlines. Classifications are small test-only versions
(their reference says so) or the real manifest zonages; outlines are the real ones, loaded once for the module.
"""
import csv
import datetime
import gzip
import io
import json
import re
from html import unescape

import pytest
import shapely
from django.utils import timezone
from shapely.geometry import shape

from territoires.models import Commune, Departement, Region
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES
from zonages import carte
from zonages.manifeste import charger_zonages_du_manifeste
from zonages.models import QPV, Classement, Zonage
from zonages.niveaux import TYPES

pytestmark = pytest.mark.django_db

JOUR = datetime.date(2025, 3, 1)
MONTPELLIER, TOULOUSE, NIMES, MENDE, FOIX = "34172", "31555", "30189", "48095", "09122"


def creer_version(type_zonage: str, niveaux: dict[str, str], debut: datetime.date, fin: datetime.date | None = None,
                  publiee: bool = True, reference: str = "Arrêté fictif créé par les tests") -> Zonage:
    zonage = Zonage.objects.create(
        type=type_zonage, reference=reference, valid_from=debut, valid_to=fin,
        statut=Zonage.Statut.PUBLIE if publiee else Zonage.Statut.BROUILLON,
        publie_le=timezone.now() if publiee else None, note_source="Version fictive, pour les tests uniquement.",
    )
    Classement.objects.bulk_create([Classement(zonage=zonage, commune_id=code, niveau=niveau)
                                    for code, niveau in niveaux.items()])
    return zonage


@pytest.fixture
def versions_medecin():
    ancienne = creer_version("medecin", {MONTPELLIER: "ZAC", TOULOUSE: "ZAR", MENDE: "ZIP"},
                             datetime.date(2020, 1, 1), datetime.date(2024, 12, 31), reference="Arrêté fictif 2020")
    courante = creer_version("medecin", {MONTPELLIER: "ZAR", TOULOUSE: "HZ", MENDE: "ZIP", FOIX: "ZAC"},
                             datetime.date(2025, 1, 1), reference="Arrêté fictif 2025")
    creer_version("medecin", {MONTPELLIER: "ZIP"}, datetime.date(2026, 1, 1), publiee=False,
                  reference="Brouillon fictif")
    return ancienne, courante


@pytest.fixture(scope="module")
def contours_reels(django_db_setup, django_db_blocker):
    """The real outlines (communes, départements, region), loaded once for the module, then removed again so that
    the other modules find the session database as it was (the fixture has no outlines)."""
    dossier = DONNEES_REELLES
    with django_db_blocker.unblock():
        charger_territoires(dossier)
    yield dossier
    with django_db_blocker.unblock():
        Commune.objects.update(contour=None, longitude=None, latitude=None)
        Departement.objects.update(contour=None)
        Region.objects.update(contour=None)


def nombre_de_coordonnees(geometrie: dict) -> int:
    return int(shapely.get_num_coordinates(shape(geometrie)))


def lire_json(reponse) -> dict:
    contenu = reponse.content
    if reponse.get("Content-Encoding") == "gzip":
        contenu = gzip.decompress(contenu)
    return json.loads(contenu)


# --- Classification ------------------------------------------------------------------------------------------------

def test_classement_d_une_date_reprend_les_classements_de_la_version_en_vigueur(client, versions_medecin,
                                                                               django_assert_max_num_queries):
    _, courante = versions_medecin
    with django_assert_max_num_queries(3):  # +1: the request's read of the cache generations
        reponse = client.get("/zonages/classement.json", {"type": "medecin", "date": "2025-03-01"})
    assert reponse.status_code == 200
    donnees = reponse.json()
    assert donnees["type"] == "medecin" and donnees["date"] == "2025-03-01"
    assert donnees["version"] == {"id": courante.pk, "reference": "Arrêté fictif 2025", "valid_from": "2025-01-01",
                                  "valid_to": None, "note_source": "Version fictive, pour les tests uniquement."}
    attendus = dict(Classement.objects.filter(zonage=courante).values_list("commune_id", "niveau"))
    assert donnees["niveaux"] == attendus == {MONTPELLIER: "ZAR", TOULOUSE: "HZ", MENDE: "ZIP", FOIX: "ZAC"}
    assert "contour" not in reponse.content.decode() and "coordinates" not in reponse.content.decode()
    assert reponse["Cache-Control"] == "public, max-age=300" and reponse["ETag"].startswith('W/"')
    # Cached: the same classification costs only the cache generations and the lookup of the version in force;
    # gzipped when accepted, 304 for a client that already has it.
    with django_assert_max_num_queries(2):
        compresse = client.get("/zonages/classement.json", {"type": "medecin", "date": "2025-03-01"},
                               headers={"Accept-Encoding": "gzip"})
    assert compresse["Content-Encoding"] == "gzip" and lire_json(compresse) == donnees
    assert client.get("/zonages/classement.json", {"type": "medecin", "date": "2025-03-01"},
                      headers={"If-None-Match": reponse["ETag"]}).status_code == 304
    assert client.get("/zonages/classement.json", {"type": "medecin", "date": "2025-06-30"}).json()["niveaux"] == attendus


def test_date_sans_version_en_vigueur(client, versions_medecin):
    donnees = client.get("/zonages/classement.json", {"type": "medecin", "date": "2019-12-31"}).json()
    assert donnees == {"type": "medecin", "date": "2019-12-31", "version": None, "niveaux": {}}
    # A kind that has no version at all, and the default kind and date (medecin, today).
    assert client.get("/zonages/classement.json", {"type": "sage-femme"}).json()["version"] is None
    assert client.get("/zonages/classement.json").json()["date"] == timezone.localdate().isoformat()


def test_changer_de_date_puis_de_type(client, versions_medecin):
    ancienne, courante = versions_medecin
    infirmier = creer_version("infirmier", {MONTPELLIER: "SURD", MENDE: "TSD"}, datetime.date(2024, 1, 1))

    def niveaux(type_zonage, date):
        return client.get("/zonages/classement.json", {"type": type_zonage, "date": date}).json()

    avant, apres = niveaux("medecin", "2024-12-31"), niveaux("medecin", "2025-01-01")
    assert (avant["version"]["id"], apres["version"]["id"]) == (ancienne.pk, courante.pk)
    assert avant["niveaux"][TOULOUSE] == "ZAR" and apres["niveaux"][TOULOUSE] == "HZ"
    assert avant["version"]["valid_to"] == "2024-12-31"
    # The draft of 2026 is never shown.
    assert niveaux("medecin", "2026-06-01")["version"]["id"] == courante.pk
    autre = niveaux("infirmier", "2025-01-01")
    assert autre["version"]["id"] == infirmier.pk and autre["niveaux"] == {MONTPELLIER: "SURD", MENDE: "TSD"}


def test_une_modification_des_classements_invalide_le_cache(client, versions_medecin,
                                                          django_capture_on_commit_callbacks):
    _, courante = versions_medecin
    assert client.get("/zonages/classement.json", {"date": "2025-03-01"}).json()["niveaux"][FOIX] == "ZAC"
    with django_capture_on_commit_callbacks(execute=True):
        classement = Classement.objects.get(zonage=courante, commune_id=FOIX)
        classement.niveau = "ZIP"
        classement.save()
    assert client.get("/zonages/classement.json", {"date": "2025-03-01"}).json()["niveaux"][FOIX] == "ZIP"
    # A new published version takes over from its first day.
    with django_capture_on_commit_callbacks(execute=True):
        courante.valid_to = datetime.date(2025, 2, 28)
        courante.save()
        creer_version("medecin", {FOIX: "HZ"}, datetime.date(2025, 3, 1), reference="Arrêté fictif de mars 2025")
    donnees = client.get("/zonages/classement.json", {"date": "2025-03-01"}).json()
    assert donnees["version"]["reference"] == "Arrêté fictif de mars 2025" and donnees["niveaux"] == {FOIX: "HZ"}


@pytest.mark.parametrize("parametres, message", [
    ({"type": "dentiste"}, "Le type de zonage « dentiste » est inconnu"),
    ({"date": "2025-02-30"}, "La date « 2025-02-30 » n'est pas valide"),
    ({"date": "01/03/2025"}, "format attendu AAAA-MM-JJ"),
    ({"date": "20250301"}, "format attendu AAAA-MM-JJ"),
])
def test_parametre_invalide_du_classement_400(client, parametres, message):
    reponse = client.get("/zonages/classement.json", parametres)
    assert reponse.status_code == 400
    assert message in reponse.json()["erreur"]


def test_classement_du_manifeste_reel(client, donnees_reelles, django_assert_max_num_queries):
    charger_zonages_du_manifeste(donnees_reelles)
    medecin = Zonage.objects.get(type="medecin", statut=Zonage.Statut.PUBLIE)
    with django_assert_max_num_queries(3):  # +1: the request's read of the cache generations
        donnees = client.get("/zonages/classement.json", {"type": "medecin", "date": "2025-01-01"}).json()
    assert donnees["version"]["reference"] == medecin.reference
    assert donnees["version"]["note_source"] == medecin.note_source
    assert donnees["niveaux"] == dict(medecin.classements.values_list("commune_id", "niveau"))
    assert len(donnees["niveaux"]) == 4445 and "12218" not in donnees["niveaux"]
    assert set(donnees["niveaux"].values()) <= {n.code for n in TYPES["medecin"].niveaux}
    # ZRR ended on 30 June 2024 (replaced by FRR, not available here).
    assert client.get("/zonages/classement.json", {"type": "zrr", "date": "2024-06-30"}).json()["version"]
    assert client.get("/zonages/classement.json", {"type": "zrr", "date": "2024-07-01"}).json()["version"] is None


# --- Commune popup -------------------------------------------------------------------------------------------------

def test_niveaux_d_une_commune_pour_la_bulle(client, versions_medecin, django_assert_max_num_queries):
    creer_version("montagne", {MENDE: "C", MONTPELLIER: "NC"}, datetime.date(1985, 1, 9))
    with django_assert_max_num_queries(4):  # +1: the request's read of the cache generations
        donnees = client.get(f"/zonages/communes/{MENDE}.json", {"date": "2025-03-01"}).json()
    assert donnees["nom"] == "Mende" and donnees["url"] == f"/communes/{MENDE}/"
    assert donnees["departement"] == {"code": "48", "nom": "Lozère"}
    par_type = {n["type"]: n for n in donnees["niveaux"]}
    assert set(par_type) == set(TYPES)
    assert par_type["medecin"]["niveau"] == "ZIP"
    assert par_type["medecin"]["libelle"] == "Zone d'intervention prioritaire"
    assert par_type["medecin"]["couleur"] == TYPES["medecin"].niveau("ZIP").couleur
    assert par_type["montagne"]["libelle"] == "Classée en zone de montagne"
    assert par_type["infirmier"]["niveau"] is None and donnees["qpv"] == []
    assert client.get("/zonages/communes/99999.json").status_code == 404
    assert client.get(f"/zonages/communes/{MENDE}.json", {"date": "hier"}).status_code == 400


# --- QPV overlay ---------------------------------------------------------------------------------------------------

def test_qpv_en_vigueur_a_la_date(client):
    vide = client.get("/zonages/qpv.geojson", {"date": "2025-03-01"})
    assert vide.status_code == 200 and lire_json(vide) == {"type": "FeatureCollection", "features": []}
    carre = {"type": "Polygon", "coordinates": [[[3.87, 43.6], [3.88, 43.6], [3.88, 43.61], [3.87, 43.6]]]}
    QPV.objects.create(code="QNTEST01", nom="Quartier fictif de test", geometrie=carre,
                       valid_from=datetime.date(2024, 1, 1))
    QPV.objects.create(code="QNTEST02", nom="Ancien quartier fictif", geometrie=carre,
                       valid_from=datetime.date(2015, 1, 1), valid_to=datetime.date(2023, 12, 31))
    collection = lire_json(client.get("/zonages/qpv.geojson", {"date": "2025-03-01"}))
    assert [f["properties"] for f in collection["features"]] == [{"code": "QNTEST01", "nom": "Quartier fictif de test"}]
    assert [f["properties"]["code"] for f in lire_json(client.get("/zonages/qpv.geojson", {"date": "2020-01-01"}))["features"]] == ["QNTEST02"]
    assert client.get("/zonages/qpv.geojson", {"date": "demain"}).status_code == 400


# --- Map page ------------------------------------------------------------------------------------------------------

def test_page_de_la_carte(client, versions_medecin, django_assert_max_num_queries):
    client.get("/zonages/contours/region.geojson")  # outlines already prepared (the cold build is measured by the bench)
    with django_assert_max_num_queries(6):
        reponse = client.get("/zonages/", {"date": "2025-03-01"})
    assert reponse.status_code == 200
    html = reponse.content.decode()
    assert '<a class="fr-nav__link" href="/zonages/" aria-current="page">Zonages</a>' in html
    assert '<select class="fr-select" id="choix-type" name="type">' in html
    assert '<input class="fr-input" type="date" id="choix-date" name="date" value="2025-03-01"' in html
    assert '<option value="48">48 — Lozère</option>' in html
    assert "Arrêté fictif 2025, en vigueur du 01/01/2025." in html
    assert "aucun QPV en vigueur à cette date dans les données chargées" in html
    assert "ni ZRR ni FRR en vigueur à cette date" in html
    assert 'href="/zonages/tableau/?type=medecin&amp;date=2025-03-01"' in html
    # No code in the page: data in json_script, Leaflet and the map's script loaded from static files, deferred.
    assert '<script src="/static/leaflet/leaflet.js" defer></script>' in html
    assert '<script src="/static/js/carte_zonages.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/leaflet/leaflet.css">' in html
    configuration = json.loads(html.split('<script id="configuration-carte" type="application/json">')[1].split("</script>")[0])
    assert configuration["initial"] == {"type": "medecin", "date": "2025-03-01", "departement": "", "calques": []}
    assert configuration["types"]["medecin"]["niveaux"][0] == {"code": "ZIP", "libelle": "Zone d'intervention prioritaire",
                                                               "couleur": TYPES["medecin"].niveaux[0].couleur}
    assert configuration["urls"]["classement"] == "/zonages/classement.json"
    for bloc in html.split("<script")[1:]:
        entete, _, corps = bloc.partition(">")
        assert "src=" in entete or 'type="application/json"' in entete, entete
        assert "src=" not in entete or corps.startswith("</script")


def test_page_de_la_carte_parametres(client):
    html = client.get("/zonages/", {"type": "infirmier", "departement": "48", "calques": ["montagne", "qpv"]}).content.decode()
    assert '<option value="infirmier" selected>Infirmiers</option>' in html
    assert '<option value="48" selected>48 — Lozère</option>' in html
    assert 'id="calque-montagne" name="calques" value="montagne" checked' in html
    assert 'id="calque-zrr" name="calques" value="zrr" aria' in html
    assert "Aucune version du zonage « Infirmiers » n'est publiée en vigueur" in html


def configuration_de(html: str) -> dict:
    return json.loads(html.split('<script id="configuration-carte" type="application/json">')[1].split("</script>")[0])


def test_page_de_la_carte_sans_contour_le_dit_sans_javascript_et_au_script(client):
    """The session's communes have no outline: the page says the map cannot be drawn, points to the table, and tells
    the map's script (which shows the same message, never an alert)."""
    html = client.get("/zonages/", {"date": "2025-03-01"}).content.decode()
    message = ("Les contours des communes ne sont pas chargés dans le portail : la carte ne peut pas être dessinée. "
               "Le tableau des communes donne les mêmes classements.")
    assert configuration_de(html)["contours"] == {"communes": 0, "message": message}
    alerte = html.split('id="carte-sans-contour"')[1].split("</div>")[0]
    assert unescape(message) in unescape(alerte) and 'href="/zonages/tableau/?type=medecin&amp;date=2025-03-01"' in alerte
    assert "Carte indisponible : contours des communes non chargés." in html and "Chargement de la carte…" not in html
    assert "alert(" not in html


def test_page_de_la_carte_avec_contours_sans_message(client):
    from tests.factories import CARRE_DE_TEST

    Commune.objects.filter(code_insee="48095").update(contour=CARRE_DE_TEST)
    for parametres in ({}, {"departement": "48"}):
        html = client.get("/zonages/", parametres).content.decode()
        assert configuration_de(html)["contours"] == {"communes": 1, "message": ""}
        assert 'id="carte-sans-contour"' not in html and "Chargement de la carte…" in html
    # Another département, without outline: said for it.
    assert configuration_de(client.get("/zonages/", {"departement": "34"}).content.decode())["contours"]["communes"] == 0


@pytest.mark.parametrize("parametres, message", [
    ({"type": "kine"}, "Le type de zonage « kine » est inconnu"),
    ({"date": "2025-13-01"}, "La date « 2025-13-01 » n'est pas valide"),
    ({"departement": "75"}, "« 75 » n'est pas un département de la région Occitanie"),
    ({"calques": "routes"}, "Calque inconnu : « routes »"),
])
def test_page_de_la_carte_parametre_invalide_400(client, parametres, message):
    reponse = client.get("/zonages/", parametres)
    assert reponse.status_code == 400
    html = unescape(reponse.content.decode())
    assert message in html and "fr-alert--error" in html
    assert "carte_zonages.js" not in html


# --- Table and CSV -------------------------------------------------------------------------------------------------

def lignes_du_tableau(html: str) -> list[list[str]]:
    corps = html.split("<tbody>")[1].split("</tbody>")[0]
    lignes = []
    for ligne in corps.split("<tr>")[1:]:
        cellules = [c.split("</td>")[0] for c in ligne.split("<td")[1:]]
        lignes.append([_texte(c) for c in cellules])
    return lignes


def _texte(fragment: str) -> str:
    return unescape(" ".join(re.sub(r"<[^>]+>", " ", fragment.partition(">")[2]).split()))


def test_tableau_trie_par_commune_par_defaut_et_pagine(client, versions_medecin, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        reponse = client.get("/zonages/tableau/", {"date": "2025-03-01"})
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode()).replace("\xa0", " ")
    assert "4 446 communes, page 1 sur 89" in html
    lignes = lignes_du_tableau(html)
    assert len(lignes) == carte.TAILLE_PAGE
    attendus = list(Commune.objects.order_by("nom_normalise", "code_insee").values_list("nom", flat=True)[:50])
    assert [ligne[0].rsplit(" (", 1)[0] for ligne in lignes] == attendus
    assert '<th scope="col" aria-sort="ascending">' in html
    assert 'class="fr-pagination"' in html
    page_2 = lignes_du_tableau(client.get("/zonages/tableau/", {"date": "2025-03-01", "page": 2}).content.decode())
    assert [ligne[0].rsplit(" (", 1)[0] for ligne in page_2] == list(
        Commune.objects.order_by("nom_normalise", "code_insee").values_list("nom", flat=True)[50:100])


def test_tableau_trie_par_population_et_par_niveau(client, versions_medecin):
    html = client.get("/zonages/tableau/", {"date": "2025-03-01", "tri": "-population"}).content.decode()
    lignes = lignes_du_tableau(html)
    assert lignes[0] == ["Toulouse (31555)", "Haute-Garonne (31)", "514 819", "Hors zonage"]
    assert lignes[1][:2] == ["Montpellier (34172)", "Hérault (34)"] and lignes[1][3] == "Zone d'appui régional"
    assert '<th scope="col" aria-sort="descending">' in html
    # The header link of the sorted column reverses the order; the others sort ascending.
    assert 'href="/zonages/tableau/?type=medecin&amp;date=2025-03-01&amp;tri=population"' in html
    assert 'href="/zonages/tableau/?type=medecin&amp;date=2025-03-01&amp;tri=commune"' in html
    par_niveau = lignes_du_tableau(client.get("/zonages/tableau/", {"date": "2025-03-01", "tri": "niveau"}).content.decode())
    # Most in need first (the kind's order), then the communes the version does not classify.
    assert [ligne[3] for ligne in par_niveau[:5]] == ["Zone d'intervention prioritaire", "Zone d'action complémentaire",
                                                     "Zone d'appui régional", "Hors zonage",
                                                     "Non classée dans cette version"]
    assert [ligne[0] for ligne in par_niveau[:4]] == ["Mende (48095)", "Foix (09122)", "Montpellier (34172)",
                                                     "Toulouse (31555)"]
    decroissant = lignes_du_tableau(client.get("/zonages/tableau/", {"date": "2025-03-01", "tri": "-niveau"}).content.decode())
    assert [ligne[0] for ligne in decroissant[:4]] == ["Toulouse (31555)", "Montpellier (34172)", "Foix (09122)",
                                                      "Mende (48095)"]


def test_tableau_filtre_par_departement_et_date(client, versions_medecin):
    html = unescape(client.get("/zonages/tableau/", {"date": "2024-06-01", "departement": "48", "tri": "niveau"}).content.decode())
    nombre = Commune.objects.filter(departement_id="48").count()
    assert f"département 48 : {nombre} communes" in html
    lignes = lignes_du_tableau(html)
    assert {ligne[1] for ligne in lignes} == {"Lozère (48)"}
    assert lignes[0][0] == "Mende (48095)" and lignes[0][3] == "Zone d'intervention prioritaire"
    assert "Arrêté fictif 2020, en vigueur du 01/01/2020 au 31/12/2024." in html
    sans = unescape(client.get("/zonages/tableau/", {"type": "orthophoniste"}).content.decode())
    assert "Aucune version du zonage « Orthophonistes » n'est publiée en vigueur" in sans and "<tbody>" not in sans


@pytest.mark.parametrize("parametres, message", [
    ({"tri": "altitude"}, "Tri « altitude » inconnu"),
    ({"departement": "2B"}, "« 2B » n'est pas un département de la région Occitanie"),
    ({"type": "x", "date": "2025-01-01"}, "Le type de zonage « x » est inconnu"),
])
def test_tableau_parametre_invalide_400(client, parametres, message):
    reponse = client.get("/zonages/tableau/", parametres)
    assert reponse.status_code == 400 and message in unescape(reponse.content.decode())
    csv_reponse = client.get("/zonages/tableau.csv", parametres)
    assert csv_reponse.status_code == 400 and message in csv_reponse.content.decode()


def test_csv_utf8_bom_point_virgule_filtre_et_trie(client, versions_medecin, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        reponse = client.get("/zonages/tableau.csv", {"date": "2025-03-01", "departement": "34", "tri": "-population"})
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"] == 'attachment; filename="zonage_medecin_2025-03-01_34.csv"'
    assert reponse.content.startswith(b"\xef\xbb\xbf")
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0] == carte.ENTETES_CSV
    assert len(lignes) - 1 == Commune.objects.filter(departement_id="34").count()
    assert lignes[1] == ["34172", "Montpellier", "34", "Hérault", "310240", "ZAR", "Zone d'appui régional"]
    assert lignes[2][5:] == ["", "Non classée dans cette version"]
    tout = client.get("/zonages/tableau.csv", {"date": "2025-03-01"})
    assert tout.content.decode("utf-8-sig").count("\r\n") == 4446 + 1


def test_csv_sans_version_en_vigueur(client):
    lignes = list(csv.reader(io.StringIO(client.get("/zonages/tableau.csv", {"type": "frr", "departement": "09"})
                                         .content.decode("utf-8-sig")), delimiter=";"))
    assert len(lignes) == 1 + Commune.objects.filter(departement_id="09").count()
    assert {tuple(ligne[5:]) for ligne in lignes[1:]} == {("", "Aucune version en vigueur")}


# --- Geometry ------------------------------------------------------------------------------------------------------

def test_contours_de_la_region_simplifies_et_mis_en_cache(client, contours_reels, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # +1: the request's read of the cache generations
        reponse = client.get("/zonages/contours/region.geojson")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/geo+json"
    assert "public" in reponse["Cache-Control"] and "max-age=604800" in reponse["Cache-Control"]
    assert reponse["ETag"].startswith('W/"') and "Accept-Encoding" in reponse["Vary"]
    collection = lire_json(reponse)
    assert collection["type"] == "FeatureCollection"
    stockes = dict(Commune.objects.exclude(contour=None).values_list("code_insee", "contour"))
    assert len(collection["features"]) == len(stockes) >= 4445
    assert {tuple(f["properties"]) for f in collection["features"]} == {("code", "nom", "departement")}
    montpellier = next(f for f in collection["features"] if f["properties"]["code"] == MONTPELLIER)
    assert montpellier["properties"] == {"code": MONTPELLIER, "nom": "Montpellier", "departement": "34"}
    # Simplified: far fewer coordinates than the stored outlines, rounded to 4 decimals, still polygons.
    simplifiees = sum(nombre_de_coordonnees(f["geometry"]) for f in collection["features"])
    assert simplifiees < 0.6 * sum(nombre_de_coordonnees(g) for g in stockes.values())
    assert all(f["geometry"]["type"] in {"Polygon", "MultiPolygon"} for f in collection["features"])
    assert all(round(x, 4) == x for x, _ in shape(montpellier["geometry"]).exterior.coords)
    # The second time comes from the cache, with no query but the cache generations; a client that has it gets a 304.
    with django_assert_max_num_queries(1):
        deuxieme = client.get("/zonages/contours/region.geojson")
    assert deuxieme["ETag"] == reponse["ETag"] and deuxieme.content == reponse.content
    non_modifie = client.get("/zonages/contours/region.geojson", headers={"If-None-Match": reponse["ETag"]})
    assert non_modifie.status_code == 304 and non_modifie.content == b""
    assert non_modifie["ETag"] == reponse["ETag"] and "max-age" in non_modifie["Cache-Control"]
    assert client.get("/zonages/contours/region.geojson", headers={"If-None-Match": 'W/"autre"'}).status_code == 200
    # Gzipped for the clients that accept it (prepared once, not at each request).
    compresse = client.get("/zonages/contours/region.geojson", headers={"Accept-Encoding": "gzip, br"})
    assert compresse["Content-Encoding"] == "gzip" and len(compresse.content) < len(reponse.content) / 3
    assert lire_json(compresse) == collection


def test_contours_d_un_departement_et_limites(client, contours_reels):
    reponse = client.get("/zonages/contours/48.geojson")
    assert reponse.status_code == 200 and "max-age=604800" in reponse["Cache-Control"]
    lozere = lire_json(reponse)
    codes = {f["properties"]["code"] for f in lozere["features"]}
    assert codes == set(Commune.objects.filter(departement_id="48").values_list("code_insee", flat=True))
    assert {f["properties"]["departement"] for f in lozere["features"]} == {"48"}
    # Finer than the region's file (a département is shown closer), coarser than the stored outlines.
    region = {f["properties"]["code"]: f for f in lire_json(client.get("/zonages/contours/region.geojson"))["features"]}
    fines = sum(nombre_de_coordonnees(f["geometry"]) for f in lozere["features"])
    assert fines > sum(nombre_de_coordonnees(region[code]["geometry"]) for code in codes)
    stockees = sum(nombre_de_coordonnees(c) for c in Commune.objects.filter(departement_id="48").values_list("contour", flat=True))
    assert fines < stockees
    limites = lire_json(client.get("/zonages/contours/departements.geojson"))
    assert sorted(f["properties"]["code"] for f in limites["features"]) == sorted(
        Departement.objects.filter(region_id="76").values_list("code", flat=True))


@pytest.mark.parametrize("code", ["99", "2A", "75", "region2", "%3Cscript%3E"])
def test_contours_d_un_departement_inconnu_400(client, code):
    reponse = client.get(f"/zonages/contours/{code}.geojson")
    assert reponse.status_code == 400
    assert "n'est pas un département de la région Occitanie" in reponse.json()["erreur"]


def test_un_contour_modifie_change_le_fichier_et_son_etag(client, contours_reels, django_capture_on_commit_callbacks):
    avant = client.get("/zonages/contours/09.geojson")
    foix = Commune.objects.get(code_insee=FOIX)
    contour_reel = foix.contour
    try:
        with django_capture_on_commit_callbacks(execute=True):
            foix.contour = {"type": "Polygon", "coordinates": [[[1.6, 42.96], [1.61, 42.96], [1.61, 42.97], [1.6, 42.96]]]}
            foix.save()
        apres = client.get("/zonages/contours/09.geojson")
        assert apres["ETag"] != avant["ETag"]
        nouveau = next(f for f in lire_json(apres)["features"] if f["properties"]["code"] == FOIX)
        assert nouveau["geometry"]["coordinates"] == [[[1.6, 42.96], [1.61, 42.96], [1.61, 42.97], [1.6, 42.96]]]
    finally:
        Commune.objects.filter(code_insee=FOIX).update(contour=contour_reel)


def test_simplifier_garde_des_polygones_valides_et_arrondis():
    carre = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [1.00001, 43.5], [1.0, 44.0], [2.0, 44.0],
                                                 [2.0, 43.0], [1.0, 43.0]]]}
    minuscule = {"type": "Polygon", "coordinates": [[[1.0, 43.0], [1.00001, 43.0], [1.00001, 43.00001], [1.0, 43.0]]]}
    simple, petit = carte.simplifier([carre, minuscule], 0.001, 4)
    assert simple == {"type": "Polygon", "coordinates": (((1.0, 43.0), (1.0, 44.0), (2.0, 44.0), (2.0, 43.0),
                                                          (1.0, 43.0)),)}
    assert petit["type"] == "Polygon"  # a polygon that rounding collapses is kept, not dropped or crashing


def test_classement_des_seules_regions_servies(client, settings):
    """A national version classes communes of regions the portal does not serve (here a test-only commune of a
    test-only département of Auvergne-Rhône-Alpes): the classification read, cached and sent is the served regions'
    only, and follows PAPS_REGIONS."""
    from noyau.regions import REGIONS_INSEE
    from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

    ailleurs = CommuneFactory(departement=DepartementFactory(region=RegionFactory(code="84", nom=REGIONS_INSEE["84"])))
    creer_version("medecin", {MONTPELLIER: "ZIP", ailleurs.code_insee: "ZAC"}, datetime.date(2025, 1, 1))
    settings.PAPS_REGIONS = "76"
    assert client.get("/zonages/classement.json", {"type": "medecin", "date": "2025-03-01"}).json()["niveaux"] == {
        MONTPELLIER: "ZIP"}
    settings.PAPS_REGIONS = "76,84"
    assert carte.classement("medecin", JOUR)["niveaux"] == {MONTPELLIER: "ZIP", ailleurs.code_insee: "ZAC"}
    settings.PAPS_REGIONS = "84"
    assert carte.classement("medecin", JOUR)["niveaux"] == {ailleurs.code_insee: "ZAC"}
