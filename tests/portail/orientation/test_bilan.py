"""What a profile gets at a place, summed up (aides/region.py, Bilan): aids au choix counted once, amounts kept
apart by unit, the best allowed combination of exclusive aids, percentages never added."""
import datetime

from aides.eligibilite.faits import Faits, Situation
from aides.eligibilite.moteur import evaluer
from aides.eligibilite.regles import lire_dossier
from aides.region import _meilleure_combinaison, bilan

DISPOSITIFS = lire_dossier()


def faits(profession: str, jour: datetime.date, zonages: dict, **situation) -> Faits:
    return Faits(code_insee="00001", nom_commune="Commune fictive de test", departement="00", population=None,
                 profession=profession, date=jour, zonages=zonages, qpv=False, situation=Situation(**situation))


def test_aides_au_choix_comptees_une_fois_la_meilleure():
    """A kiné installing in a very under-served zone: CACCMK (49 000 €) or CAIMK (34 000 €), not both."""
    resultats = evaluer(DISPOSITIFS, faits("masseur-kinesitherapeute", datetime.date(2024, 5, 1),
                                           {"masseur-kinesitherapeute": "TSD"}, etape="installation", mode="liberal"))
    statuts = {r.dispositif.code: r.statut for r in resultats}
    assert statuts["CACCMK"] == statuts["CAIMK"] == "au_choix"
    resume = bilan(resultats)
    assert resume.au_choix == 1
    assert resume.certaines == 1 + sum(1 for r in resultats if r.nature == "aide" and r.statut == "eligible")
    assert resume.total_certain.get("unique", 0) < 49000 + 34000
    assert resume.total_certain["unique"] >= 49000


def test_unites_jamais_additionnees_et_pourcentages_a_part():
    """A GP installing in a ZIP with a full situation: one-off, yearly… amounts each in their own unit; an aid in
    percent (a tax exemption) is counted as not summable."""
    resultats = evaluer(DISPOSITIFS, faits("medecin-generaliste", datetime.date(2026, 3, 1),
                                           {"medecin": "ZIP", "montagne": "NC", "frr": "PLUS"}, etape="installation",
                                           mode="liberal", secteur="1", premiere_installation=True, pdsa=True,
                                           demi_journees=8, exercice_coordonne="msp", regime_reel=True))
    resume = bilan(resultats)
    possibles = [r for r in resultats if r.nature == "aide" and r.statut in {"eligible", "au_choix", "a_preciser"}]
    en_pourcentage = [r for r in possibles if r.montant is not None and r.montant.unite == "pourcentage"]
    assert en_pourcentage, "un cas avec une exonération en pourcentage"
    assert "pourcentage" not in resume.total_possible and "pourcentage" not in resume.total_certain
    assert resume.non_chiffrees >= len(en_pourcentage)
    for unite, total in resume.total_certain.items():
        assert total <= resume.total_possible[unite]


def test_meilleure_combinaison_d_aides_exclusives():
    # A excludes B, B excludes C: A and C together beat B alone.
    assert _meilleure_combinaison({"A": 10, "B": 15, "C": 10}, {"A": {"B"}, "B": {"A", "C"}, "C": {"B"}}) == 20
    assert _meilleure_combinaison({"A": 10, "B": 25, "C": 10}, {"A": {"B"}, "B": {"A", "C"}, "C": {"B"}}) == 25
    assert _meilleure_combinaison({"A": 10, "B": 5}, {}) == 15


def test_rien_de_connu_reste_a_verifier():
    """No zonage loaded at all: a GP's zonage aids are to check, never « none »."""
    resume = bilan(evaluer(DISPOSITIFS, faits("medecin-generaliste", datetime.date(2026, 3, 1), {},
                                              etape="installation", mode="liberal")))
    assert resume.a_verifier > 0
