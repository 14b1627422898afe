"""The reference loader: real files, idempotence, and bad files rejected whole."""
import json

import pytest
from django.core.management import CommandError, call_command

from noyau.fichiers import FichierInvalide
from territoires.models import EPCI, CodePostal, Commune, CommuneRattachee, Departement, Region
from territoires.referentiels.chargement import charger_territoires

pytestmark = pytest.mark.django_db


def etat_base():
    return (
        Region.objects.count(), Departement.objects.count(), EPCI.objects.count(), Commune.objects.count(),
        CodePostal.objects.count(), CommuneRattachee.objects.count(),
        list(Commune.objects.order_by("code_insee").values_list("code_insee", "nom", "population", "epci_id")[:50]),
    )


def test_fixture_du_projet_chargee_avec_les_4446_communes():
    assert Commune.objects.count() == 4446
    assert Departement.objects.count() == 13
    assert Region.objects.get(code="76").nom == "Occitanie"
    beziers = Commune.objects.select_related("departement", "epci").get(code_insee="34032")
    assert beziers.nom == "Béziers"
    assert beziers.departement.nom == "Hérault"
    assert beziers.epci.type == "CA"
    assert beziers.codes_postaux_liste == ["34500"]
    assert beziers.population > 0


def test_communes_deleguees_associees_et_fusionnees_renvoient_a_la_commune_actuelle():
    deleguee = CommuneRattachee.objects.get(code="09028")  # Aulos, déléguée of Sinsat (09296)
    assert (deleguee.type, deleguee.commune_id) == ("deleguee", "09296")
    associee = CommuneRattachee.objects.get(code="09036")  # Banat, associée of 09306
    assert (associee.type, associee.commune_id) == ("associee", "09306")
    ancienne = CommuneRattachee.objects.get(code="09278")  # merged into Auzat
    assert (ancienne.type, ancienne.commune_id) == ("ancienne", "09030")
    # A chef-lieu déléguée shares its commune's code: it is not a separate mapping.
    assert not CommuneRattachee.objects.filter(code__in=Commune.objects.values("code_insee")).exists()


def test_second_chargement_ne_change_rien(capsys):
    call_command("charger_referentiels", source="fixtures/referentiels")
    sortie = capsys.readouterr().out
    assert "Aucun changement" in sortie
    assert "Communes : 0 créé(s), 0 modifié(s), 4446 inchangé(s)" in sortie


def test_modification_de_la_source_met_a_jour_seulement_ce_qui_change(copie_fixture):
    communes = json.loads((copie_fixture / "communes.json").read_text())
    for commune in communes:
        if commune["code"] == "34032":
            commune["population"] += 1
            commune["codesPostaux"] = ["34500", "34501"]
    (copie_fixture / "communes.json").write_text(json.dumps(communes))
    rapport = charger_territoires(copie_fixture)
    assert rapport.comptes["Communes"].modifies == 1
    assert rapport.comptes["Communes"].inchanges == 4445
    assert rapport.comptes["Codes postaux"].crees == 1
    assert Commune.objects.get(code_insee="34032").codes_postaux_liste == ["34500", "34501"]


@pytest.mark.donnees_reelles
def test_chargement_des_donnees_partagees_avec_contours(donnees_reelles):
    rapport = charger_territoires(donnees_reelles)
    assert rapport.comptes["Communes"].crees == 0  # the same 4,446 communes as the fixture
    assert rapport.comptes["Communes"].modifies == 4445  # outlines and points added; 12218 has none
    toulouse = Commune.objects.get(code_insee="31555")
    assert toulouse.contour["type"] in {"Polygon", "MultiPolygon"}
    # The representative point lies inside the commune, near Toulouse.
    assert 1.3 < toulouse.longitude < 1.55 and 43.5 < toulouse.latitude < 43.7
    assert Commune.objects.get(code_insee="12218").contour is None
    assert [str(a) for a in rapport.avertissements] == [(  # said, not silently skipped
        "communes_occitanie_contours_current.geojson.gz : 12218 (Conques-en-Rouergue) : pas de contour dans le fichier : "
        "la commune n'est pas dessinée sur les cartes")]
    assert Departement.objects.get(code="34").contour is not None
    assert Region.objects.get(code="76").contour is not None
    # And a second load changes nothing.
    assert charger_territoires(donnees_reelles).changements == 0


def test_json_invalide_rejete_avec_sa_ligne_et_rien_ne_change(copie_fixture):
    avant = etat_base()
    texte = (copie_fixture / "communes.json").read_text()
    (copie_fixture / "communes.json").write_text(texte.replace('"nom":"Aigues-Juntes"', '"nom":"Aigues-Juntes",,', 1))
    with pytest.raises(FichierInvalide) as erreur:
        charger_territoires(copie_fixture)
    probleme = erreur.value.problemes[0]
    assert probleme.fichier == "communes.json"
    assert probleme.ligne == 2
    assert "JSON invalide" in probleme.message
    assert etat_base() == avant


def test_erreurs_de_contenu_toutes_signalees_avec_leur_position_et_rien_ne_change(copie_fixture):
    avant = etat_base()
    communes = json.loads((copie_fixture / "communes.json").read_text())
    communes[0]["code"] = "9001"  # too short
    communes[1]["departement"] = "99"  # unknown département
    communes[2]["population"] = "beaucoup"
    communes[3]["nom"] = "Nom modifié qui ne doit pas être écrit"
    (copie_fixture / "communes.json").write_text(json.dumps(communes))
    with pytest.raises(FichierInvalide) as erreur:
        charger_territoires(copie_fixture)
    messages = [str(p) for p in erreur.value.problemes]
    assert any("ligne 1" in m and "code INSEE invalide : '9001'" in m for m in messages)
    assert any("ligne 2" in m and "département '99' inconnu" in m for m in messages)
    assert any("ligne 3" in m and "population non numérique" in m for m in messages)
    assert etat_base() == avant


def test_commande_refuse_un_fichier_invalide_avec_un_message_clair(copie_fixture):
    (copie_fixture / "departements.json").write_text('{"pas": "une liste"}')
    with pytest.raises(CommandError) as erreur:
        call_command("charger_referentiels", source=str(copie_fixture))
    assert "rien n'a été modifié" in str(erreur.value)
    assert "departements.json : le fichier doit contenir une liste JSON d'objets" in str(erreur.value)


def test_commande_dossier_absent(tmp_path):
    with pytest.raises(CommandError, match="dossier de données introuvable"):
        call_command("charger_referentiels", source=str(tmp_path / "absent"))


def test_commune_dans_deux_epci_refusee(copie_fixture):
    epcis = json.loads((copie_fixture / "epci.json").read_text())
    epcis[1]["membres"].append(dict(epcis[0]["membres"][0]))
    (copie_fixture / "epci.json").write_text(json.dumps(epcis))
    with pytest.raises(FichierInvalide, match="membre de deux EPCI"):
        charger_territoires(copie_fixture)
