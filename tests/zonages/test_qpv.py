"""QPV: import of the real ANCT 2024 contours (repaired where rounding made them invalid), of test polygons written
here for the error cases, and point lookup."""
import datetime
import json

import pytest
from shapely.geometry import shape

from zonages.imports.execution import DemandeImport, importer_zonage
from zonages.models import QPV, ImportZonage
from zonages.qpv import qpv_au_point

pytestmark = pytest.mark.django_db


def carre(x, y, cote=0.01):
    return {"type": "Polygon", "coordinates": [[[x, y], [x + cote, y], [x + cote, y + cote], [x, y + cote], [x, y]]]}


def fichier_qpv(tmp_path, entites, nom="qpv_test.geojson"):
    chemin = tmp_path / nom
    chemin.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": props, "geometry": geom} for props, geom in entites]}))
    return chemin


def demande(**options):
    return DemandeImport(type="qpv", valid_from=datetime.date(2024, 1, 1), reference="QPV de test", **options)


@pytest.fixture
def deux_qpv_de_test(tmp_path):
    chemin = fichier_qpv(tmp_path, [
        ({"code_qp": "QPTEST001", "nom_qp": "Quartier de test A", "insee_com": "34172"}, carre(3.87, 43.60)),
        ({"code_qp": "QPTEST002", "nom_qp": "Quartier de test B", "insee_com": "31555"}, carre(1.44, 43.60)),
        ({"code_qp": "QPTEST999", "nom_qp": "Quartier de test hors région", "insee_com": "75056"}, carre(2.35, 48.85)),
    ])
    return importer_zonage(chemin, demande())


def test_import_et_recherche_par_point(deux_qpv_de_test):
    assert deux_qpv_de_test.statut == ImportZonage.Statut.IMPORTE
    assert deux_qpv_de_test.rapport["ignores"] == {"QPV hors des régions servies": 1}
    assert set(QPV.objects.values_list("code", flat=True)) == {"QPTEST001", "QPTEST002"}
    assert list(QPV.objects.get(code="QPTEST001").communes.values_list("code_insee", flat=True)) == ["34172"]
    assert [q["code"] for q in qpv_au_point(3.875, 43.605)] == ["QPTEST001"]
    assert qpv_au_point(3.90, 43.70) == []


def test_l_index_est_reconstruit_quand_les_qpv_changent(deux_qpv_de_test):
    assert qpv_au_point(1.445, 43.605)
    QPV.objects.get(code="QPTEST002").delete()
    assert qpv_au_point(1.445, 43.605) == []
    QPV.objects.create(code="QPTEST003", nom="Quartier de test C", geometrie=carre(1.44, 43.60),
                       valid_from=datetime.date(2024, 1, 1))
    assert [q["code"] for q in qpv_au_point(1.445, 43.605)] == ["QPTEST003"]


def test_validite_dans_le_temps(deux_qpv_de_test):
    assert qpv_au_point(3.875, 43.605, datetime.date(2023, 12, 31)) == []
    assert qpv_au_point(3.875, 43.605, datetime.date(2024, 1, 1))


def test_nouvelle_liste_termine_les_qpv_absents(tmp_path, deux_qpv_de_test):
    chemin = fichier_qpv(tmp_path, [({"code_qp": "QPTEST001", "nom_qp": "Quartier de test A", "insee_com": "34172"},
                                     carre(3.87, 43.60))], nom="qpv_test_2025.geojson")
    importer_zonage(chemin, DemandeImport(type="qpv", valid_from=datetime.date(2025, 1, 1), reference="QPV de test 2025"))
    assert QPV.objects.get(code="QPTEST002").valid_to == datetime.date(2024, 12, 31)
    assert qpv_au_point(1.445, 43.605, datetime.date(2025, 6, 1)) == []


def test_communes_deduites_des_contours_quand_le_fichier_ne_les_nomme_pas(tmp_path):
    from territoires.models import Commune
    from tests.factories import CARRE_DE_TEST

    Commune.objects.filter(code_insee="31555").update(contour=CARRE_DE_TEST)
    chemin = fichier_qpv(tmp_path, [({"code_qp": "QPTEST010", "nom_qp": "Quartier de test"}, carre(1.42, 43.59))])
    assert importer_zonage(chemin, demande()).statut == ImportZonage.Statut.IMPORTE
    assert list(QPV.objects.get().communes.values_list("code_insee", flat=True)) == ["31555"]


@pytest.mark.donnees_reelles
def test_qpv_2024_reels_importes_et_polygones_repares(donnees_reelles):
    resultat = importer_zonage(donnees_reelles / "qpv2024_occitanie.geojson", demande())
    assert resultat.statut == ImportZonage.Statut.IMPORTE, resultat.rapport["erreurs"][:3]
    assert QPV.objects.count() == 108 and resultat.lignes_retenues == 108
    # Each of the 43 polygons made invalid by the rounding of the coordinates is repaired and reported by name.
    repares = [a for a in resultat.rapport["avertissements"] if "réparée (make_valid)" in a["message"]]
    assert len(repares) == 43 == resultat.nb_avertissements
    assert all(a["ligne"] for a in repares)
    assert any(a["message"].startswith("QN03010M : géométrie invalide (") and "surface modifiée de 0,041 %" in a["message"]
               for a in repares)
    assert QPV.objects.filter(communes="31555").count() == 12  # Toulouse
    fontanilles = QPV.objects.get(code="QN04801N")  # Mende's
    assert fontanilles.nom == "Fontanilles" and list(fontanilles.communes.values_list("code_insee", flat=True)) == ["48095"]
    dedans = shape(fontanilles.geometrie).representative_point()
    assert [q["code"] for q in qpv_au_point(dedans.x, dedans.y)] == ["QN04801N"]
    assert not any(a["message"].startswith("QN04801N") for a in repares)  # a valid polygon is not touched


def test_polygone_qui_se_recoupe_repare_avec_avertissement(tmp_path):
    papillon = {"type": "Polygon", "coordinates": [[[3.87, 43.60], [3.88, 43.61], [3.88, 43.60], [3.87, 43.61],
                                                    [3.87, 43.60]]]}
    chemin = fichier_qpv(tmp_path, [({"code_qp": "QPTEST004", "lib_qp": "Papillon", "insee_com": "34172"}, papillon)])
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.IMPORTE
    [avertissement] = resultat.rapport["avertissements"]
    assert avertissement["ligne"] == 1
    assert avertissement["message"].startswith("QPTEST004 : géométrie invalide (Self-intersection")
    assert avertissement["message"].endswith("réparée (make_valid) ; surface du contour d'origine non mesurable")
    qpv = QPV.objects.get()
    assert qpv.nom == "Papillon" and qpv.geometrie["type"] == "MultiPolygon"  # two triangles
    assert [q["code"] for q in qpv_au_point(3.8725, 43.605)] == ["QPTEST004"]


def test_fichier_qpv_fautif_rejete_en_entier(tmp_path):
    papillon = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [2, 2], [0, 0]]]}  # no area: not repairable
    chemin = fichier_qpv(tmp_path, [
        ({"code_qp": "QPTEST001", "nom_qp": "A", "insee_com": "34172"}, carre(3.87, 43.60)),
        ({"nom_qp": "Sans code"}, carre(1, 43)),
        ({"code_qp": "QPTEST003", "nom_qp": "Point", "insee_com": "34172"}, {"type": "Point", "coordinates": [3.8, 43.6]}),
        ({"code_qp": "QPTEST004", "nom_qp": "Papillon", "insee_com": "34172"}, papillon),
        ({"code_qp": "QPTEST001", "nom_qp": "Doublon", "insee_com": "34172"}, carre(3.87, 43.60)),
        ({"code_qp": "QPTEST006", "nom_qp": "Commune inconnue", "insee_com": "34999"}, carre(3.87, 43.60)),
    ])
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.REJETE
    erreurs = {e["ligne"]: e["message"] for e in resultat.rapport["erreurs"]}
    assert set(erreurs) == {2, 3, 4, 5, 6}
    assert "code_qp" in erreurs[2] and "Polygon" in erreurs[3] and "invalide" in erreurs[4]
    assert "doublon" in erreurs[5] and "34999" in erreurs[6]
    assert QPV.objects.count() == 0


def test_geojson_illisible(tmp_path):
    chemin = tmp_path / "qpv_test.geojson"
    chemin.write_text('{"type": "FeatureCollection", "features": [')
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.REJETE
    assert "JSON invalide" in resultat.rapport["erreurs"][0]["message"]


@pytest.fixture
def qpv_de_deux_regions():
    """A test-only QPV in Montpellier (Occitanie, 76) and one in a test-only commune of a test-only département of
    Auvergne-Rhône-Alpes (84), as a database loaded with more regions than it serves holds them."""
    from noyau.regions import REGIONS_INSEE
    from tests.factories import CommuneFactory, DepartementFactory, QPVFactory, RegionFactory

    ailleurs = CommuneFactory(departement=DepartementFactory(region=RegionFactory(code="84", nom=REGIONS_INSEE["84"])))
    QPVFactory(code="QPTEST076", geometrie=carre(3.87, 43.60), communes=["34172"])
    QPVFactory(code="QPTEST084", geometrie=carre(4.83, 45.75), communes=[ailleurs])


def test_l_index_ne_garde_que_les_qpv_des_regions_servies(qpv_de_deux_regions, settings):
    from zonages.qpv import codes_indexes

    settings.PAPS_REGIONS = "76"
    assert codes_indexes() == ["QPTEST076"]
    assert [q["code"] for q in qpv_au_point(3.875, 43.605)] == ["QPTEST076"]
    assert qpv_au_point(4.835, 45.755) == []  # a QPV of a region not served: not in this process's index
    # The index follows the setting (its key names the served regions): no stale index of another perimeter.
    settings.PAPS_REGIONS = "84"
    assert codes_indexes() == ["QPTEST084"]
    assert qpv_au_point(3.875, 43.605) == []
    settings.PAPS_REGIONS = "76,84"
    assert codes_indexes() == ["QPTEST076", "QPTEST084"]
    settings.PAPS_REGIONS = "toutes"
    assert [q["code"] for q in qpv_au_point(4.835, 45.755)] == ["QPTEST084"]


def test_qpv_sans_commune_garde_dans_l_index(qpv_de_deux_regions, settings):
    """A QPV linked to no commune cannot be placed in a region: kept, so that a point in it is never a wrong "no"."""
    from tests.factories import QPVFactory
    from zonages.qpv import codes_indexes

    QPVFactory(code="QPTEST000", geometrie=carre(1.44, 43.60))
    settings.PAPS_REGIONS = "76"
    assert codes_indexes() == ["QPTEST000", "QPTEST076"]


def test_qpv_hors_regions_ignore_avant_sa_geometrie(tmp_path):
    """A national file's QPV of a region not served is skipped before its polygon is checked: an irreparable polygon
    there (test-only, not a real QPV) does not refuse the file."""
    plat = {"type": "Polygon", "coordinates": [[[2, 48], [3, 49], [4, 50], [2, 48]]]}  # no area: not repairable
    chemin = fichier_qpv(tmp_path, [
        ({"code_qp": "QPTEST001", "nom_qp": "Quartier de test A", "insee_com": "34172"}, carre(3.87, 43.60)),
        ({"code_qp": "QPTEST998", "nom_qp": "Quartier de test hors région", "insee_com": "75056"}, plat),
    ])
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.IMPORTE, resultat.rapport["erreurs"]
    assert resultat.rapport["ignores"] == {"QPV hors des régions servies": 1}
    assert list(QPV.objects.values_list("code", flat=True)) == ["QPTEST001"]


@pytest.mark.donnees_reelles
def test_polygone_que_la_methode_structure_vide_repare_par_ses_aretes(donnees_reelles):
    """QN05602M (Keriou Ker, Lorient) of the national 2024 file: rounding made its ring touch itself so that
    make_valid's "structure" method returns nothing; its edges ("linework") give it back, area nearly unchanged."""
    import gzip

    from zonages.imports.qpv import _reparer

    with gzip.open(donnees_reelles / "france" / "qpv2024_france.geojson.gz", "rt", encoding="utf-8") as fichier:
        entite = next(f for f in json.load(fichier)["features"] if f["properties"]["code_qp"] == "QN05602M")
    forme = shape(entite["geometry"])
    assert not forme.is_valid
    reparee, message = _reparer("QN05602M", forme)
    assert reparee is not None and reparee.is_valid and reparee.geom_type == "MultiPolygon"
    assert abs(reparee.area - forme.area) / forme.area < 0.001
    assert message.startswith("QN05602M : géométrie invalide (Self-intersection") and "réparée (make_valid)" in message


def test_ancienne_commune_du_fichier_portee_sur_la_commune_actuelle(tmp_path):
    """A file naming a former code (09287, Senconac, commune déléguée of 09088 in the COG), as the national 2024 file
    names 93059 (part of 93066 since 2025): the quartier (test-only) is linked to the current commune, and said so."""
    chemin = fichier_qpv(tmp_path, [({"code_qp": "QPTEST020", "nom_qp": "Quartier de test", "insee_com": "09287,09088"},
                                     carre(1.70, 42.75))])
    resultat = importer_zonage(chemin, demande())
    assert resultat.statut == ImportZonage.Statut.IMPORTE, resultat.rapport["erreurs"]
    assert list(QPV.objects.get().communes.values_list("code_insee", flat=True)) == ["09088"]
    [avertissement] = resultat.rapport["avertissements"]
    assert avertissement["message"] == ("QPTEST020 : 09287 n'est plus une commune (commune déléguée) : quartier "
                                        "rattaché à la commune actuelle 09088")
