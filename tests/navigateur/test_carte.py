"""The zonage map in headless Chromium, with the real outlines and the real manifest zonages, tiles blocked.

Communes are drawn on canvas: colours are read from the canvas pixels at a point well inside a commune (computed
from its stored outline), and clicks go to that same point.
"""
import re

import pytest
from shapely.geometry import shape

from territoires.models import Commune
from territoires.referentiels.chargement import charger_territoires
from zonages.manifeste import charger_zonages_du_manifeste
from zonages.models import Classement, Zonage
from zonages.niveaux import TYPES

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

PIXEL = """([lat, lon]) => {
  const conteneur = document.getElementById("carte-zonages");
  const point = conteneur.carteLeaflet.latLngToContainerPoint([lat, lon]);
  const cadre = conteneur.getBoundingClientRect();
  const x = cadre.left + point.x, y = cadre.top + point.y;
  const toile = conteneur.querySelector(".leaflet-overlay-pane canvas");
  const zone = toile.getBoundingClientRect();
  const rgba = toile.getContext("2d").getImageData(Math.round((x - zone.left) * toile.width / zone.width),
                                                  Math.round((y - zone.top) * toile.height / zone.height), 1, 1).data;
  return {x: x, y: y, couleur: "#" + [rgba[0], rgba[1], rgba[2]].map(c => c.toString(16).padStart(2, "0")).join("")};
}"""


@pytest.fixture
def donnees_reelles(donnees_reelles):
    charger_territoires(donnees_reelles)
    charger_zonages_du_manifeste(donnees_reelles)


def grandes_communes(nombre: int, departement: str | None = None) -> list[dict]:
    """The largest communes, each with a point 2 km inside its outline (clear of borders at any zoom we use)."""
    communes = Commune.objects.exclude(contour=None)
    if departement:
        communes = communes.filter(departement_id=departement)
    formes = sorted(((code, nom, shape(contour)) for code, nom, contour in
                     communes.values_list("code_insee", "nom", "contour")), key=lambda c: -c[2].area)[:nombre]
    resultat = []
    for code, nom, forme in formes:
        point = forme.buffer(-0.02).representative_point()
        resultat.append({"code": code, "nom": nom, "lat": point.y, "lon": point.x})
    return resultat


def niveaux_en_vigueur(type_zonage: str) -> dict[str, str]:
    zonage = Zonage.objects.get(type=type_zonage, statut=Zonage.Statut.PUBLIE, valid_to=None)
    return dict(Classement.objects.filter(zonage=zonage).values_list("commune_id", "niveau"))


def legende(page) -> dict[str, tuple[str, int]]:
    entrees = {}
    for entree in page.locator("#legende-carte li").all():
        nombre = entree.locator(".legende-carte__nombre").inner_text()
        entrees[entree.get_attribute("data-niveau")] = (entree.locator(".legende-carte__libelle").inner_text(),
                                                       int(re.sub(r"\D", "", nombre)))
    return entrees


def proches(couleur: str, autre: str) -> bool:
    """Same colour, give or take the rounding of the canvas' premultiplied alpha."""
    return all(abs(int(couleur[i:i + 2], 16) - int(autre[i:i + 2], 16)) <= 3 for i in (1, 3, 5))


def verifier_couleurs(page, communes, type_zonage, niveaux) -> dict[str, str]:
    """Each commune is painted with its level's colour; returns the colours expected (and found)."""
    couleurs = {}
    for commune in communes:
        lue = page.evaluate(PIXEL, [commune["lat"], commune["lon"]])["couleur"]
        attendue = TYPES[type_zonage].niveau(niveaux[commune["code"]]).couleur
        assert proches(lue, attendue), (commune["nom"], type_zonage, lue, attendue)
        couleurs[commune["code"]] = attendue
    return couleurs


def test_carte_legende_changement_de_type_et_bulle(live_server, page, donnees_reelles):
    avec_contour = set(Commune.objects.exclude(contour=None).values_list("code_insee", flat=True))
    medecin, infirmier = niveaux_en_vigueur("medecin"), niveaux_en_vigueur("infirmier")
    communes = grandes_communes(10)

    page.goto(live_server.url + "/zonages/")
    carte = page.locator("#carte-zonages[data-pret=oui]")
    carte.wait_for()
    # Polygons drawn although no tile could be loaded: every commune with an outline, coloured by its level.
    assert carte.get_attribute("data-communes") == str(len(avec_contour))
    assert carte.get_attribute("data-classement").startswith("medecin|")
    toile = page.locator("#carte-zonages .leaflet-overlay-pane canvas")
    assert toile.count() == 1 and toile.bounding_box()["width"] > 600
    avant = verifier_couleurs(page, communes, "medecin", medecin)

    # The legend: one entry per level present on the map, with its label and its number of communes.
    attendus = {}
    for code in avec_contour:
        if code in medecin:
            attendus[medecin[code]] = attendus.get(medecin[code], 0) + 1
    assert legende(page) == {code: (TYPES["medecin"].niveau(code).libelle, nombre) for code, nombre in attendus.items()}
    assert "Arrêté du DG de l'ARS Occitanie du 4 mai 2022" in page.locator("#source-reference").inner_text()

    # Another kind: only its classification is fetched, the outlines are not; the map is recoloured.
    contours_avant = [u for u in page.requetes if "/contours/" in u]
    page.locator("#choix-type").select_option("infirmier")
    page.locator("#carte-zonages[data-classement^='infirmier|']").wait_for()
    assert [u for u in page.requetes if "/contours/" in u] == contours_avant
    assert any("/zonages/classement.json?type=infirmier" in u for u in page.requetes)
    apres = verifier_couleurs(page, communes, "infirmier", infirmier)
    assert apres != avant
    assert {code: libelle for code, (libelle, _) in legende(page).items()} == {
        code: TYPES["infirmier"].niveau(code).libelle for code in {infirmier[c] for c in avec_contour if c in infirmier}}
    assert "type=infirmier" in page.url
    assert "type=infirmier" in page.locator("#lien-tableau").get_attribute("href")

    # A click on a commune: its levels of every kind on that date, and a link to its page.
    commune = communes[0]
    page.locator("#carte-zonages").scroll_into_view_if_needed()
    point = page.evaluate(PIXEL, [commune["lat"], commune["lon"]])
    page.mouse.click(point["x"], point["y"])
    bulle = page.locator(".leaflet-popup-content .popup-zonages")
    bulle.locator("li[data-type=medecin]").wait_for()
    texte = bulle.inner_text()
    assert commune["nom"] in texte
    assert f"Médecins généralistes : {TYPES['medecin'].niveau(medecin[commune['code']]).libelle}" in texte
    assert f"Infirmiers : {TYPES['infirmier'].niveau(infirmier[commune['code']]).libelle}" in texte
    assert "Zone de montagne : " in texte
    lien = bulle.get_by_role("link", name="Fiche de la commune")
    assert lien.get_attribute("href") == f"/communes/{commune['code']}/"
    lien.click()
    page.wait_for_url(f"{live_server.url}/communes/{commune['code']}/")
    assert page.get_by_role("heading", level=1).inner_text() == commune["nom"]
    assert page.erreurs_console == []


def test_departement_date_et_calques(live_server, page, donnees_reelles):
    lozere = Commune.objects.filter(departement_id="48").exclude(contour=None).count()
    page.goto(live_server.url + "/zonages/?type=medecin&date=2020-01-01")
    page.locator("#carte-zonages[data-pret=oui]").wait_for()
    # A département: its own (finer) outlines, framed.
    page.locator("#choix-departement").select_option("48")
    page.locator("#carte-zonages[data-departement='48']").wait_for()
    assert page.locator("#carte-zonages").get_attribute("data-communes") == str(lozere)
    assert any("/zonages/contours/48.geojson" in u for u in page.requetes)
    # No médecins zonage in force on 1 January 2020 (the known one starts on 7 May 2022): grey, and said.
    grandes = grandes_communes(3, "48")
    for commune in grandes:
        assert proches(page.evaluate(PIXEL, [commune["lat"], commune["lon"]])["couleur"], "#e5e5e5")
    assert legende(page) == {"": ("Aucune version en vigueur à cette date", lozere)}
    assert "Aucune version du zonage « Médecins généralistes »" in page.locator("#etat-carte").inner_text()
    # Overlays on 1 January 2020: mountain and ZRR lists are in force; no QPV is loaded, and the page says so.
    # Each overlay's state, written by the server for the page's date, is worded the same by the script once drawn.
    etats_de_la_page = {c: page.locator(f"#calque-{c}-etat").inner_text() for c in ["montagne", "zrr", "qpv"]}
    for calque in ["montagne", "zrr", "qpv"]:
        page.locator(f"label[for=calque-{calque}]").click()
    calques = page.locator("#legende-calques")
    calques.get_by_text("Classée en ZRR", exact=True).wait_for()
    calques.get_by_text("Aucun quartier prioritaire (QPV) n'est en vigueur au 01/01/2020").wait_for()
    assert "Classée en zone de montagne" in calques.inner_text()
    assert "Partiellement classée en ZRR" in calques.inner_text()
    assert {c: page.locator(f"#calque-{c}-etat").inner_text() for c in etats_de_la_page} == etats_de_la_page
    assert etats_de_la_page["zrr"] == "Zone de revitalisation rurale (ZRR) : communes classées hachurées"
    assert "montagne%2Czrr%2Cqpv" in page.url or "montagne,zrr,qpv" in page.url
    # After 30 June 2024 the ZRR gave way to France Ruralités Revitalisation: the same overlay shows the FRR list.
    page.locator("#choix-date").fill("2025-01-01")
    page.locator("#carte-zonages[data-classement='medecin|2025-01-01']").wait_for()
    verifier_couleurs(page, grandes, "medecin", niveaux_en_vigueur("medecin"))
    assert "Classée en ZRR" not in calques.inner_text()
    assert page.locator("#calque-zrr-etat").inner_text() == (
        "France Ruralités Revitalisation (FRR) : communes classées hachurées")
    # A kind with no version on the date (the sages-femmes' zonage applies from 1 January 2024).
    page.locator("#choix-date").fill("2023-06-01")
    page.locator("#carte-zonages[data-classement='medecin|2023-06-01']").wait_for()
    page.locator("#choix-type").select_option("sage-femme")
    page.locator("#carte-zonages[data-classement='sage-femme|2023-06-01']").wait_for()
    assert "Aucune version du zonage « Sages-femmes »" in page.locator("#etat-carte").inner_text()
    assert legende(page) == {"": ("Aucune version en vigueur à cette date", lozere)}
    assert page.erreurs_console == []
