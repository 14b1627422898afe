"""Search ranking, on the real communes of Occitanie."""
import pytest

from territoires.recherche import rechercher_communes

pytestmark = pytest.mark.django_db


def codes(texte, n=5):
    return [c.code_insee for c in rechercher_communes(texte)[:n]]


def noms(texte, n=5):
    return [c.nom for c in rechercher_communes(texte)[:n]]


@pytest.mark.parametrize("saisie", ["beziers", "Béziers", "BEZIERS", " béziers "])
def test_nom_sans_accent_ni_casse(saisie):
    assert codes(saisie, 1) == ["34032"]


@pytest.mark.parametrize("saisie", ["saint jean du gard", "St-Jean-du-Gard", "st jean du gard", "SAINT-JEAN-DU-GARD"])
def test_abreviations_et_ponctuation(saisie):
    assert codes(saisie, 1) == ["30269"]


def test_exact_puis_prefixe_par_population():
    resultats = list(rechercher_communes("St-Jean")[:10])
    assert resultats[0].nom == "Saint-Jean"  # exact name first, though not the most populated
    suivants = resultats[1:]
    assert all(c.nom_normalise.startswith("saint jean") for c in suivants)
    populations = [c.population for c in suivants]
    assert populations == sorted(populations, reverse=True)
    assert resultats[1].population > resultats[0].population


def test_prefixe_avant_mot_interieur():
    # "Montpellier" starts with the query; communes where it only starts a later word come after.
    resultats = list(rechercher_communes("montpellier"))
    assert resultats[0].code_insee == "34172"
    rangs = [c.rang for c in resultats]
    assert rangs == sorted(rangs)


def test_mot_a_l_interieur_du_nom():
    assert "30269" in codes("jean du gard", 10)


def test_code_insee_exact():
    assert codes("34032", 1) == ["34032"]


def test_code_postal_toutes_les_communes_du_code():
    resultats = list(rechercher_communes("34500"))
    assert resultats[0].code_insee == "34032"
    assert all("34500" in c.codes_postaux_liste or c.code_insee.startswith("34500") for c in resultats)


def test_code_postal_partage_par_plusieurs_communes_sans_doublon():
    resultats = list(rechercher_communes("09240"))
    codes_insee = [c.code_insee for c in resultats]
    assert len(codes_insee) > 1
    assert len(codes_insee) == len(set(codes_insee))


def test_debut_de_code_corse_ne_plante_pas():
    assert list(rechercher_communes("2A")) == []  # no Corsican commune in Occitanie, and no error


@pytest.mark.parametrize("saisie", ["", "   ", "---", "zzzzqqq"])
def test_rien_ne_correspond(saisie):
    assert list(rechercher_communes(saisie)) == []


def test_une_seule_requete(django_assert_num_queries):
    with django_assert_num_queries(1):
        list(rechercher_communes("saint")[:20])
