"""Structures from the FINESS register: the shipped derived CSV of 8 January 2021, and the official etalab extraction
(two sections, Lambert 93) that a newer register will come as, read through the same structures import.

The etalab sample below is test data in the official format: its values are those of real establishments of the
shipped register (identifiers, names, addresses, Lambert 93 coordinates from donnees/PROVENANCE.md §9's derived
columns), the fields it does not know left empty; one row is altered where a test says so.
"""
import csv
import datetime

import pytest
from django.core.management import CommandError, call_command

from structures.imports.execution import importer_structures
from structures.imports.lambert93 import vers_wgs84
from structures.models import ImportStructures, SousType, Structure
from tests.conftest import DONNEES_REELLES

pytestmark = pytest.mark.django_db
FINESS_2021 = DONNEES_REELLES / "finess_2021-01-08_structures_occitanie.csv"
DATE_2021 = datetime.date(2021, 1, 8)

EXTRACTION_ETALAB_DE_TEST = "\n".join([
    "finess;etalab;100;2021-01-08",
    ("structureet;480003813;480003805;MSP DE MENDE - MENDE RESEAU SANTE;;;;16;PL;DE LA FRATERNITE;;;095;48;LOZERE;"
     "48000 MENDE;0466470085;;603;Maison de santé (L.6223-3);2103;Autres structures d'exercice libéral;"
     "87807314700018;;;;;;2019-11-14;;2019-12-24;"),
    ("structureet;090004433;090004425;CENTRE DE SANTE MEDICAL DE LAVELANET;;;;63;AV;DU DOCTEUR BERNADAC;;;160;09;"
     "ARIEGE;09300 LAVELANET;0561015370;;124;Centre de Santé;2206;Centres de Santé;21090160900185;;;;;;2019-11-18;;"
     "2019-11-18;"),
    ("structureet;310032602;310032594;CPTS LA PROVIDENCE;;;;1;AV;LOUIS BLERIOT;;;555;31;HAUTE GARONNE;31500 TOULOUSE;;;"
     "604;Communautés professionnelles territoriales de santé (CPTS);2103;Autres structures d'exercice libéral;"
     "89183692600016;;;;;;2020-09-30;;2020-12-11;"),
    ("structureet;010009496;010009488;MAISON DE SANTE PONT-D'AIN;;;;16;R;DU 1ER SEPTEMBRE 1944;;;304;01;AIN;"
     "01160 PONT D AIN;0474397900;;603;Maison de santé (L.6223-3);2103;Autres structures d'exercice libéral;"
     "79008281200013;;;;;;2012-12-21;;2018-12-21;"),
    ("structureet;010000024;010780054;CH DE FLEYRIAT;;;;900;RTE;DE PARIS;;;451;01;AIN;01440 VIRIAT;0474454647;;355;"
     "Centre Hospitalier (C.H.);1102;Centres Hospitaliers;26010004500012;;;;;;1979-02-13;;2020-02-04;"),
    "geolocalisation;480003813;740822.7;6380519.6;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2020-01-07",
    "geolocalisation;090004433;606284.1;6204202.6;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2020-01-07",
    "geolocalisation;310032602;575942.8;6279104.6;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2020-01-07",
    "geolocalisation;010009496;880459.3;6552609.0;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93;2020-01-07",
]) + "\n"


def ecrire(tmp_path, texte, encodage="utf-8", nom="etalab-cs1100507-stock-test.csv"):
    chemin = tmp_path / nom
    chemin.write_bytes(texte.encode(encodage))
    return chemin


def lignes_finess_2021() -> list[dict]:
    with FINESS_2021.open(encoding="utf-8-sig", newline="") as flux:
        return list(csv.DictReader(flux))


def test_lambert93_vers_wgs84_comme_le_registre():
    """The inverse projection gives back the WGS 84 point of every establishment of the shipped register from its
    Lambert 93 coordinates (both columns of donnees/finess_2021-01-08_structures_occitanie.csv)."""
    ecarts = []
    for ligne in lignes_finess_2021():
        lon, lat = vers_wgs84(float(ligne["derive_x_lambert93"]), float(ligne["derive_y_lambert93"]))
        ecarts += [abs(lon - float(ligne["longitude_wgs84"])), abs(lat - float(ligne["latitude_wgs84"]))]
    assert len(ecarts) == 2 * 397 and max(ecarts) < 1e-9  # degrees: well under a millimetre


def test_registre_finess_2021_importe(donnees_reelles):
    resultat = importer_structures(donnees_reelles / FINESS_2021.name, date_registre=DATE_2021)
    assert resultat.statut == ImportStructures.Statut.IMPORTE, resultat.rapport["erreurs"][:3]
    assert (resultat.lignes_lues, resultat.creees) == (397, 392)
    assert (resultat.registre, resultat.date_registre) == ("FINESS", DATE_2021)
    assert resultat.libelle_registre == "registre FINESS au 8 janvier 2021"
    assert Structure.objects.filter(type="msp").count() == 199
    assert Structure.objects.filter(type="centre-sante").count() == 193
    # The 5 CPTS are not structures: counted, and each named in the report.
    assert resultat.rapport["ignorees"] == {
        "CPTS (catégorie FINESS 604) : pas des structures d'exercice coordonné, voir l'échantillon des CPTS": 5}
    cpts = [a for a in resultat.rapport["avertissements"] if "CPTS (catégorie 604)" in a["message"]]
    assert len(cpts) == 5 and cpts[0]["message"].startswith("310032602 « CPTS LA PROVIDENCE »")
    assert not Structure.objects.filter(identifiant__in=["310032602", "340028166"]).exists()
    # Lozère: the 9 MSP of the register (checked against the press, PROVENANCE.md).
    assert Structure.objects.filter(type="msp", commune__departement="48").count() == 9
    mende = Structure.objects.get(identifiant="480003813")
    assert (mende.nom, mende.commune_id, mende.telephone) == ("MSP DE MENDE - MENDE RESEAU SANTE", "48095", "0466470085")
    assert mende.adresse == "16 PL DE LA FRATERNITE, 48000 MENDE"
    assert [(c.statut, c.date) for c in mende.changements_statut.all()] == [("ouverte", datetime.date(2019, 11, 14))]
    assert mende.registre == "registre FINESS au 8 janvier 2021"
    # A centre de santé's category: from its name when the name says it, else stated as not given.
    assert Structure.objects.get(identifiant="090004433").sous_type == SousType.MEDICAL  # « … MEDICAL DE LAVELANET »
    sans_categorie = Structure.objects.get(nom="CSP FILIERIS DE DECAZEVILLE")
    assert sans_categorie.sous_type == SousType.NON_PRECISE
    assert sans_categorie.type_complet == "Centre de santé (catégorie non précisée)"
    assert resultat.rapport["avertissements"][0]["message"].startswith(
        "catégorie des 193 centres de santé : le registre ne la donne pas (une seule catégorie FINESS, 124) ; lue dans "
        "le nom pour 147 (dentaire 87, infirmier 41, médical 12, polyvalent 7), « non précisée » pour 46")
    # The point's commune is kept when the address says another one, with a warning.
    assert any(a["message"].startswith("340012988 « CDS POLYVALENT MUTUALISTE MTP EUROMED » : commune 34116 d'après son "
                                       "point, 34172 d'après son adresse") for a in resultat.rapport["avertissements"])
    # A second import of the same file changes nothing.
    assert importer_structures(donnees_reelles / FINESS_2021.name, date_registre=DATE_2021).inchangees == 392


def test_registre_finess_national_meme_resultat_que_l_extrait_regional(donnees_reelles):
    importer_structures(donnees_reelles / FINESS_2021.name, date_registre=DATE_2021)
    national = importer_structures(donnees_reelles / "france/finess_2021-01-08_structures_france.csv.gz",
                                   date_registre=DATE_2021, essai=True)
    assert national.statut == ImportStructures.Statut.VALIDE
    assert (national.lignes_lues, national.inchangees, national.creees, national.modifiees) == (4361, 392, 0, 0)
    assert national.rapport["ignorees"]["établissements d'autres régions"] == 4361 - 397


def test_commune_designee_par_l_adresse_quand_le_fichier_n_a_pas_de_code_insee(tmp_path):
    """The national copy has derived INSEE codes for Occitanie only. The shipped Occitanie rows with both derived codes
    removed (altered test copy): each commune is then the one the postal code and name designate, the same as the
    derived `derive_insee_par_cp_nom` wherever it has one; a row whose address designates no single commune is not
    imported, and said so."""
    lignes = lignes_finess_2021()
    chemin = tmp_path / "finess_sans_codes_insee.csv"
    with chemin.open("w", encoding="utf-8", newline="") as flux:
        ecrivain = csv.DictWriter(flux, fieldnames=list(lignes[0]))
        ecrivain.writeheader()
        ecrivain.writerows({**ligne, "derive_insee_par_point": "", "derive_insee_par_cp_nom": ""} for ligne in lignes)
    resultat = importer_structures(chemin, date_registre=DATE_2021)
    assert resultat.statut == ImportStructures.Statut.IMPORTE, resultat.rapport["erreurs"][:3]
    communes = dict(Structure.objects.values_list("identifiant", "commune_id"))
    structures = [ligne for ligne in lignes if ligne["categetab"] in {"603", "124"}]
    par_adresse = {ligne["nofinesset"]: ligne["derive_insee_par_cp_nom"] for ligne in structures}
    assert all(communes[f] == code for f, code in par_adresse.items() if code and f in communes)
    sans = resultat.rapport["ignorees"].get(
        "commune non déterminée (ni code INSEE dans le fichier, ni commune désignée par le code postal et le nom)", 0)
    assert len(communes) + sans == len(structures) == 392 and len(communes) > 370
    assert (f"commune de {len(communes)} établissement(s) sans code INSEE dans le fichier : celle que désignent leur "
            "code postal et leur nom") in [a["message"] for a in resultat.rapport["avertissements"][:2]]
    assert communes["480003813"] == "48095"  # « 48000 MENDE »
    non_importes = [a["message"] for a in resultat.rapport["avertissements"] if a["message"].endswith("non importé")]
    assert len(non_importes) == sans and all("ne désigne pas une seule commune" in m for m in non_importes)


def test_registre_sans_date_rejete(donnees_reelles):
    resultat = importer_structures(donnees_reelles / FINESS_2021.name)
    assert resultat.statut == ImportStructures.Statut.REJETE
    assert resultat.rapport["erreurs"] == [{"ligne": None, "message": (
        "date d'extraction du registre FINESS inconnue : ce fichier ne la donne pas, précisez-la (option "
        "--date-registre de importer_structures, ou « registre » dans le manifeste)")}]
    assert Structure.objects.count() == 0


@pytest.mark.parametrize("encodage", ["utf-8", "cp1252"])  # older extractions are in Windows-1252
def test_extraction_etalab_deux_sections_lambert93(tmp_path, encodage):
    resultat = importer_structures(ecrire(tmp_path, EXTRACTION_ETALAB_DE_TEST, encodage))
    assert resultat.statut == ImportStructures.Statut.IMPORTE, resultat.rapport["erreurs"]
    assert resultat.rapport["format"] == "finess-etalab"
    assert resultat.date_registre == DATE_2021  # read on the file's first line
    assert resultat.lignes_lues == 5 and resultat.creees == 2
    assert resultat.rapport["ignorees"] == {
        "CPTS (catégorie FINESS 604) : pas des structures d'exercice coordonné, voir l'échantillon des CPTS": 1,
        "établissements d'autres régions": 1,
        "établissements d'autres catégories FINESS que 603 (MSP), 124 (centres de santé) et 604 (CPTS)": 1,
    }
    mende = Structure.objects.get(identifiant="480003813")
    assert (mende.type, mende.commune_id, mende.adresse) == ("msp", "48095", "16 PL DE LA FRATERNITE, 48000 MENDE")
    # The same point as the register's own WGS 84 coordinates (the derived file), from the Lambert 93 pair.
    derivee = next(ligne for ligne in lignes_finess_2021() if ligne["nofinesset"] == "480003813")
    assert abs(mende.longitude - float(derivee["longitude_wgs84"])) < 1e-6
    assert abs(mende.latitude - float(derivee["latitude_wgs84"])) < 1e-6
    centre = Structure.objects.get(identifiant="090004433")
    assert (centre.type, centre.sous_type, centre.commune_id, centre.nom) == (
        "centre-sante", "medical", "09160", "CENTRE DE SANTE MEDICAL DE LAVELANET")
    assert [(c.statut, c.date) for c in centre.changements_statut.all()] == [("ouverte", datetime.date(2019, 11, 18))]
    assert centre.registre == "registre FINESS au 8 janvier 2021"


def test_extraction_etalab_date_contradictoire_et_lignes_courtes(tmp_path):
    texte = EXTRACTION_ETALAB_DE_TEST.replace("48000 MENDE;0466470085;;603;", "48000 MENDE;")  # 3 fields removed
    resultat = importer_structures(ecrire(tmp_path, texte), date_registre=datetime.date(2021, 2, 1))
    assert resultat.statut == ImportStructures.Statut.REJETE
    assert resultat.rapport["erreurs"] == [{"ligne": 2, "message": "ligne structureet de 29 champ(s) au lieu de 32"}]
    resultat = importer_structures(ecrire(tmp_path, EXTRACTION_ETALAB_DE_TEST), date_registre=datetime.date(2021, 2, 1))
    assert resultat.rapport["erreurs"] == [{"ligne": None, "message": (
        "date du registre donnée (01/02/2021) différente de celle du fichier (08/01/2021)")}]
    assert Structure.objects.count() == 0


def test_extraction_etalab_coordonnees_d_un_autre_systeme(tmp_path):
    """Mende's geolocalisation row altered for the test: a system other than Lambert 93 is not converted."""
    texte = EXTRACTION_ETALAB_DE_TEST.replace("6380519.6;1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93",
                                              "6380519.6;2,ATLASANTE,96,BAN,EPSG:5490 RGAF09/UTM Zone 20N (Antilles)")
    resultat = importer_structures(ecrire(tmp_path, texte))
    assert resultat.statut == ImportStructures.Statut.IMPORTE
    assert not Structure.objects.get(identifiant="480003813").a_un_point
    assert {"ligne": 7, "message": "480003813 : coordonnées dans un autre système que Lambert 93 (« 2,ATLASANTE,96,BAN,"
                                   "EPSG:5490 RGAF09/UTM Zone 20N (Antilles) ») : emplacement non importé"} \
        in resultat.rapport["avertissements"]


def test_commande_date_du_registre(tmp_path, donnees_reelles, capsys):
    call_command("importer_structures", str(donnees_reelles / FINESS_2021.name), "--date-registre", "2021-01-08",
                 "--dry-run")
    sortie = capsys.readouterr().out
    assert "Registre FINESS au 08/01/2021 (format finess)" in sortie
    assert "Non importées : 5 (CPTS (catégorie FINESS 604)" in sortie
    with pytest.raises(CommandError, match="Fichier rejeté"):
        call_command("importer_structures", str(donnees_reelles / FINESS_2021.name))


def test_la_date_du_registre_sur_chaque_page_qui_liste_ses_structures(client, donnees_reelles):
    importer_structures(donnees_reelles / FINESS_2021.name, date_registre=DATE_2021)
    liste = " ".join(client.get("/structures/", {"departement": "48"}).content.decode().split())
    assert "Dont 17 du registre FINESS au 8 janvier 2021 : leurs données sont celles de ce jour-là" in liste
    assert "Source : registre FINESS au 8 janvier 2021 et ARS." in liste  # the map's caption
    assert liste.count("· <span class=\"fr-text--xs\">registre FINESS au 8 janvier 2021</span>") == 17
    mende = Structure.objects.get(identifiant="480003813")
    fiche = " ".join(client.get(f"/structures/{mende.pk}/").content.decode().split())
    assert "Données du registre FINESS au 8 janvier 2021 : elles ont pu changer depuis" in fiche
    assert "480003813 (numéro FINESS)" in fiche
    api = client.get(f"/api/v1/structures/{mende.pk}/").json()
    assert api["registre"] == {"nom": "FINESS", "date": "2021-01-08", "libelle": "registre FINESS au 8 janvier 2021"}
    assert client.get("/api/v1/structures/", {"departement": "48"}).json()["results"][0]["registre"]["date"] == "2021-01-08"
    tableau = " ".join(client.get("/tableau-de-bord/48/").content.decode().split())
    assert "Dont 9 du registre FINESS au 8 janvier 2021 : les structures ouvertes depuis n&#x27;y figurent pas." in tableau
    assert "catégorie non précisée" in client.get("/tableau-de-bord/").content.decode()


def test_extraction_etalab_sans_structure_de_la_region_rejetee(tmp_path):
    autres = [ligne for ligne in EXTRACTION_ETALAB_DE_TEST.splitlines() if "AIN;" in ligne or ligne.startswith("finess;")]
    resultat = importer_structures(ecrire(tmp_path, "\n".join(autres) + "\n"))
    assert resultat.statut == ImportStructures.Statut.REJETE
    assert resultat.rapport["erreurs"] == [{"ligne": None, "message": (
        "aucune MSP ni aucun centre de santé de la région dans le fichier FINESS (2 établissement(s) lu(s))")}]
