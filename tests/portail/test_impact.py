"""The impact of a zonage draft on the aids (issue 15), on the real médecins file with two communes changed
(Aigues-Vives 09002 and L'Aiguillon 09003, ZIP in the file, set to ZAC by the test): the 2026 installation aid goes
from 10,000 € to 5,000 €, for the population of those two communes. Nothing is stored; undoing the publication
restores the previous state. The regional caps and the structure below are test data entered by the test."""
import datetime
from decimal import Decimal
from html import unescape

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aides.catalogue import charger_regles
from portail.impact import GAGNEE, MODIFIEE, PERDUE, Transition, impact_de_version
from structures.models import EffectifProfession, Structure
from territoires.models import Commune
from zonages.consultation import zonage_de
from zonages.imports.execution import DemandeImport, importer_zonage
from zonages.models import Classement, ImportZonage, PlafondRegional, Publication, Zonage

pytestmark = [pytest.mark.django_db, pytest.mark.donnees_reelles]
D = datetime.date
DEUX_COMMUNES = ("09002", "09003")
DIX_MILLE, CINQ_MILLE = "10\u202f000 € (versement unique)", "5\u202f000 € (versement unique)"
MOTIF = "12218 (Conques-en-Rouergue, créée en 2026) absente du fichier"


def demande(debut, reference, **options):
    return DemandeImport(type="medecin", valid_from=debut, reference=reference, colonne_niveau="zonage_medecins",
                         couverture="incomplete", motif_couverture=MOTIF, **options)


@pytest.fixture
def fichier_modifie(donnees_reelles, tmp_path):
    texte = (donnees_reelles / "zonage_medecins_occitanie.csv").read_text(encoding="utf-8")
    for ligne in ("09002,Aigues-Vives,09,1_ZIP", "09003,L'Aiguillon,09,1_ZIP"):
        assert ligne in texte
        texte = texte.replace(ligne, ligne.replace("1_ZIP", "2_ZAC"))
    chemin = tmp_path / "zonage_medecins_deux_communes_changees.csv"
    chemin.write_text(texte, encoding="utf-8")
    return chemin


@pytest.fixture
def en_vigueur(donnees_reelles):
    charger_regles()
    resultat = importer_zonage(donnees_reelles / "zonage_medecins_occitanie.csv",
                               demande(D(2022, 5, 7), "Zonage médecins réel (fichier du portail)", publier=True))
    assert resultat.statut == ImportZonage.Statut.IMPORTE, resultat.rapport["erreurs"]
    return Zonage.objects.get(pk=resultat.rapport["zonage_id"])


@pytest.fixture
def brouillon(en_vigueur, fichier_modifie):
    resultat = importer_zonage(fichier_modifie, demande(D(2026, 3, 1), "Brouillon de test (deux communes)"))
    return Zonage.objects.get(pk=resultat.rapport["zonage_id"])


def population(*codes) -> int:
    return sum(Commune.objects.filter(code_insee__in=codes).values_list("population", flat=True))


def ecritures(requetes) -> list[str]:
    return [q["sql"] for q in requetes if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def etat_des_zonages():
    """Every version's dates and status, and every commune's level in each: what an undo must give back."""
    return (list(Zonage.objects.order_by("pk").values_list("pk", "statut", "valid_from", "valid_to", "publie_le")),
            sorted(Classement.objects.values_list("zonage_id", "commune_id", "niveau")))


def test_l_aide_a_l_installation_passe_de_10000_a_5000_euros(brouillon, en_vigueur):
    with CaptureQueriesContext(connection) as requetes:
        impact = impact_de_version(brouillon)
    assert ecritures(requetes) == []  # stored nowhere
    assert impact.avant == en_vigueur and impact.nb_communes == 2 and impact.population == population(*DEUX_COMMUNES)
    effets = {e.code: e for e in impact.dispositifs}
    installation = effets["AM-AIDE-INSTALLATION"]
    assert installation.professions == ("medecin-generaliste", "medecin-specialiste")
    assert {c.code_insee: c.effet for c in installation.communes} == {"09002": MODIFIEE, "09003": MODIFIEE}
    assert installation.transitions == [Transition("ZIP", DIX_MILLE, "ZAC", CINQ_MILLE, 2, population(*DEUX_COMMUNES))]
    assert [(d.code, d.modifiees) for d in installation.par_departement] == [("09", 2)]
    # The secondary cabinet's aid is for ZIP only: lost in both communes.
    assert {c.effet for c in effets["AM-CABINET-SECONDAIRE"].communes} == {PERDUE}
    assert installation.professionnels is None and "non connu" in installation.professionnels_texte
    # Shares of the region's population, before → after, and the national pool said as such.
    assert [r.code for r in impact.regions] == ["76"]  # the one served region
    zip_ = next(p for p in impact.regions[0].parts if p.code == "ZIP")
    assert zip_.population_avant - zip_.population_apres == population(*DEUX_COMMUNES)
    assert zip_.vivier_national == Decimal("30.2") and zip_.plafond is None and not impact.plafonds_saisis
    assert impact.regions[0].sans_plafond == "Aucun plafond saisi pour Occitanie pour ce zonage"
    assert "arrêté du 9 mai 2025" in impact.vivier_national


def test_plafonds_saisis_et_professionnels_comptes(brouillon):
    # A test cap between the shares after and before: exceeded before, met after.
    impact = impact_de_version(brouillon)
    zip_ = next(p for p in impact.regions[0].parts if p.code == "ZIP")
    entre = round((zip_.part_avant + zip_.part_apres) / 2, 2)
    assert zip_.part_apres < entre < zip_.part_avant
    PlafondRegional.objects.create(region="76", type="medecin", niveau="ZIP", part_maximale=entre,
                                   source="Plafond de test")
    PlafondRegional.objects.create(region="76", type="medecin", niveau="ZAC", part_maximale=10, source="Plafond de test")
    structure = Structure.objects.create(identifiant="TEST-IMPACT", nom="MSP fictive de test", type="msp",
                                         commune_id="09002")
    EffectifProfession.objects.create(structure=structure, profession="medecin-generaliste", nombre=3)
    impact = impact_de_version(brouillon)
    parts = {p.code: p for p in impact.regions[0].parts}
    assert parts["ZIP"].depasse_avant and not parts["ZIP"].depasse_apres
    assert parts["ZAC"].depasse_apres and impact.plafonds_saisis
    installation = next(e for e in impact.dispositifs if e.code == "AM-AIDE-INSTALLATION")
    assert {c.code_insee: c.professionnels for c in installation.communes} == {"09002": 3, "09003": None}
    assert installation.professionnels == 3 and installation.communes_sans_compte == 1
    assert installation.professionnels_texte.startswith("3 recensé(s)") and "non connu dans 1 commune" in (
        installation.professionnels_texte)


def test_une_commune_qui_devient_zip_gagne_l_aide(en_vigueur, fichier_modifie):
    """The other way round: the published version is the changed file, the draft the real one."""
    texte = fichier_modifie.read_text(encoding="utf-8").replace("09002,Aigues-Vives,09,2_ZAC",
                                                                "09002,Aigues-Vives,09,4_ZAR")
    fichier_modifie.write_text(texte, encoding="utf-8")
    resultat = importer_zonage(fichier_modifie, demande(D(2026, 3, 1), "Brouillon de test (ZAR)"))
    impact = impact_de_version(Zonage.objects.get(pk=resultat.rapport["zonage_id"]))
    installation = next(e for e in impact.dispositifs if e.code == "AM-AIDE-INSTALLATION")
    assert {c.code_insee: (c.effet, c.avant.texte, c.apres.texte) for c in installation.communes} == {
        "09002": (PERDUE, DIX_MILLE, "exclue"), "09003": (MODIFIEE, DIX_MILLE, CINQ_MILLE)}
    inverse = impact_de_version(en_vigueur, Zonage.objects.get(pk=resultat.rapport["zonage_id"]),
                                D(2026, 3, 1))
    installation = next(e for e in inverse.dispositifs if e.code == "AM-AIDE-INSTALLATION")
    assert installation.gagnees[0].code_insee == "09002"
    assert GAGNEE in {c.effet for c in installation.communes}


def test_confirmer_publier_puis_annuler_retablit_l_etat_precedent(admin_client, brouillon, en_vigueur):
    page = admin_client.get(reverse("admin:zonages_zonage_impact", args=[brouillon.pk]))
    html = unescape(page.content.decode())
    assert page.status_code == 200 and "Aide à l'installation de l'Assurance Maladie" in html
    assert DIX_MILLE in html and CINQ_MILLE in html and "non saisi" in html and "rien n'est enregistré" in html
    assert "Population de la région Occitanie : " in html and "Aucun plafond saisi pour Occitanie pour ce zonage." in html
    assert "plafondregional/?type__exact=medecin&region__exact=76" in html
    csv = admin_client.get(reverse("admin:zonages_zonage_impact_csv", args=[brouillon.pk])).content.decode()
    ligne = next(ligne for ligne in csv.splitlines() if ligne.startswith("AM-AIDE-INSTALLATION;") and ";09002;" in ligne)
    assert ligne.endswith(f";ZIP;ZAC;{DIX_MILLE};{CINQ_MILLE};non connu")

    url = reverse("admin:zonages_zonage_publier", args=[brouillon.pk])
    avant = etat_des_zonages()
    with CaptureQueriesContext(connection) as requetes:
        confirmation = admin_client.get(url, {"date_effet": "2026-03-01"})
    assert not [q for q in ecritures(requetes) if "zonages_" in q]
    html = unescape(confirmation.content.decode())
    assert "prendra fin le 28/02/2026" in html and "Aide à l'installation de l'Assurance Maladie" in html
    assert f"{DIX_MILLE}</td><td>ZAC</td><td>{CINQ_MILLE}" in html
    assert html.index("Effet sur les aides") < html.index('value="Confirmer la publication"')

    admin_client.post(url, {"date_effet": "2026-03-01", "confirmation": "on"})
    assert zonage_de("09002", "medecin", D(2026, 3, 1)).niveau == "ZAC"
    admin_client.post(reverse("admin:zonages_zonage_annuler_publication", args=[brouillon.pk]),
                      {"motif": "Test : retour à la version précédente"})
    brouillon.refresh_from_db()
    en_vigueur.refresh_from_db()
    assert brouillon.statut == Zonage.Statut.BROUILLON and (en_vigueur.statut, en_vigueur.valid_to) == (
        Zonage.Statut.PUBLIE, None)
    assert zonage_de("09002", "medecin", D(2026, 3, 1)).niveau == "ZIP"
    assert Publication.objects.get(zonage=brouillon).annulee_le is not None
    assert etat_des_zonages() == avant


def test_commande_impact_zonage_sur_un_fichier(en_vigueur, fichier_modifie, tmp_path, capsys):
    avant = (Zonage.objects.count(), Classement.objects.count(), ImportZonage.objects.count())
    sortie_csv = tmp_path / "impact.csv"
    call_command("impact_zonage", str(fichier_modifie), type="medecin", valide_du=D(2026, 3, 1),
                 couverture="incomplete", motif=MOTIF, colonne_niveau="zonage_medecins", csv=sortie_csv)
    sortie = capsys.readouterr().out
    assert f"ZIP → ZAC : {DIX_MILLE} → {CINQ_MILLE} (2 commune(s), " in sortie
    assert "[AM-AIDE-INSTALLATION]" in sortie and "rien n'est enregistré" in sortie
    assert f"population concernée : {population(*DEUX_COMMUNES):,}".replace(",", "\u202f") in sortie
    lignes = sortie_csv.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    assert lignes[0].startswith("dispositif;nom du dispositif;professions;effet;code_insee")
    assert sum(1 for ligne in lignes if ligne.startswith("AM-AIDE-INSTALLATION;")) == 2
    assert (Zonage.objects.count(), Classement.objects.count(), ImportZonage.objects.count()) == avant
    with pytest.raises(CommandError, match="impact non calculé"):  # the file does not cover the region
        call_command("impact_zonage", str(fichier_modifie), type="medecin", valide_du=D(2026, 3, 1))
    assert "ne couvre pas la région" in capsys.readouterr().err
    with pytest.raises(CommandError, match="--motif"):
        call_command("impact_zonage", str(fichier_modifie), type="medecin", valide_du=D(2026, 3, 1),
                     couverture="incomplete")
