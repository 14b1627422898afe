"""The offers' Atom feed (issue 18, item 6): what agents type (title, employer, description) reaches feed readers as
text, never as markup. Checked with an XML parser, and in Chromium by a reader that follows RFC 4287 (§3.1.1: a
`type="html"` summary is HTML to render, a `type="text"` one is text). Test-only offers; Béziers is a real commune.
"""
import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from structures.models import Offre, Structure
from territoires.models import Commune
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import FIXTURE_REFERENTIELS

ATOM = "{http://www.w3.org/2005/Atom}"
BALISES = '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">lien</a> <b>gras</b> &amp; Cie'
TITRE = "Poste " + BALISES
EMPLOYEUR = "Employeur " + BALISES
DESCRIPTION = "Description " + BALISES
STRUCTURE = "MSP " + BALISES


def offres_a_balises():
    if not Commune.objects.filter(code_insee="34032").exists():  # a transactional test may have flushed them
        charger_territoires(FIXTURE_REFERENTIELS)
    jour = timezone.localdate()
    commun = {"profession": "infirmier", "type": "remplacement", "commune_id": "34032", "contact_nom": "Contact",
              "publiee_le": jour - datetime.timedelta(days=1), "expire_le": jour + datetime.timedelta(days=30)}
    Offre.objects.create(titre=TITRE, employeur=EMPLOYEUR, description=DESCRIPTION, **commun)
    structure = Structure.objects.create(identifiant="TEST-FLUX", nom=STRUCTURE, type="msp", commune_id="34032")
    Offre.objects.create(titre="Poste en MSP", structure=structure, **commun)


@pytest.mark.django_db
def test_le_flux_donne_les_textes_des_offres_comme_du_texte(client):
    offres_a_balises()
    reponse = client.get("/offres/flux.atom")
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("application/atom+xml")
    flux = ET.fromstring(reponse.content)
    entrees = {e.findtext(f"{ATOM}title"): e for e in flux.iter(f"{ATOM}entry")}
    assert set(entrees) == {f"{TITRE} — Béziers", "Poste en MSP — Béziers"}
    for titre, entree in entrees.items():
        for element in (entree.find(f"{ATOM}title"), entree.find(f"{ATOM}summary")):
            assert element.get("type", "text") == "text", (titre, element.tag, element.attrib)
            assert len(element) == 0  # no child element: the markup is characters
    resume = entrees[f"{TITRE} — Béziers"].findtext(f"{ATOM}summary")
    assert resume == f"Remplacement, Infirmier, {EMPLOYEUR}. {DESCRIPTION}"
    assert entrees["Poste en MSP — Béziers"].findtext(f"{ATOM}summary") == f"Remplacement, Infirmier, {STRUCTURE}. "


# A feed reader, in the page: parses the feed as XML and shows each entry's title and summary by their type.
LECTEUR_ATOM = """async () => {
  const texte = await (await fetch("/offres/flux.atom")).text();
  const flux = new DOMParser().parseFromString(texte, "application/xml");
  if (flux.querySelector("parsererror")) return {erreur: flux.querySelector("parsererror").textContent};
  const lecteur = document.createElement("section");
  lecteur.id = "lecteur-atom";
  for (const entree of flux.getElementsByTagName("entry")) {
    for (const nom of ["title", "summary"]) {
      const element = entree.getElementsByTagName(nom)[0];
      const bloc = document.createElement("div");
      bloc.className = nom;
      if ((element.getAttribute("type") || "text") === "text") bloc.textContent = element.textContent;
      else bloc.innerHTML = element.textContent;  // "html": the reader renders it
      lecteur.append(bloc);
    }
  }
  document.body.append(lecteur);
  return {
    injectes: lecteur.querySelectorAll("img, a, b").length,
    textes: [...lecteur.children].map((bloc) => bloc.textContent),
  };
}"""


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_un_lecteur_de_flux_dans_chromium_montre_les_balises_comme_du_texte(live_server, page):
    offres_a_balises()
    page.goto(live_server.url + "/offres/")
    resultat = page.evaluate(LECTEUR_ATOM)
    assert "erreur" not in resultat, resultat
    assert resultat["injectes"] == 0
    assert f"{TITRE} — Béziers" in resultat["textes"]
    assert f"Remplacement, Infirmier, {EMPLOYEUR}. {DESCRIPTION}" in resultat["textes"]
    assert f"Remplacement, Infirmier, {STRUCTURE}. " in resultat["textes"]
    assert page.erreurs_console == [], "\n".join(page.erreurs_console)
