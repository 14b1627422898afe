"""The compiled engine keeps answers by the facts each predicate says it reads (predicats.Lecture): what it keeps must
never be another case's answer. Checked two ways: each predicate's reading changes whenever its answer does, and
a long run of varied cases answers exactly as fresh compilations that remember nothing."""
import dataclasses
import datetime
import random

import pytest

from aides.eligibilite import conditions, moteur
from aides.eligibilite.faits import COUCHE_QPV, PROFESSIONS, Faits, Situation
from aides.eligibilite.predicats import LECTURES, REGISTRE
from aides.eligibilite.regles import lire_dossier
from aides.eligibilite.vocabulaire import CHOIX, ENTIER, FAITS, OUI_NON
from zonages.niveaux import TYPES

DISPOSITIFS = lire_dossier()
DATES = [datetime.date(2021, 6, 1), datetime.date(2024, 6, 30), datetime.date(2024, 7, 1), datetime.date(2026, 3, 1),
         datetime.date(2027, 6, 1)]


def parametres_du_catalogue() -> dict[str, list]:
    """Every parameter each predicate is given in the rule files."""
    trouves: dict[str, list] = {}

    def parcourir(condition):
        (cle, valeur), = condition.items()
        if cle in {"all", "any"}:
            for sous in valeur:
                parcourir(sous)
        elif cle == "not":
            parcourir(valeur)
        elif valeur not in trouves.setdefault(cle, []):
            trouves[cle].append(valeur)
    for d in DISPOSITIFS:
        for v in d.versions:
            for condition in [v.conditions, *(m.condition for m in v.montants)]:
                if condition:
                    parcourir(condition)
    return trouves


def valeur_au_hasard(fait, hasard: random.Random):
    if hasard.random() < 0.4:
        return None
    if fait.nature == CHOIX:
        return hasard.choice(list(fait.choix))
    if fait.nature == OUI_NON:
        return hasard.random() < 0.5
    bas = fait.minimum or 0
    haut = min(fait.maximum if fait.maximum is not None else bas + 60, bas + 60)
    valeur = hasard.uniform(bas, haut)
    return int(valeur) if fait.nature == ENTIER else round(valeur, 1)


def faits_au_hasard(hasard: random.Random) -> Faits:
    zonages = {code: hasard.choice([None, *(n.code for n in t.niveaux)]) for code, t in TYPES.items()
               if hasard.random() < 0.85}
    couches = None if hasard.random() < 0.2 else frozenset(
        c for c in [*TYPES, COUCHE_QPV] if hasard.random() < 0.8)
    return Faits(code_insee="00001", nom_commune=hasard.choice(["Commune fictive A", "Commune fictive B"]),
                 departement=hasard.choice(["09", "34", "82", "00"]), population=hasard.choice([None, 90, 2400, 90000]),
                 profession=hasard.choice(list(PROFESSIONS)), date=hasard.choice(DATES), zonages=zonages,
                 qpv=hasard.choice([None, True, False]), couches_en_vigueur=couches,
                 situation=Situation(**{nom: valeur_au_hasard(f, hasard) for nom, f in FAITS.items()}))


def variantes(faits: Faits, hasard: random.Random) -> list[Faits]:
    """The same case with one fact changed, for every fact."""
    autre = faits_au_hasard(hasard)
    cas = [dataclasses.replace(faits, **{champ.name: getattr(autre, champ.name)})
           for champ in dataclasses.fields(Faits) if champ.name != "situation"]
    cas += [dataclasses.replace(faits, situation=dataclasses.replace(faits.situation, **{nom: getattr(autre.situation, nom)}))
            for nom in FAITS]
    return cas


@pytest.mark.parametrize("nom", sorted(parametres_du_catalogue()))
def test_chaque_predicat_declare_ce_qu_il_lit(nom):
    """Two cases whose reading is the same get the same sentence: a predicate reading a fact it does not declare
    would have an answer of another case kept for this one."""
    hasard = random.Random(nom)
    for parametre in parametres_du_catalogue()[nom]:
        lecture = LECTURES[nom](parametre).lire
        for _ in range(60):
            faits = faits_au_hasard(hasard)
            for variante in variantes(faits, hasard):
                if lecture(variante) == lecture(faits):
                    assert REGISTRE[nom](variante, parametre) == REGISTRE[nom](faits, parametre), (nom, parametre)


def test_ce_qui_est_garde_ne_sert_qu_aux_memes_faits(monkeypatch):
    """A long run of cases, many sharing facts (kept answers are used), then each case again with memories so
    small that nothing is kept: the same answers, field by field."""
    hasard = random.Random(16)
    cas = [faits_au_hasard(hasard) for _ in range(300)]
    cas += [dataclasses.replace(f, profession=p) for f in cas[:30] for p in PROFESSIONS]
    gardes = [moteur.evaluer(DISPOSITIFS, f) for f in cas]
    monkeypatch.setattr(conditions, "MEMOIRE_PAR_NOEUD", 1)
    monkeypatch.setattr(moteur, "RESULTATS_PAR_VERSION", 1)
    for faits, attendu in zip(cas, gardes):
        conditions._compilees.clear()
        moteur._compilees.clear()
        moteur._catalogues.clear()
        assert moteur.evaluer(DISPOSITIFS, faits) == attendu


def test_une_version_se_compile_une_fois():
    version = next(d for d in DISPOSITIFS if d.code == "AM-AIDE-INSTALLATION").versions[-1]
    dispositif = next(d for d in DISPOSITIFS if d.code == "AM-AIDE-INSTALLATION")
    assert moteur._compilee(dispositif, version) is moteur._compilee(dispositif, version)
    assert conditions.compiler({"mode": ["liberal", "mixte"]}) is conditions.compiler({"mode": ["liberal", "mixte"]})
