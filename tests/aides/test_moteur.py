"""The eligibility engine, driven by the YAML case files in tests/aides/cas_eligibilite/, and the rule files' schema."""
import datetime
from pathlib import Path

import pytest
import yaml

from aides.eligibilite.faits import Faits, Situation
from aides.eligibilite.logique import Verite, non, tous, un_au_moins
from aides.eligibilite.moteur import evaluer
from aides.eligibilite.regles import DOSSIER_REGLES, lire_dossier, lire_fichier, valider
from noyau.fichiers import FichierInvalide

DISPOSITIFS = lire_dossier()
CAS = [(f"{fichier.stem}: {cas['nom']}", cas) for fichier in sorted((Path(__file__).parent / "cas_eligibilite").glob("*.yaml"))
       for cas in yaml.safe_load(fichier.read_text(encoding="utf-8"))]


# Every scheme of the catalogue (aides-reference.md), by family.
CATALOGUE = {
    "CAIM", "COSCOM", "COTRAM", "CSTM", "AM-AIDE-INSTALLATION", "AM-CABINET-SECONDAIRE",  # médecins, Assurance Maladie
    "PTMG", "PTMA", "PTMR", "CDE", "CESP",  # État
    "ARS-MONTAGNE", "INTERNE-MONTAGNE", "MSU-MONTAGNE", "TRANSPORT-INTERNES", "HEBERGEMENT-INTERNES", "ARS-400-POSTES",
    "MSP-DEMARRAGE", "CDS-DEMARRAGE", "IPA",  # ARS and State regional measures
    "ACI-MSP", "ACI-CPTS",  # coordinated practice
    "EXONERATION-ZRR", "EXONERATION-ZFRR", "EXONERATION-PDSA", "EXONERATION-CFE",  # tax
    "CAPII", "CAII", "CAMI", "CACCMK", "CAIMK", "CAMMK", "CAPIO", "CAIO", "CAMO", "CAPISF", "CAISF", "CAMSF", "CAICD",
    "CAMCD",  # other professions
}


def faits_du_cas(cas: dict) -> Faits:
    commune = cas.get("commune") or {}
    return Faits(code_insee="00001", nom_commune="Commune fictive de test", departement=cas.get("departement", "00"),
                 population=commune.get("population"), profession=cas["profession"], date=cas["date"],
                 zonages=commune.get("zonages") or {}, qpv=commune.get("qpv"),
                 situation=Situation(**(cas.get("situation") or {})))


@pytest.mark.parametrize("nom, cas", CAS, ids=[nom for nom, _ in CAS])
def test_cas(nom, cas):
    resultats = {r.dispositif.code: r for r in evaluer(DISPOSITIFS, faits_du_cas(cas))}
    for code in cas.get("absents", []):
        assert code not in resultats, f"{code} ne devrait pas être en vigueur le {cas['date']}"
    for code, attendu in (cas.get("attendu") or {}).items():
        resultat = resultats[code]
        assert resultat.statut == attendu["statut"], [r.message for r in resultat.raisons]
        if "montant" in attendu:
            assert (resultat.montant.valeur if resultat.montant else None) == attendu["montant"]
        if "montants_possibles" in attendu:
            assert [m.valeur for m in resultat.montants_possibles] == attendu["montants_possibles"]
        if "montant_verifie" in attendu:
            assert resultat.montant.verifie is attendu["montant_verifie"]
        if "questions" in attendu:
            assert [q.champ for q in resultat.questions] == attendu["questions"]
        if "raison_contient" in attendu:
            assert any(attendu["raison_contient"] in r.message for r in resultat.raisons), [r.message for r in resultat.raisons]
        assert all(r.message for r in resultat.raisons)  # every condition explained


def test_assez_de_cas():
    assert len(CAS) >= 60


def test_resultats_tries_eligibles_d_abord():
    cas = CAS[0][1]
    statuts = [r.statut for r in evaluer(DISPOSITIFS, faits_du_cas(cas))]
    ordre = {"eligible": 0, "a_preciser": 1, "non_eligible": 2}
    assert statuts == sorted(statuts, key=ordre.get)


def test_logique_a_trois_valeurs():
    V, F, I = Verite.VRAI, Verite.FAUX, Verite.INCONNU
    assert tous([V, I, F]) == F and tous([V, I]) == I and tous([V, V]) == V
    assert un_au_moins([F, I, V]) == V and un_au_moins([F, I]) == I and un_au_moins([F, F]) == F
    assert non(I) == I and non(V) == F


def test_tous_les_fichiers_de_regles_respectent_le_schema():
    fichiers = sorted(DOSSIER_REGLES.glob("*.yaml"))
    assert fichiers
    for fichier in fichiers:
        assert valider(yaml.safe_load(fichier.read_text(encoding="utf-8"))) == [], fichier.name
    assert {d.code for d in DISPOSITIFS} >= CATALOGUE


def test_chaque_dispositif_a_au_moins_un_cas():
    couverts = {code for _, cas in CAS for code in cas.get("attendu") or {}}
    assert CATALOGUE <= couverts, sorted(CATALOGUE - couverts)


@pytest.mark.parametrize("modification, attendu", [
    (lambda d: d.pop("financeur"), "champ obligatoire absent : financeur"),
    (lambda d: d.update(professions=["plombier"]), "professions"),
    (lambda d: d["versions"][0]["conditions"]["all"].append({"astrologie": True}), "prédicat inconnu « astrologie »"),
    (lambda d: d["versions"][0]["conditions"]["all"].append({"zonage": {"type": "medecin", "niveaux": ["ZZZ"]}}),
     "valeur(s) inconnue(s) ['ZZZ']"),
    (lambda d: d["versions"][0]["montants"][0].update(unite="par lune"), "unite"),
    (lambda d: d["versions"].append(dict(d["versions"][0])), "se chevauchent"),
    (lambda d: d["versions"][0].update(valid_to=datetime.date(2020, 1, 1)), "valid_to antérieure à valid_from"),
])
def test_schema_refuse_les_regles_fautives(modification, attendu):
    donnees = yaml.safe_load((DOSSIER_REGLES / "AM-AIDE-INSTALLATION.yaml").read_text(encoding="utf-8"))
    modification(donnees)
    assert any(attendu in p for p in valider(donnees)), valider(donnees)


def test_fichier_yaml_illisible(tmp_path):
    chemin = tmp_path / "X.yaml"
    chemin.write_text("code: X\nnom: [non fermé\n")
    with pytest.raises(FichierInvalide, match="YAML invalide"):
        lire_fichier(chemin)


def test_le_moteur_n_interroge_pas_la_base(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        evaluer(DISPOSITIFS, faits_du_cas(CAS[0][1]))
