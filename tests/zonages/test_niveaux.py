"""Reading the levels of official files: CartoSanté's numbered labels (with the letter of the newer classes) and the
FRR classes of the DGCL list, kept apart."""
import pytest

from zonages.niveaux import TYPES, niveau_depuis_libelle


@pytest.mark.parametrize("type_, libelle, code", [
    ("medecin", "1_ZIP", "ZIP"), ("medecin", "4_ZAR", "ZAR"), ("medecin", "3_HZ", "HZ"),
    ("infirmier", "3_intermediaire", "INT"), ("chirurgien-dentiste", "4_Tres_dotee", "TD"),
    ("masseur-kinesitherapeute", "5b_Non_prioritaire", "NP"), ("chirurgien-dentiste", "5b_Non_prioritaire", "NP"),
    ("orthophoniste", "1b_Sous_dense", "SOUS_DENSE"), ("sage-femme", "2_Sous_dotee", "SD"),
    ("frr", "FRR socle", "SOCLE"), ("frr", "FRR+", "PLUS"), ("frr", "FRR bénéficiaire", "BENEF"),
    ("frr", "FRR bénéficiaire partiellement", "BENEF_PC"), ("frr", "Classée FRR partiellement", "PC"),
    ("frr", "Non classée", "NC"), ("zrr", "PC", "PC"), ("montagne", "C", "C"),
])
def test_libelles_des_fichiers_officiels(type_, libelle, code):
    assert niveau_depuis_libelle(TYPES[type_], libelle).code == code


@pytest.mark.parametrize("type_, libelle", [("frr", "FRR"), ("frr", "Classée"), ("orthophoniste", "1_Tres_sous_dotee"),
                                            ("medecin", "5b_Non_prioritaire")])
def test_libelle_ambigu_ou_d_une_autre_profession_refuse(type_, libelle):
    assert niveau_depuis_libelle(TYPES[type_], libelle) is None


def test_les_classes_frr_restent_distinctes():
    libelles = {n.code: n.libelle for n in TYPES["frr"].niveaux}
    assert set(libelles) == {"SOCLE", "PLUS", "BENEF", "BENEF_PC", "PC", "NC"}
    assert len(set(libelles.values())) == 6


def test_profession_et_son_zonage():
    from noyau.professions import PROFESSIONS
    from zonages.niveaux import type_de_la_profession

    assert {p: t.code for p in PROFESSIONS if (t := type_de_la_profession(p))} == {
        "medecin-generaliste": "medecin", "chirurgien-dentiste": "chirurgien-dentiste", "infirmier": "infirmier",
        "masseur-kinesitherapeute": "masseur-kinesitherapeute", "orthophoniste": "orthophoniste",
        "sage-femme": "sage-femme"}
