"""The eligibility engine, driven by the YAML case files in tests/aides/cas_eligibilite/, and the rule files' schema.

Every case names its source. Beyond what each case expects, every answer of every case is checked for what must
never happen: two exclusive schemes both plainly eligible, a reason that contradicts its status, a line said twice,
a level's label quoted inside a sentence, a wrong plural."""
import datetime
import re
from pathlib import Path

import pytest
import yaml

from aides.eligibilite.faits import Faits, Situation
from aides.eligibilite.logique import Verite, non, tous, un_au_moins
from aides.eligibilite.moteur import AU_CHOIX, ELIGIBLE, FERME, evaluer, exclusions_du_catalogue
from aides.eligibilite.regles import DOSSIER_REGLES, lire_dossier, lire_fichier, valider
from noyau.fichiers import FichierInvalide

DISPOSITIFS = lire_dossier()
CAS = [(f"{fichier.stem}: {cas['nom']}", cas) for fichier in sorted((Path(__file__).parent / "cas_eligibilite").glob("*.yaml"))
       for cas in yaml.safe_load(fichier.read_text(encoding="utf-8"))]


# Every scheme of the catalogue (aides-reference.md, §8 included), by family.
CATALOGUE = {
    "CAIM", "COSCOM", "COTRAM", "CSTM", "AM-AIDE-INSTALLATION", "AM-CABINET-SECONDAIRE",  # médecins, Assurance Maladie
    "AM-MAJORATION-MEDECIN-TRAITANT", "AM-ASSISTANT-MEDICAL",
    "PTMG", "PTMA", "PTMR", "PIAS", "CDE", "CESP", "DOCTEUR-JUNIOR", "MSU-DOCTEUR-JUNIOR",  # État
    "SOLIDARITE-TERRITORIALE",
    "ARS-MONTAGNE", "INTERNE-MONTAGNE", "MSU-MONTAGNE", "TRANSPORT-INTERNES", "HEBERGEMENT-INTERNES", "ARS-400-POSTES",
    "MSP-DEMARRAGE", "CDS-DEMARRAGE", "IPA", "AM-IPA-DEMARRAGE",  # ARS and State regional measures
    "REGION-MSP", "REGION-CDS",  # Région Occitanie
    "ACI-MSP", "ACI-CPTS",  # coordinated practice
    "EXONERATION-ZRR", "EXONERATION-ZFRR", "EXONERATION-PDSA", "EXONERATION-CFE",  # tax
    "CAPII", "CAII", "CAMI", "CACCMK", "CAIMK", "CAMMK", "CAPIO", "CAIO", "CAMO", "CAPISF", "CAISF", "CAMSF", "CAICD",
    "CAMCD",  # other professions
    "REGULATION-INFIRMIERS", "REGULATION-KINES", "REGULATION-DENTISTES",  # obligations
}
EXCLUSIONS = exclusions_du_catalogue(DISPOSITIFS)
# Never in a sentence: a level's label quoted as such ("classée « Classée … »"), a singular number with a plural unit.
LIBELLE_CITE = re.compile(r"classée « ")
MAUVAIS_PLURIEL = re.compile(r"(?<![\d\u202f,])[01] (ans|jours|demi-journées|habitants|mois révolus)\b")


def faits_du_cas(cas: dict) -> Faits:
    commune = cas.get("commune") or {}
    couches = commune.get("couches")
    return Faits(code_insee="00001", nom_commune="Commune fictive de test", departement=cas.get("departement", "00"),
                 population=commune.get("population"), profession=cas["profession"], date=cas["date"],
                 zonages=commune.get("zonages") or {}, qpv=commune.get("qpv"),
                 situation=Situation(**(cas.get("situation") or {})),
                 couches_en_vigueur=frozenset(couches) if couches is not None else None)


def espaces(texte: str) -> str:
    """French thousands separators (narrow no-break spaces) as plain spaces, for the cases' extracts."""
    return texte.replace("\u202f", " ").replace("\xa0", " ")


def verifier_la_redaction(resultats: dict):
    """What no answer may say, whatever the case."""
    for code, resultat in resultats.items():
        messages = [r.message for r in resultat.raisons]
        assert all(messages), code  # every condition explained
        assert len(messages) == len(set(messages)), (code, messages)  # no line said twice
        assert not [m for m in messages if LIBELLE_CITE.search(m) or MAUVAIS_PLURIEL.search(m)], (code, messages)
        if resultat.statut == "a_preciser":
            # "Condition non remplie" inside an "à préciser" only as a failed alternative, said as such.
            assert all(r.verite.value != "faux" or r.alternative for r in resultat.raisons), (code, messages)
        if resultat.statut in {ELIGIBLE, AU_CHOIX}:
            assert all(r.verite.value == "vrai" for r in resultat.raisons), (code, messages)
        if resultat.statut == FERME:
            assert len(resultat.raisons) == 1 and "Fermé aux nouvelles demandes depuis le" in messages[0]
    for code, autres in EXCLUSIONS.items():
        for autre in autres:  # exclusive schemes are never both plainly eligible
            assert not (code in resultats and autre in resultats
                        and resultats[code].statut == resultats[autre].statut == ELIGIBLE), (code, autre)


@pytest.mark.parametrize("nom, cas", CAS, ids=[nom for nom, _ in CAS])
def test_cas(nom, cas):
    assert str(cas.get("source") or "").strip(), "chaque cas nomme sa source"
    resultats = {r.dispositif.code: r for r in evaluer(DISPOSITIFS, faits_du_cas(cas))}
    for code in cas.get("absents", []):
        assert code not in resultats, f"{code} ne devrait pas être listé le {cas['date']}"
    for code, attendu in (cas.get("attendu") or {}).items():
        assert code in resultats, f"{code} devrait être listé le {cas['date']}"
        resultat = resultats[code]
        assert resultat.statut == attendu["statut"], [r.message for r in resultat.raisons]
        if "montant" in attendu:
            assert (resultat.montant.valeur if resultat.montant else None) == attendu["montant"]
        if "montant_a_preciser" in attendu:
            assert resultat.montant is not None and resultat.montant.a_preciser is attendu["montant_a_preciser"]
        if "montants_possibles" in attendu:
            assert [m.valeur for m in resultat.montants_possibles] == attendu["montants_possibles"]
        if "montant_verifie" in attendu:
            assert resultat.montant.verifie is attendu["montant_verifie"]
        if "questions" in attendu:
            assert [q.champ for q in resultat.questions] == attendu["questions"]
        messages = [espaces(r.message) for r in resultat.raisons]
        for extrait in [attendu[c] for c in ("raison_contient",) if c in attendu] + attendu.get("raisons_contiennent", []):
            assert any(espaces(extrait) in m for m in messages), messages
        if "non_cumulable_avec" in attendu:
            assert sorted(n.code for n in resultat.non_cumuls if n.statut) == sorted(attendu["non_cumulable_avec"])
        if "comparaison_contient" in attendu:
            assert espaces(attendu["comparaison_contient"]) in espaces(resultat.comparaison), resultat.comparaison
    verifier_la_redaction(resultats)


def test_assez_de_cas():
    assert len(CAS) >= 150


def test_chaque_borne_de_date_a_son_cas():
    """For every scheme: a case the day before its first version (not listed), at each version's start (at its
    start, after each change, at its closure), and the day after its last version when it ends (not listed)."""
    listes, absents = {}, {}
    for _, cas in CAS:
        for code in cas.get("attendu") or {}:
            listes.setdefault(code, set()).add(cas["date"])
        for code in cas.get("absents") or []:
            absents.setdefault(code, set()).add(cas["date"])
    manquants = []
    for d in DISPOSITIFS:
        premiere, derniere = d.versions[0], d.versions[-1]
        if premiere.valid_from and premiere.valid_from - datetime.timedelta(days=1) not in absents.get(d.code, set()):
            manquants.append(f"{d.code} : la veille du {premiere.valid_from} (non listé)")
        manquants += [f"{d.code} : le {v.valid_from}" for v in d.versions
                      if v.valid_from and v.valid_from not in listes.get(d.code, set())]
        if derniere.valid_to and derniere.valid_to + datetime.timedelta(days=1) not in absents.get(d.code, set()):
            manquants.append(f"{d.code} : le lendemain du {derniere.valid_to} (non listé)")
    assert not manquants, manquants


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
    (lambda d: d["sources"].update({"x": "https://exemple.org"}), "une source se cite par son titre"),
    (lambda d: d["sources"][next(iter(d["sources"]))].pop("titre"), "titre : texte non vide attendu"),
    (lambda d: d["versions"][0]["montants"][0].update(valeur=None, libelle=None), "dit pourquoi dans son libellé"),
    (lambda d: d.update(nature="conseil"), "nature : 'conseil' inconnue"),
    (lambda d: d.update(exclusions=[{"code": "AM-AIDE-INSTALLATION", "motif": "…"}]), "ne s'exclut pas lui-même"),
    (lambda d: d["versions"].append({"valid_from": datetime.date(2030, 1, 1), "sources": ["ameli-convention-2024"],
                                     "ferme": {"remplace_par": []}, "montants": []}), "une version fermée n'a ni"),
    (lambda d: d["versions"].append({"valid_from": None, "valid_to": datetime.date(2025, 1, 1),
                                     "sources": ["ameli-convention-2024"], "ferme": {}}), "date de fermeture"),
])
def test_schema_refuse_les_regles_fautives(modification, attendu):
    donnees = yaml.safe_load((DOSSIER_REGLES / "AM-AIDE-INSTALLATION.yaml").read_text(encoding="utf-8"))
    modification(donnees)
    assert any(attendu in p for p in valider(donnees)), valider(donnees)


def test_un_dispositif_ferme_n_a_pas_de_regle_ouverte():
    """Closed to new requests: no open rule on the date (pages and the dashboard list open rules), its closure
    instead."""
    ptmg = next(d for d in DISPOSITIFS if d.code == "PTMG")
    jour = datetime.date(2023, 1, 1)
    assert ptmg.version_le(jour) is None and ptmg.fermeture_le(jour).ferme.remplace_par == ("CDE",)
    avant = datetime.date(2020, 12, 24)
    assert ptmg.version_le(avant).montants and ptmg.fermeture_le(avant) is None


def test_catalogue_refuse_un_dispositif_inconnu(tmp_path):
    """An exclusion or a replacement names a scheme of the catalogue: checked across the files."""
    document = yaml.safe_load((DOSSIER_REGLES / "CAPII.yaml").read_text(encoding="utf-8"))
    document["exclusions"][0]["code"] = "CAII-INEXISTANT"
    (tmp_path / "CAPII.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FichierInvalide, match="exclusion de 'CAII-INEXISTANT', dispositif inconnu"):
        lire_dossier(tmp_path)


def test_aucun_identifiant_interne_dans_les_sources():
    """Sources are cited by title, publisher and date: no "W15", "S4" nor seed file name anywhere a user reads."""
    interne = re.compile(r"\b[WSV]\d{1,2}\b|Seed|seed|\d{3}_[0-9a-f]{16}")
    for d in DISPOSITIFS:
        textes = [d.nom, d.resume, *(e.motif for e in d.exclusions)]
        textes += [t for s in d.sources.values() for t in (s.titre, s.editeur, s.date)]
        textes += [t for v in d.versions for t in (v.note, *(m.libelle or "" for m in v.montants))]
        assert not [t for t in textes if interne.search(t)], d.code
        assert all(s.titre and s.editeur and s.date for s in d.sources.values()), d.code


def test_sources_officielles_d_abord():
    version = next(d for d in DISPOSITIFS if d.code == "AM-AIDE-INSTALLATION").versions[0]
    sources = next(d for d in DISPOSITIFS if d.code == "AM-AIDE-INSTALLATION").sources_de(version)
    officielles = [s.officielle for s in sources]
    assert officielles == sorted(officielles, reverse=True) and officielles[0] and not officielles[-1]
    assert sources[0].url.startswith("https://www.ameli.fr/")


def test_fichier_yaml_illisible(tmp_path):
    chemin = tmp_path / "X.yaml"
    chemin.write_text("code: X\nnom: [non fermé\n")
    with pytest.raises(FichierInvalide, match="YAML invalide"):
        lire_fichier(chemin)


def test_le_moteur_n_interroge_pas_la_base(django_assert_num_queries, db):
    with django_assert_num_queries(0):
        evaluer(DISPOSITIFS, faits_du_cas(CAS[0][1]))
