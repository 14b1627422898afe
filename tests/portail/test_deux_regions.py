"""One instance for two regions (issue 17): PAPS_REGIONS=76,84 with the territories of Occitanie and
Auvergne-Rhône-Alpes and the national files of donnees/france/ (zonages, QPV 2024, FINESS register), loaded once for
the module (in a transaction rolled back at its end, so the other tests keep the Occitanie fixture)."""
import datetime
import json
import re

import pytest
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from aides import catalogue
from aides.catalogue import charger_regles
from aides.simulation import aides_par_profession
from portail.donnees_nationales import importer_finess_national, importer_zonage_national
from structures.models import ImportStructures, Structure
from territoires.models import Commune, CommuneRattachee
from territoires.referentiels.chargement import charger_territoires
from tests.conftest import DONNEES_REELLES
from zonages.consultation import qpv_de_la_commune, zonages_de
from zonages.models import QPV, ImportZonage
from zonages.qpv import codes_indexes

JOUR = datetime.date(2026, 3, 1)
MENDE, LYON, CHAMONIX, PARIS = "48095", "69123", "74056", "75056"
# The national files loaded, by kind (portail/donnees_nationales.py: the manifest's entry of each kind, its dates
# and references, with the national file).
TYPES_NATIONAUX = ["infirmier", "montagne", "frr"]


@pytest.fixture(scope="module")
def deux_regions(django_db_setup, django_db_blocker):
    reglage = override_settings(PAPS_REGIONS="76,84")
    reglage.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            territoires = charger_territoires(DONNEES_REELLES / "france")
            imports = {type_: importer_zonage_national(DONNEES_REELLES, type_) for type_ in TYPES_NATIONAUX}
            qpv = importer_zonage_national(DONNEES_REELLES, "qpv")
            structures = importer_finess_national(DONNEES_REELLES)
            charger_regles()
            yield {"territoires": territoires, "imports": imports, "qpv": qpv, "structures": structures}
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
    for imp in (*donnees["imports"].values(), donnees["qpv"]):
        assert imp.statut == ImportZonage.Statut.IMPORTE, imp.rapport["erreurs"][:3]
    # FRR: every commune of both regions classed by the national list (its other rows counted, not kept).
    assert donnees["imports"]["frr"].rapport["non_couvertes"] == []
    assert donnees["imports"]["frr"].lignes_retenues == 4446 + 4025
    infirmiers = donnees["imports"]["infirmier"]
    # Only Lyon's arrondissements disagree: Lyon is left without a level (never a guess), and said so; the file
    # classes all of Lyon (by arrondissement), so it still covers both regions.
    assert infirmiers.rapport["non_couvertes"] == []
    assert any(a["message"].startswith(f"la commune {LYON} réunit des communes de niveaux différents")
               for a in infirmiers.rapport["avertissements"])


def test_lyon_et_chamonix_servis_avec_leurs_zonages_nationaux(donnees, client):
    # As the national files write them: infirmiers « 74056;Chamonix-Mont-Blanc;3_intermediaire », Lyon by
    # arrondissement (3_intermediaire to 5_Sur_dotee: no level for the whole commune); montagne « 74056 … C » and
    # « 69123 LYON NC »; FRR « 74056;74;Chamonix-Mont-Blanc;Non classée », « 69123;69;Lyon;Non classée »,
    # « 48095;48;Mende;FRR socle ».
    chamonix = zonages_de(CHAMONIX, JOUR)
    assert (chamonix["montagne"].niveau, chamonix["infirmier"].niveau, chamonix["frr"].niveau) == ("C", "INT", "NC")
    lyon = zonages_de(LYON, JOUR)
    assert (lyon["montagne"].niveau, lyon["infirmier"].niveau, lyon["frr"].niveau) == ("NC", None, "NC")
    assert zonages_de(MENDE, JOUR)["frr"].niveau == "SOCLE"
    # Each from the national file, not from an Occitanie extract.
    assert {chamonix[t].zonage.import_source.fichier_nom for t in TYPES_NATIONAUX} == {
        "zonage_infirmiers_cartosante_france.csv.gz", "zone_montagne_france.csv.gz", "frr_france_2025-07-10.csv.gz"}
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


def test_l_accueil_compte_les_communes_servies(donnees, client):
    def nombre() -> str:
        texte = re.sub(r"\s", " ", client.get("/").content.decode())
        return re.search(r"([0-9 ]+) communes consultables", texte).group(1).strip()
    assert nombre() == "8 471"
    with override_settings(PAPS_REGIONS="84"):  # the same database, one region served: its communes only
        assert nombre() == "4 025"


def _aides(code: str, profession: str = "medecin-generaliste") -> set[str]:
    commune = Commune.objects.select_related("departement").get(code_insee=code)
    groupe = next(g for g in aides_par_profession(commune, JOUR) if g.profession == profession)
    return {r.dispositif.code for r in groupe.possibles}


def test_aide_montagne_de_l_ars_occitanie_a_mende_pas_a_chamonix(donnees):
    assert catalogue.dispositif("ARS-MONTAGNE").regions == ("76",)  # its rule: regions: ["76"]
    assert "ARS-MONTAGNE" in _aides(MENDE)
    assert "ARS-MONTAGNE" not in _aides(CHAMONIX)  # a montagne commune, but in Auvergne-Rhône-Alpes
    # Nor in Lyon, whose QPV (the rule's other places since 2022) are now loaded: a regional scheme stays regional.
    assert qpv_de_la_commune(LYON, JOUR) and "ARS-MONTAGNE" not in _aides(LYON)


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


def test_qpv_nationaux_des_deux_regions(donnees):
    """The national QPV 2024 file (1,584 QPV): those of Occitanie (108) and Auvergne-Rhône-Alpes (145), as the file's
    insee_com say; Lyon's 10 (« 69123 » in the file), in the point index too; none of Paris."""
    assert donnees["qpv"].lignes_retenues == QPV.objects.count() == 108 + 145
    assert set(QPV.objects.values_list("communes__departement__region_id", flat=True)) == {"76", "84"}
    lyon = qpv_de_la_commune(LYON, JOUR)
    assert len(lyon) == 10 and {"Duchère", "Mermoz", "Moncey"} <= {q.nom for q in lyon}
    assert not QPV.objects.filter(communes=PARIS).exists()
    assert len(codes_indexes()) == 253 and {q.code for q in lyon} <= set(codes_indexes())


def test_structures_du_finess_national_gardees_pour_les_deux_regions(donnees):
    """The national FINESS register (4,361 rows): the MSP and centres de santé of 76 and 84 only. Its rows of 84 have no
    derived INSEE code: placed by their postal code and name, but 7 whose address designates no single commune
    (« 38350 LA MURE D ISERE », « 69921 OULLINS CEDEX »…), said so."""
    import_ = donnees["structures"]
    assert import_.statut == ImportStructures.Statut.IMPORTE, import_.rapport["erreurs"][:3]
    par_region = {r: Structure.objects.filter(commune__departement__region_id=r).count() for r in ("76", "84")}
    # The file's categories 603 (MSP) and 124 (centres de santé) in each region's départements: 199 + 193, 250 + 252.
    sans_commune = "commune non déterminée (ni code INSEE dans le fichier, ni commune désignée par le code postal et le nom)"
    assert import_.rapport["ignorees"][sans_commune] == 502 - 495
    assert par_region == {"76": 392, "84": 495} and Structure.objects.count() == 887
    assert import_.rapport["ignorees"]["établissements d'autres régions"] > 3000
    assert not Structure.objects.filter(commune__departement="75").exists()


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
