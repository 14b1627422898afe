"""The DREES APL to médecins généralistes: loaded from the shipped files as published, old codes and a commune
created since reported (never carried or invented), strict on bad files, shown on the commune page and the
dashboard."""
import pytest
from django.core.management import call_command

from indicateurs.chargement import charger_apl
from indicateurs.consultation import distribution_par_departement
from indicateurs.models import ValeurApl
from noyau.fichiers import FichierInvalide
from tests.conftest import DONNEES_REELLES

pytestmark = pytest.mark.django_db
APL_2023 = DONNEES_REELLES / "apl_medecins_generalistes_2023_occitanie.csv"
ENTETE = ("Code commune INSEE,Commune,APL aux médecins généralistes,APL aux médecins généralistes de moins de 65 ans,"
          "Population standardisée 2021 pour la médecine générale,Population totale 2021")


def test_valeurs_publiees_chargees_telles_quelles():
    rapport = charger_apl(APL_2023, 2023)
    mende = ValeurApl.objects.get(commune_id="48095", annee=2023)
    assert (mende.apl, mende.apl_moins_65_ans, mende.population_totale) == (3.834, 3.585, 12316)  # the file's row, as published
    assert rapport.retenues == ValeurApl.objects.filter(annee=2023).count() == 4445
    # 12218 (created in 2026) has no value and the report says so; nothing is guessed for it.
    assert rapport.sans_valeur == ["12218"] and not ValeurApl.objects.filter(commune_id="12218").exists()
    messages = [a.message for a in rapport.avertissements]
    assert any(m.startswith("34093 n'est plus une commune") for m in messages)
    # Lunas-les-Châteaux absorbed 34093 since: its value covers its former territory only, and is marked so.
    assert ValeurApl.objects.get(commune_id="34144", annee=2023).ancien_territoire
    assert not mende.ancien_territoire


def test_second_chargement_n_ecrit_rien():
    charger_apl(APL_2023, 2023)
    rapport = charger_apl(APL_2023, 2023)
    assert (rapport.creees, rapport.modifiees, rapport.inchangees) == (0, 0, 4445)


@pytest.mark.parametrize("lignes, attendu", [
    ("34032,Béziers,abc,2.1,1,1", "ligne 2 : « APL aux médecins généralistes » : nombre attendu, pas « abc »"),
    ("34032,Béziers,-1,2.1,1,1", "nombre positif attendu"),
    ("34032,Béziers,3.1,2.1,1,1\n34032,Béziers,3.1,2.1,1,1", "ligne 3 : 34032 figure déjà ligne 2"),
    ("340,Béziers,3.1,2.1,1,1", "ligne 2 : code INSEE invalide"),
])
def test_fichier_fautif_rejete_en_entier_rien_d_ecrit(tmp_path, lignes, attendu):
    chemin = tmp_path / "apl_test.csv"
    chemin.write_text(f"{ENTETE}\n{lignes}\n", encoding="utf-8")
    with pytest.raises(FichierInvalide) as erreur:
        charger_apl(chemin, 2023)
    assert attendu in str(erreur.value)
    assert not ValeurApl.objects.exists()


def test_colonnes_manquantes(tmp_path):
    chemin = tmp_path / "apl_test.csv"
    chemin.write_text("Code commune INSEE,Commune\n34032,Béziers\n", encoding="utf-8")
    with pytest.raises(FichierInvalide, match="colonnes manquantes : APL aux médecins généralistes"):
        charger_apl(chemin, 2023)


def test_distribution_par_departement():
    charger_apl(APL_2023, 2023)
    lozere = distribution_par_departement(2023, "48")[0]
    valeurs = sorted(ValeurApl.objects.filter(annee=2023, commune__departement_id="48").values_list("apl", flat=True))
    assert lozere.communes == len(valeurs) == 152
    assert (lozere.minimum, lozere.maximum) == (valeurs[0], valeurs[-1])
    assert lozere.mediane == (valeurs[75] + valeurs[76]) / 2


def test_fiche_commune_et_tableau_de_bord(client):
    call_command("charger_referentiels", stdout=open("/dev/null", "w"))
    page = client.get("/communes/48095/").content.decode()
    assert "Accessibilité potentielle localisée (APL) de Mende" in page and "3,83" in page and "DREES" in page
    assert "Aucune valeur publiée" in client.get("/communes/12218/").content.decode()
    tableau = client.get("/tableau-de-bord/").content.decode()
    assert 'id="apl-departements"' in tableau and "Lozère (48)" in tableau
    csv = client.get("/tableau-de-bord/", {"format": "csv"}).content.decode("utf-8-sig")
    assert "APL aux médecins généralistes 2023 (DREES), Lozère;médiane" in csv
