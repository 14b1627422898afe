"""The portal's own error pages (400, and 403 when the CSRF check fails) in headless Chromium, at 1280 and 390 px:
French, no console error but the page's own status, no Content-Security-Policy or accessibility violation."""
import pytest

from tests.conftest import verifier_accessibilite

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]
LARGEURS = [1280, 390]


def verifier(page, statut: int, contexte: str):
    page.wait_for_load_state("networkidle")
    verifier_accessibilite(page, contexte)
    message = f"Failed to load resource: the server responded with a status of {statut} "
    assert [e for e in page.erreurs_console if not e.startswith(message)] == [], page.erreurs_console


@pytest.mark.parametrize("largeur", LARGEURS)
def test_page_400_jeu_de_caracteres(live_server, page, largeur):
    page.set_viewport_size({"width": largeur, "height": 900})
    page.set_extra_http_headers({"Content-Type": "text/plain; charset=rot13"})
    reponse = page.goto(live_server.url + "/accessibilite/")
    assert reponse.status == 400
    assert page.locator("h1").inner_text() == "Requête invalide"
    assert "Jeu de caractères « rot13 » inconnu" in page.locator("#contenu").inner_text()
    verifier(page, 400, f"page 400 à {largeur} px")


@pytest.mark.parametrize("largeur", LARGEURS)
def test_page_403_formulaire_expire(live_server, page, largeur):
    page.set_viewport_size({"width": largeur, "height": 900})
    page.goto(live_server.url + "/admin/login/")
    page.context.clear_cookies()  # the CSRF cookie is gone (expired, refused): the form can no longer be sent
    page.locator("#id_username").fill("agent")
    page.locator("#id_password").fill("mot-de-passe")
    with page.expect_navigation():
        page.get_by_role("button", name="Connexion").click()
    assert page.locator("h1").inner_text() == "Formulaire expiré"
    assert "Le formulaire a expiré ou ne vient pas du portail" in page.locator("#contenu").inner_text()
    verifier(page, 403, f"page 403 (CSRF) à {largeur} px")
