"""Differences between two zonage versions, summaries, CSV exports and the level-change journal (domain code).

Versions are built in the tests from real Occitanie communes (loaded by conftest); their references say they are
test versions, not real arrêtés.
"""
import datetime

import pytest
from django.contrib.auth.models import User
from simple_history.utils import bulk_create_with_history

from territoires.models import Commune
from zonages.differences import CHANGEMENT, ENTREE, SORTIE, difference, resume_par_niveau, version_de_reference
from zonages.exports import BOM, csv_difference, csv_version, nom_fichier_difference, nom_fichier_version
from zonages.historique import modifications_de_niveau
from zonages.models import Classement, Zonage
from zonages.publication import publier

pytestmark = pytest.mark.django_db

AVANT = {"34032": "ZAC", "31555": "ZAC", "09001": "ZIP", "12202": "ZAR"}
APRES = {"34032": "ZIP", "31555": "ZAC", "34172": "ZAC", "12202": "ZAR"}


def version(niveaux: dict, type_="medecin", statut=Zonage.Statut.PUBLIE, debut=datetime.date(2022, 1, 1), fin=None):
    zonage = Zonage.objects.create(type=type_, reference=f"Version de test ({type_}, {debut})", valid_from=debut,
                                   valid_to=fin, statut=statut)
    Classement.objects.bulk_create([Classement(zonage=zonage, commune_id=c, niveau=n) for c, n in niveaux.items()])
    return zonage


def population(*codes):
    return sum(Commune.objects.filter(code_insee__in=codes).values_list("population", flat=True))


def test_difference_entrees_sorties_changements(django_assert_max_num_queries):
    avant = version(AVANT)
    apres = version(APRES, statut=Zonage.Statut.BROUILLON, debut=datetime.date(2026, 1, 1))
    with django_assert_max_num_queries(2):
        diff = difference(avant, apres)
        changements = {c.code_insee: (c.niveau_avant, c.niveau_apres, c.nature) for c in diff.changements}
    assert changements == {
        "09001": ("ZIP", None, SORTIE),
        "34032": ("ZAC", "ZIP", CHANGEMENT),
        "34172": (None, "ZAC", ENTREE),
    }
    assert [c.code_insee for c in diff.changements] == ["09001", "34032", "34172"]
    beziers = next(c for c in diff.changements if c.code_insee == "34032")
    assert (beziers.nom, beziers.departement, beziers.departement_nom) == ("Béziers", "34", "Hérault")
    assert diff.nb_communes == 3 and diff.nb_entrees == 1 and diff.nb_sorties == 1
    assert diff.population == population("09001", "34032", "34172") > 300_000
    departements = {d.code: (d.communes, d.entrees, d.sorties, d.population) for d in diff.par_departement}
    assert departements == {"09": (1, 0, 1, population("09001")),
                            "34": (2, 1, 0, population("34032", "34172"))}
    transitions = {(t.niveau_avant, t.niveau_apres): t.communes for t in diff.par_transition}
    assert transitions == {("ZIP", None): 1, ("ZAC", "ZIP"): 1, (None, "ZAC"): 1}
    assert diff.libelle("ZIP") == "Zone d'intervention prioritaire" and diff.libelle(None) == "non classée"


def test_sans_version_precedente_toutes_les_communes_entrent(django_assert_max_num_queries):
    apres = version(APRES, statut=Zonage.Statut.BROUILLON)
    with django_assert_max_num_queries(1):
        diff = difference(None, apres)
    assert diff.nb_communes == 4 == diff.nb_entrees
    assert diff.population == population(*APRES)


def test_nombre_de_requetes_independant_du_nombre_de_communes(django_assert_max_num_queries):
    codes = list(Commune.objects.filter(departement_id__in=["31", "34"]).values_list("code_insee", flat=True))
    assert len(codes) > 900
    avant = version({c: "ZAC" for c in codes[:-50]})
    apres = version({c: ("ZIP" if i % 3 == 0 else "ZAC") for i, c in enumerate(codes[50:])},
                    statut=Zonage.Statut.BROUILLON)
    with django_assert_max_num_queries(2):
        diff = difference(avant, apres)
        assert diff.nb_entrees == 50 and diff.nb_sorties == 50
    changes = sum(1 for i, c in enumerate(codes[50:-50]) if i % 3 == 0)
    assert diff.nb_communes == 100 + changes


def test_meme_version_ou_types_differents():
    zonage = version(AVANT)
    assert difference(zonage, zonage).changements == []
    montagne = version({"09001": "C"}, type_="montagne")
    with pytest.raises(ValueError, match="même type de zonage"):
        difference(montagne, zonage)


def test_version_de_reference():
    en_vigueur = version(AVANT)
    brouillon = version(APRES, statut=Zonage.Statut.BROUILLON, debut=datetime.date(2026, 1, 1))
    version({"09001": "C"}, type_="montagne")  # another kind is never the reference
    assert version_de_reference(brouillon) == en_vigueur
    assert version_de_reference(en_vigueur) is None
    publier(brouillon, datetime.date(2026, 3, 1))
    brouillon.refresh_from_db()
    # Once published, the reference is the version it replaced (in force the day before).
    assert version_de_reference(brouillon) == en_vigueur


def test_resume_par_niveau_dans_l_ordre_du_type(django_assert_max_num_queries):
    zonage = version(AVANT)
    with django_assert_max_num_queries(1):
        resume = resume_par_niveau(zonage)
    assert [(r.code, r.communes) for r in resume] == [("ZIP", 1), ("ZAC", 2), ("ZAR", 1)]
    assert resume[1].population == population("34032", "31555")
    assert resume[1].libelle == "Zone d'action complémentaire"


def test_export_csv_d_une_version():
    zonage = version(AVANT)
    texte = csv_version(zonage)
    assert texte.startswith(BOM)
    lignes = texte[len(BOM):].split("\r\n")
    assert lignes[0] == "code_insee;commune;département;niveau;libellé"
    assert lignes[1] == "09001;Aigues-Juntes;09;ZIP;Zone d'intervention prioritaire"
    assert "34032;Béziers;34;ZAC;Zone d'action complémentaire" in lignes
    assert len([ligne for ligne in lignes if ligne]) == 1 + len(AVANT)
    assert nom_fichier_version(zonage) == f"zonage_medecin_2022-01-01_v{zonage.pk}.csv"


def test_export_csv_d_une_difference():
    avant, apres = version(AVANT), version(APRES, statut=Zonage.Statut.BROUILLON)
    diff = difference(avant, apres)
    lignes = csv_difference(diff)[len(BOM):].split("\r\n")
    assert lignes[0].split(";") == ["code_insee", "commune", "département", "population", "niveau_avant",
                                    "libellé_avant", "niveau_après", "libellé_après", "nature"]
    assert lignes[1] == f"09001;Aigues-Juntes;09;{population('09001')};ZIP;Zone d'intervention prioritaire;;;sortie"
    assert lignes[3].startswith("34172;Montpellier;34;")
    assert lignes[3].endswith(";;;ZAC;Zone d'action complémentaire;entrée")
    assert nom_fichier_difference(diff) == f"difference_medecin_v{avant.pk}_v{apres.pk}.csv"


def test_journal_des_modifications_de_niveau(django_assert_max_num_queries):
    zonage = Zonage.objects.create(type="medecin", reference="Version de test", valid_from=datetime.date(2022, 1, 1))
    bulk_create_with_history([Classement(zonage=zonage, commune_id=c, niveau=n) for c, n in AVANT.items()],
                             Classement)
    agent = User.objects.create_user("agent.test", password="mot-de-passe-de-test")
    classement = Classement.objects.get(zonage=zonage, commune_id="34032")
    classement.niveau = "ZIP"
    classement._history_user = agent
    classement.save()
    classement.save()  # saved again without a change: not listed
    Classement.objects.get(zonage=zonage, commune_id="09001").delete()
    with django_assert_max_num_queries(2):
        journal = modifications_de_niveau(zonage)
    assert [(m.code_insee, m.avant, m.apres) for m in journal] == [("09001", "ZIP", None), ("34032", "ZAC", "ZIP")]
    assert journal[1].utilisateur == "agent.test" and journal[1].commune == "Béziers"
