"""Issue 14's journeys in headless Chromium, wide (1280 px) and on a phone (390 px), each page checked with axe-core
and for console errors: a young GP finishing her internship goes from the home page to her aids in Langogne,
answering one question at a time; the same without JavaScript; her printable recap; a search for « lozère » and
« autour de rodez »; the commune page answering « can I settle here? ». Zonage versions are test versions on real
commune codes, not the real ones."""
import datetime
import re

import pytest
from playwright.sync_api import expect

from aides.catalogue import charger_regles
from aides.eligibilite.vocabulaire import FAITS
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES, FIXTURE_REFERENTIELS, verifier_accessibilite
from tests.factories import version
from zonages.publication import publier

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]
LANGOGNE = "48080"
LARGEURS = [1280, 390]


@pytest.fixture
def langogne_zip():
    charger_territoires(FIXTURE_REFERENTIELS)
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=(LANGOGNE,)))


@pytest.fixture
def territoires_reels():
    """Real outlines and points (maps, distances), the rules and a test GP zonage on Langogne."""
    charger_territoires(DONNEES_REELLES)
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=(LANGOGNE,)))


def visible(page) -> str:
    return page.locator("main").inner_text().replace("\u202f", " ").replace("\xa0", " ")


def sans_nom_de_champ(texte: str):
    """Nothing she reads names a field or an internal code."""
    for nom in FAITS:
        assert "_" not in nom or nom not in texte, nom
    assert not re.search(r"\b(fin_internat|medecin-generaliste|a_preciser|non_eligible)\b", texte)


def repondre(page, libelle: str):
    """Clicks an answer (its label: the DSFR draws the radio over it), as a person would."""
    avant = page.locator("#simulateur").get_attribute("data-annonce")
    page.locator("#question label", has_text=libelle).first.click()
    page.wait_for_function("(avant) => document.getElementById('simulateur').dataset.annonce !== avant", arg=avant)


@pytest.mark.parametrize("largeur", LARGEURS)
def test_de_l_accueil_a_ses_aides_une_question_a_la_fois(live_server, page, langogne_zip, largeur):
    page.set_viewport_size({"width": largeur, "height": 900})
    page.goto(live_server.url + "/")
    verifier_accessibilite(page, f"accueil ({largeur} px)")
    page.get_by_role("link", name="Simuler mes aides").click()
    page.wait_for_url("**/mes-aides/")
    verifier_accessibilite(page, f"simulateur, premier pas ({largeur} px)")

    # Where and which profession: the commune by its name, with the autocomplete.
    commune = page.locator("#simulateur").get_by_role("combobox", name=re.compile("^Commune"))
    commune.fill("langog")
    page.get_by_role("option", name=re.compile("Langogne")).first.wait_for()
    commune.press("ArrowDown")
    commune.press("Enter")
    assert commune.input_value() == f"Langogne ({LANGOGNE})"
    page.locator("label[for=profession-medecin-generaliste]").click()
    page.get_by_role("button", name="Continuer").click()

    # The stage first, each described; « je termine mon internat » runs both cases.
    titre = page.locator("#question-titre")
    expect(titre).to_contain_text("Où en êtes-vous de votre parcours ?")
    assert "Votre internat s'achève" in page.locator("#question").inner_text()
    verifier_accessibilite(page, f"simulateur, étape ({largeur} px)")
    repondre(page, "Je termine mon internat")
    assert "etape=fin_internat" in page.url  # the address follows: shareable, back works
    assert "Quel sera votre mode d'exercice ?" in titre.inner_text()
    repondre(page, "Libéral")

    # Then the facts still open, one at a time, in plain French; the results follow each answer.
    texte_questions = []
    for _ in range(3):
        texte_questions.append(titre.inner_text())
        repondre(page, page.locator("#question label.fr-label").first.inner_text().split("\n")[0])
    assert len(set(texte_questions)) == 3
    resume = page.locator(".simulateur__resume")
    assert "Langogne, médecin généraliste" in resume.inner_text()
    assert "Zonage des médecins généralistes : zone d'intervention prioritaire." in resume.inner_text()
    lignes = page.locator(".resultat-aide")
    assert lignes.count() > 0
    assert "PENDANT L'INTERNAT" in visible(page).upper() and "À L'INSTALLATION" in visible(page).upper()
    # Every scheme says how to apply and who decides, with an official page; nothing « not filled in ».
    assert "Qui décide" in visible(page) and "non renseignées" not in visible(page)
    sans_nom_de_champ(visible(page))
    if largeur == 390:
        # On a phone, the result comes first, then the question.
        assert resume.bounding_box()["y"] < page.locator("#question").bounding_box()["y"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    verifier_accessibilite(page, f"simulateur, questions et résultats ({largeur} px)")

    # « Je ne sais pas » moves on; « Modifier » brings a question back.
    passee = titre.inner_text()
    page.get_by_role("button", name="Je ne sais pas").click()
    page.wait_for_function("(avant) => document.getElementById('question-titre').innerText !== avant", arg=passee)
    page.get_by_role("link", name=re.compile("^Modifier : mode d'exercice")).click()
    expect(titre).to_contain_text("Quel sera votre mode d'exercice ?")
    page.go_back()
    expect(titre).not_to_contain_text("Quel sera votre mode d'exercice ?")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)


def test_sans_javascript_une_etape_par_page(live_server, navigateur, langogne_zip):
    contexte = navigateur.new_context(java_script_enabled=False, locale="fr-FR", viewport={"width": 390, "height": 900})
    page = contexte.new_page()
    page.goto(live_server.url + "/je-m-installe/medecin-generaliste/")
    page.get_by_role("link", name="Simuler mes aides dans une commune").click()
    page.wait_for_url("**/mes-aides/?profession=medecin-generaliste")
    assert page.locator("#profession-medecin-generaliste").is_checked()
    page.locator("#simulateur").get_by_label("Commune").fill("langogne")
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"**/mes-aides/?commune={LANGOGNE}&profession=medecin-generaliste")
    for libelle in ("Je termine mon internat", "Libéral"):
        page.locator("#question label", has_text=libelle).first.click()
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_load_state()
    assert "etape=fin_internat&mode=liberal" in page.url
    question = page.locator("#question-titre").inner_text()
    page.get_by_role("button", name="Je ne sais pas").click()
    page.wait_for_load_state()
    assert "passees=" in page.url and page.locator("#question-titre").inner_text() != question
    assert page.locator("#droits").is_visible() and page.locator("#a-verifier").is_visible()
    sans_nom_de_champ(page.locator("main").inner_text())
    contexte.close()


def test_recapitulatif_imprimable(live_server, page, langogne_zip):
    page.goto(live_server.url + f"/mes-aides/?commune={LANGOGNE}&profession=medecin-generaliste&etape=installation"
                                "&mode=liberal&secteur=1&pdsa=oui&impression=1")
    page.locator(".recapitulatif").wait_for()
    page.emulate_media(media="print")
    assert not page.locator(".fr-header").is_visible() and not page.locator("[data-imprimer]").is_visible()
    texte = page.locator(".recapitulatif").inner_text()
    assert "Vos réponses" in texte and "Secteur conventionnel" in texte and "Règles et zonages en vigueur le" in texte
    # Sources and contacts print as titles with their addresses written out, not as blank boxes.
    assert "https://www.ameli.fr/medecin/textes-reference/convention-medicale-2024-2029" in texte
    assert page.locator(".recapitulatif details").count() == 0
    assert page.evaluate("""() => [...document.querySelectorAll('.recapitulatif a[target=_blank]')]
                            .every(a => getComputedStyle(a, '::after').content === 'none')""")
    assert len(page.pdf()) > 10_000
    page.emulate_media(media="screen")
    verifier_accessibilite(page, "récapitulatif imprimable")
    # On a phone, each answer beside its question, within the screen (a long question wraps).
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    for reponse in page.locator(".recapitulatif__reponses dd").all():
        boite = reponse.bounding_box()
        assert boite["width"] > 50 and boite["x"] + boite["width"] <= 390
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)


@pytest.mark.parametrize("largeur", LARGEURS)
def test_recherche_d_un_departement_et_autour_d_une_commune(live_server, page, territoires_reels, largeur):
    page.set_viewport_size({"width": largeur, "height": 900})
    page.goto(live_server.url + "/")
    champ = page.locator("#recherche-accueil")
    champ.fill("lozère")
    page.get_by_role("option", name=re.compile("^Lozère Département")).wait_for()
    champ.press("ArrowDown")
    champ.press("Enter")
    page.wait_for_url("**/departements/48/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Lozère")
    page.locator("#carte-departement[data-pret=oui]").wait_for()
    assert page.locator("#carte-departement").get_attribute("data-communes") == "152"
    verifier_accessibilite(page, f"page de la Lozère ({largeur} px)")

    page.goto(live_server.url + "/communes/?q=autour+de+rodez")
    page.wait_for_url("**/communes/?autour=12202&rayon=20")
    assert re.search(r"\d+ communes à moins de 20 km de Rodez", page.get_by_role("heading", name=re.compile(
        "à moins de 20 km")).inner_text())
    page.get_by_label("Distance maximale").select_option("10")
    page.get_by_role("button", name="Changer la distance").click()
    page.wait_for_url("**rayon=10")
    verifier_accessibilite(page, f"autour de Rodez ({largeur} px)")
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)


@pytest.mark.parametrize("largeur", LARGEURS)
def test_fiche_commune_puis_je_m_installer_ici(live_server, page, territoires_reels, largeur):
    page.set_viewport_size({"width": largeur, "height": 900})
    page.goto(live_server.url + f"/communes/{LANGOGNE}/")
    page.get_by_label("Votre profession").select_option("medecin-generaliste")
    page.get_by_role("button", name="Afficher").first.click()
    page.wait_for_url("**profession=medecin-generaliste**")
    assert "Zone d'intervention prioritaire" in page.locator("#installer-ici").inner_text()
    carte = page.locator("#carte-commune[data-pret=oui]")
    carte.wait_for()
    assert int(carte.get_attribute("data-communes")) > 5  # the commune and its neighbours
    # The commune's own outline, clicked: its popup opens and fits in the map, on a phone too.
    carte.scroll_into_view_if_needed()
    centre = page.evaluate("""() => { const c = document.getElementById('carte-commune').carteLeaflet;
        let b; c.eachLayer(l => { if (l.feature && l.feature.properties.code === '48080') b = l.getBounds().getCenter(); });
        const p = c.latLngToContainerPoint(b); const r = c.getContainer().getBoundingClientRect();
        return {x: r.left + p.x, y: r.top + p.y}; }""")
    page.mouse.click(centre["x"], centre["y"])
    popup = page.locator("#carte-commune .leaflet-popup")
    popup.wait_for()
    assert "Langogne" in popup.inner_text() and popup.get_by_role("link", name="Ouvrir la fiche de la commune").count()
    page.wait_for_function("""() => { const b = document.querySelector('#carte-commune .leaflet-popup')
        .getBoundingClientRect(); const c = document.getElementById('carte-commune').getBoundingClientRect();
        return b.left >= c.left && b.right <= c.right; }""")
    # The zonage table stacks on a phone: nothing to scroll sideways.
    for tableau in page.locator(".tableau-empile").all():
        assert tableau.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    if largeur == 390:
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.wait_for_function("() => [...document.querySelectorAll('.leaflet-popup')]"
                           ".every(p => getComputedStyle(p).opacity === '1')")
    verifier_accessibilite(page, f"fiche commune, médecin généraliste ({largeur} px)")
    page.locator("#installer-ici").get_by_role("link", name="Simuler mes aides à Langogne").click()
    page.wait_for_url(f"**/mes-aides/?commune={LANGOGNE}&profession=medecin-generaliste")
    assert "Langogne, médecin généraliste" in page.locator(".simulateur__resume").inner_text()
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
