"""One instance for two regions (issue 17): PAPS_REGIONS=76,84 with the territories of Occitanie and
Auvergne-Rhône-Alpes and the national zonage files of donnees/france/, loaded once for the module (in a transaction
rolled back at its end, so the other tests keep the Occitanie fixture)."""
import datetime
import json

import pytest
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from aides.catalogue import charger_regles
from aides.simulation import aides_par_profession
from territoires.models import Commune, CommuneRattachee
from territoires.referentiels.chargement import charger_territoires
from territoires.referentiels.sources import lire_manifeste
from tests.conftest import DONNEES_REELLES
from zonages.consultation import zonages_de
from zonages.imports.execution import importer_zonage
from zonages.manifeste import _demande
from zonages.models import ImportZonage

JOUR = datetime.date(2026, 3, 1)
MENDE, LYON, CHAMONIX, PARIS = "48095", "69123", "74056", "75056"


def _entree(type_: str) -> dict:
    return next(e for e in lire_manifeste(DONNEES_REELLES)["zonages"] if e["kind"] == type_)


# The national files, with the dates and references the manifest gives their kind (the montagne list of 21 May 2025
# is the one the manifest loads for Occitanie, here for all of France).
FICHIERS_NATIONAUX = [
    ("infirmier", "france/zonage_infirmiers_cartosante_france.csv.gz", {}),
    ("montagne", "france/zone_montagne_france.csv.gz", {"code_column": "code_commune"}),
]


@pytest.fixture(scope="module")
def deux_regions(django_db_setup, django_db_blocker):
    reglage = override_settings(PAPS_REGIONS="76,84")
    reglage.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            territoires = charger_territoires(DONNEES_REELLES / "france")
            imports = {}
            for type_, fichier, options in FICHIERS_NATIONAUX:
                entree = {**_entree(type_), "file": fichier, **options}
                entree.pop("format", None) if type_ == "montagne" else None
                demande = _demande(entree, type_)
                demande.publier = True
                imports[type_] = importer_zonage(DONNEES_REELLES / fichier, demande)
            charger_regles()
            yield {"territoires": territoires, "imports": imports}
            transaction.set_rollback(True)
    finally:
        reglage.disable()


@pytest.fixture
def donnees(deux_regions, db):
    return deux_regions


def test_territoires_des_deux_regions_seulement(donnees):
    assert set(Commune.objects.values_list("departement__region_id", flat=True).distinct()) == {"76", "84"}
    assert Commune.objects.filter(departement__region_id="84").count() == 4025
    assert not Commune.objects.filter(code_insee=PARIS).exists()
    assert donnees["territoires"].ignores["communes hors des régions servies"] > 25000
    # Lyon's arrondissements are codes of Lyon (the national files classify them).
    assert CommuneRattachee.objects.get(code="69381").commune_id == LYON


def test_fichiers_nationaux_gardent_les_deux_regions(donnees):
    for type_, imp in donnees["imports"].items():
        assert imp.statut == ImportZonage.Statut.IMPORTE, imp.rapport["erreurs"][:3]
    infirmiers = donnees["imports"]["infirmier"]
    # Only Lyon's arrondissements disagree: Lyon is left without a level (never a guess), and said so; the file
    # classes all of Lyon (by arrondissement), so it still covers both regions.
    assert infirmiers.rapport["non_couvertes"] == []
    assert any(a["message"].startswith(f"la commune {LYON} réunit des communes de niveaux différents")
               for a in infirmiers.rapport["avertissements"])


def test_lyon_et_chamonix_servis_avec_leurs_zonages_nationaux(donnees, client):
    chamonix = zonages_de(CHAMONIX, JOUR)
    assert (chamonix["montagne"].niveau, chamonix["infirmier"].niveau) == ("C", "INT")
    lyon = zonages_de(LYON, JOUR)
    assert lyon["montagne"].niveau == "NC" and lyon["infirmier"].niveau is None
    for code in (LYON, CHAMONIX, MENDE):
        assert client.get(f"/communes/{code}/").status_code == 200
        assert APIClient().get(f"/api/v1/communes/{code}/").status_code == 200
    assert APIClient().get("/api/v1/communes/", {"q": "chamonix"}).json()["results"][0]["code_insee"] == CHAMONIX
    assert client.get("/communes/69381/").url == f"/communes/{LYON}/"


def test_paris_non_servi(donnees, client):
    reponse = client.get(f"/communes/{PARIS}/")
    assert reponse.status_code == 404
    assert ("ce portail ne sert pas le département 75" in reponse.content.decode()
            and "Occitanie et Auvergne-Rhône-Alpes" in reponse.content.decode())
    assert APIClient().get(f"/api/v1/communes/{PARIS}/").status_code == 404
    trouvees = APIClient().get("/api/v1/communes/", {"q": "paris"}).json()["results"]
    assert PARIS not in {c["code_insee"] for c in trouvees}
    assert {c["departement"]["code"][:2] for c in trouvees} <= {"01", "03", "07", "09", "11", "12", "15", "26", "30",
                                                                 "31", "32", "34", "38", "42", "43", "46", "48", "63",
                                                                 "65", "66", "69", "73", "74", "81", "82"}


def _aides(code: str, profession: str = "medecin-generaliste") -> set[str]:
    commune = Commune.objects.select_related("departement").get(code_insee=code)
    groupe = next(g for g in aides_par_profession(commune, JOUR) if g.profession == profession)
    return {r.dispositif.code for r in groupe.possibles}


def test_aide_montagne_de_l_ars_occitanie_a_mende_pas_a_chamonix(donnees):
    assert "ARS-MONTAGNE" in _aides(MENDE)
    assert "ARS-MONTAGNE" not in _aides(CHAMONIX)  # a montagne commune, but in Auvergne-Rhône-Alpes


def test_aides_nationales_de_l_assurance_maladie_dans_les_deux(donnees):
    for code in (MENDE, CHAMONIX):
        assert "AM-AIDE-INSTALLATION" in _aides(code)
        assert "AM-ASSISTANT-MEDICAL" in _aides(code)


def test_simulateur_api_meme_reponse(donnees):
    for code, attendue in ((MENDE, True), (CHAMONIX, False)):
        corps = APIClient().get("/api/v1/eligibilite/", {"commune": code, "profession": "medecin-generaliste",
                                                         "date": JOUR.isoformat()}).json()
        codes = {a["code"] for a in corps["aides"]}
        assert ("ARS-MONTAGNE" in codes) is attendue and "AM-AIDE-INSTALLATION" in codes


def _sans_sources(valeur):
    if isinstance(valeur, dict):
        return {cle: _sans_sources(v) for cle, v in valeur.items() if cle != "sources"}
    return [_sans_sources(v) for v in valeur] if isinstance(valeur, list) else valeur


def test_a_chamonix_rien_d_occitanie_hors_des_sources(donnees):
    """Occitanie is served too, but Chamonix is not in it: no Occitanie funder, contact or non-cumulable scheme (the
    ARS Occitanie's montagne aid, which excludes the CAIM and the CAICD at Mende)."""
    for code, attendu in ((MENDE, True), (CHAMONIX, False)):
        for profession in ("medecin-generaliste", "chirurgien-dentiste"):
            corps = APIClient().get("/api/v1/eligibilite/", {"commune": code, "profession": profession,
                                                             "date": "2025-06-01", "etape": "installation"}).json()
            exclus = {n["code"] for a in corps["aides"] for n in a["non_cumulable_avec"]}
            assert ("ARS-MONTAGNE" in exclus) is attendu, (code, profession)
            assert ("Occitanie" in json.dumps(_sans_sources(corps), ensure_ascii=False)) is attendu, (code, profession)
