"""The sample of CPTS described by their own pages or by FINESS (donnees/cpts_occitanie_echantillon.csv): the CPTS,
their listed communes with the source, unmatched names and conflicts reported, never guessed or forced."""
import pytest

from cpts.chargement import charger_cpts
from cpts.echantillon import charger_echantillon
from cpts.models import Cpts, Stade, TerritoireCpts
from noyau.fichiers import FichierInvalide
from tests.conftest import DONNEES_REELLES

pytestmark = pytest.mark.django_db
ECHANTILLON = DONNEES_REELLES / "cpts_occitanie_echantillon.csv"
COLONNES = ("nom,departement_declare,derive_departements,nb_communes,population_declaree,taille_declaree,"
            "communes_declarees,derive_insee_communes,derive_noms_non_apparies,remarque,source_url")


def test_cpts_de_l_echantillon_et_leurs_communes_avec_leur_source():
    charger_cpts()
    rapport = charger_echantillon(ECHANTILLON)
    tarn_ouest = Cpts.objects.get(nom="CPTS Tarn Ouest")
    assert tarn_ouest.stade == Stade.INCONNU  # the page does not say; nothing is assumed
    assert tarn_ouest.population_declaree == 53765 and tarn_ouest.nombre_communes_declare == 50
    assert list(tarn_ouest.departements.values_list("code", flat=True)) == ["81"]
    territoire = tarn_ouest.territoires.all()
    assert territoire.count() == 49 and {t.source for t in territoire} == {"https://cptstarnouest.site-sante.fr"}
    assert all(t.valid_from is None for t in territoire)  # the page is undated
    # "Massac, Séran" was split by the source: reported, never guessed.
    messages = [a.message for a in rapport.avertissements]
    assert any("« Massac » ne correspond à aucune commune" in m for m in messages)
    # A population given in words is kept as the source says it, not turned into a number.
    mediterranee = Cpts.objects.get(nom="CPTS Occitanie Méditerranée")
    assert mediterranee.population_declaree is None and "environ 27 000" in mediterranee.territoire_declare


def test_une_commune_dans_une_seule_cpts_le_conflit_est_signale_pas_force():
    charger_cpts()
    rapport = charger_echantillon(ECHANTILLON)
    assert TerritoireCpts.objects.filter(commune_id="31555").count() == 1
    assert any("Toulouse (31555) appartient déjà à la CPTS" in a.message for a in rapport.avertissements)


def test_une_cpts_connue_garde_ce_que_disent_ses_documents():
    charger_cpts()
    providence = Cpts.objects.get(nom="CPTS La Providence")
    avant = (providence.source, providence.population_declaree, providence.stade)
    charger_echantillon(ECHANTILLON)  # lists it as "CPTS LA PROVIDENCE" (FINESS)
    providence.refresh_from_db()
    assert (providence.source, providence.population_declaree, providence.stade) == avant
    assert Cpts.objects.filter(nom__iexact="CPTS La Providence").count() == 1


def test_second_chargement_n_ecrit_rien():
    charger_cpts()
    charger_echantillon(ECHANTILLON)
    avant = TerritoireCpts.objects.count(), Cpts.objects.count()
    rapport = charger_echantillon(ECHANTILLON)
    assert rapport.creees == [] and rapport.rattachements == 0
    assert (TerritoireCpts.objects.count(), Cpts.objects.count()) == avant
    assert charger_cpts().modifiees == []


def test_page_de_la_cpts_dit_la_source_et_le_debut_inconnu(client):
    charger_echantillon(ECHANTILLON)
    cpts = Cpts.objects.get(nom="CPTS de l'Olivier")
    page = client.get(f"/cpts/{cpts.pk}/").content.decode()
    assert "non connu" in page and "concourspluripro.fr" in page and "page non datée" in page


@pytest.mark.parametrize("contenu, attendu", [
    (COLONNES.replace(",remarque", "") + "\nCPTS fictive de test,,,,,,,,,,https://exemple.test\n", "colonnes manquantes"),
    (COLONNES + "\nCPTS fictive,,,,,,,,,,https://exemple.test\ncpts FICTIVE,,,,,,,,,,https://exemple.test\n",
     "ligne 3 : « cpts FICTIVE » figure deux fois"),
    (COLONNES + "\nCPTS fictive,,,,,,,3400,,,https://exemple.test\n", "ligne 2 : codes INSEE invalides : 3400"),
    (COLONNES + "\nCPTS fictive,,,,,,,,,,\n", "ligne 2 : « CPTS fictive » : source manquante"),
])
def test_fichier_fautif_rejete_en_entier(tmp_path, contenu, attendu):
    chemin = tmp_path / "cpts_test.csv"
    chemin.write_text(contenu, encoding="utf-8")
    with pytest.raises(FichierInvalide) as erreur:
        charger_echantillon(chemin)
    assert attendu in str(erreur.value)
    assert not Cpts.objects.filter(nom__icontains="fictive").exists()
