"""Evaluating every scheme listed on the date for one case. Pure: no database, no I/O.

A scheme with no version on the date is not listed. A closed version answers "fermé" (with what replaced it).
Schemes that exclude each other (declared once, on either side) are told so; when both are plainly eligible, neither
is "eligible": both are "au choix", with a sentence saying which is worth more."""
from dataclasses import dataclass, replace

from . import conditions
from .faits import Faits
from .logique import Verite
from .predicats import Question, Raison, date_en_francais, minuscule
from .regles import OBLIGATION, UNITES, Dispositif, Montant, Version

ELIGIBLE, AU_CHOIX, A_PRECISER, NON_ELIGIBLE, FERME = "eligible", "au_choix", "a_preciser", "non_eligible", "ferme"
STATUTS = {Verite.VRAI: ELIGIBLE, Verite.FAUX: NON_ELIGIBLE, Verite.INCONNU: A_PRECISER}
ORDRE = {ELIGIBLE: 0, AU_CHOIX: 1, A_PRECISER: 2, NON_ELIGIBLE: 3, FERME: 4}
POSSIBLES = {ELIGIBLE, AU_CHOIX, A_PRECISER}
# An obligation is a constraint of the place: its reasons say what it targets, not what an aid asks.
MOTS_OBLIGATION = (("l'aide demande", "la contrainte vise"), ("l'aide vise", "la contrainte vise"),
                   ("l'aide exclut", "la contrainte exclut"), ("l'aide est exclue", "la contrainte ne s'applique pas"))


@dataclass(frozen=True)
class NonCumul:
    """Another scheme this one cannot be cumulated with, and how it stands on the date."""

    code: str
    nom: str
    motif: str
    statut: str | None  # None: not listed on the date

    @property
    def possible(self) -> bool:
        return self.statut in POSSIBLES


@dataclass(frozen=True)
class ResultatAide:
    dispositif: Dispositif
    version: Version
    statut: str
    montant: Montant | None
    montants_possibles: tuple[Montant, ...]  # when the amount depends on a fact still unknown
    raisons: tuple[Raison, ...]
    questions: tuple[Question, ...]
    non_cumuls: tuple[NonCumul, ...] = ()
    comparaison: str = ""  # with the exclusive schemes still possible: which is worth more, or why it cannot be said

    @property
    def nature(self) -> str:
        return self.dispositif.nature


def montant_en_texte(montant: Montant | None) -> str:
    """10000, "unique" → "10 000 € (versement unique)"; "10 %"; "montant à préciser"."""
    if montant is None or montant.valeur is None:
        return "montant à préciser"
    valeur = f"{montant.valeur:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    if montant.unite == "pourcentage":
        return f"{valeur} %"
    return f"{valeur} € ({UNITES[montant.unite]})"


def _montant(version: Version, faits: Faits) -> tuple[Montant | None, tuple[Montant, ...], list[Question]]:
    """The first variant whose condition holds; while an earlier one is unknown, the candidates instead, and the
    questions that would choose between them."""
    possibles, questions = [], []
    for montant in version.montants:
        if montant.condition is None:
            verite = Verite.VRAI
        else:
            verite, _, questions_montant = conditions.evaluer(montant.condition, faits)
            questions += questions_montant
        if verite == Verite.VRAI:
            return (montant, (), []) if not possibles else (None, (*possibles, montant), questions)
        if verite == Verite.INCONNU:
            possibles.append(montant)
    return None, tuple(possibles), questions


def _fermeture(version: Version, noms: dict[str, str]) -> Raison:
    phrase = f"Fermé aux nouvelles demandes depuis le {date_en_francais(version.valid_from)}"
    if version.ferme.remplace_par:
        remplacants = [minuscule(noms.get(code, code)) for code in version.ferme.remplace_par]
        phrase += ", remplacé par : " + (remplacants[0] if len(remplacants) == 1
                                         else ", ".join(remplacants[:-1]) + " et " + remplacants[-1])
    texte = f" {version.ferme.texte}" if version.ferme.texte else ""
    return Raison("fermeture", Verite.FAUX, f"{phrase}.{texte}")


def _sans_doublons(raisons: list[Raison]) -> tuple[Raison, ...]:
    """A reason given by two branches of the tree (the same fact read twice) is said once; so is an unknown zonage
    (its first sentence names the levels of the main branch)."""
    uniques = {}
    for r in raisons:
        inconnu_de_zonage = r.verite == Verite.INCONNU and r.critere.startswith("zonage:")
        uniques.setdefault((r.critere, r.verite) if inconnu_de_zonage else (r.critere, r.message, r.verite), r)
    return tuple(uniques.values())


def evaluer_dispositif(dispositif: Dispositif, faits: Faits, noms: dict[str, str] | None = None) -> ResultatAide | None:
    """None when the scheme has no version on the date (it is then not listed). `noms`: names of the other schemes,
    to name what replaced a closed one. None too for a regional scheme of another region than the commune's."""
    if not dispositif.s_applique_dans(faits.region):
        return None
    if (fermee := dispositif.fermeture_le(faits.date)) is not None:
        return ResultatAide(dispositif, fermee, FERME, None, (), (_fermeture(fermee, noms or {}),), ())
    version = dispositif.version_le(faits.date)
    if version is None:
        return None
    verite, raisons, questions = conditions.evaluer(version.conditions, faits)
    statut = STATUTS[verite]
    montant, possibles, questions_montant = (None, (), []) if statut == NON_ELIGIBLE else _montant(version, faits)
    uniques = {q.champ: q for q in questions + questions_montant}  # in order of appearance, each once
    if dispositif.nature == OBLIGATION:
        raisons = [replace(r, message=_en_contrainte(r.message)) for r in raisons]
    return ResultatAide(dispositif, version, statut, montant, possibles, _sans_doublons(raisons),
                        tuple(uniques.values()))


def _en_contrainte(message: str) -> str:
    for aide, contrainte in MOTS_OBLIGATION:
        message = message.replace(aide, contrainte)
    return message


def exclusions_du_catalogue(dispositifs: list[Dispositif]) -> dict[str, dict[str, str]]:
    """{code: {excluded code: motif}}, both ways: an exclusion is declared once, on either side."""
    paires: dict[str, dict[str, str]] = {}
    for d in dispositifs:
        for e in d.exclusions:
            paires.setdefault(d.code, {})[e.code] = e.motif
            paires.setdefault(e.code, {}).setdefault(d.code, e.motif)
    return paires


def comparer(resultats: list[ResultatAide]) -> str:
    """Which of exclusive schemes, all still possible, is worth more; or why the portal cannot say."""
    inconnus = [r.dispositif.nom_court for r in resultats if r.montant is None or r.montant.valeur is None]
    connus = sorted((r for r in resultats if r.montant is not None and r.montant.valeur is not None),
                    key=lambda r: -r.montant.valeur)
    phrases = []
    if len(connus) > 1:
        details = " ; ".join(f"{r.dispositif.nom_court}, {montant_en_texte(r.montant)}" for r in connus)
        if len({r.montant.unite for r in connus}) > 1:
            phrases.append(f"Les montants ne se comparent pas directement : {details}. Comparez-les sur la durée de "
                           "chaque contrat.")
        elif connus[0].montant.valeur == connus[-1].montant.valeur:
            phrases.append(f"Même montant : {details}.")
        else:
            phrases.append(f"{connus[0].dispositif.nom_court} vaut le plus : {details}.")
    if inconnus:
        phrases.append(f"Montant à préciser : {', '.join(inconnus)}.")
    return " ".join(phrases)


def evaluer(dispositifs: list[Dispositif], faits: Faits) -> list[ResultatAide]:
    """Every scheme listed on the date: eligible first, then au choix, to be specified, not eligible, and closed
    (those of the profession only)."""
    noms = {d.code: d.nom_court for d in dispositifs}
    noms_complets = {d.code: d.nom for d in dispositifs}
    resultats = [r for d in dispositifs if (r := evaluer_dispositif(d, faits, noms_complets))
                 and (r.statut != FERME or faits.profession in d.professions)]
    par_code = {r.dispositif.code: r for r in resultats}
    professions = {d.code: d.professions for d in dispositifs}
    paires = exclusions_du_catalogue(dispositifs)

    def autres(r: ResultatAide) -> dict[str, str]:
        # Said only of the schemes the profession could have (the CAICD is no concern of a doctor's).
        if r.statut == FERME:
            return {}
        return {code: motif for code, motif in paires.get(r.dispositif.code, {}).items()
                if not faits.profession or faits.profession in professions.get(code, ())}
    # Two exclusive schemes both eligible are both "au choix"; then each says how the others stand.
    statuts = {code: AU_CHOIX if r.statut == ELIGIBLE and any(
        par_code.get(autre) and par_code[autre].statut == ELIGIBLE for autre in autres(r)) else r.statut
        for code, r in par_code.items()}
    final = []
    for r in resultats:
        non_cumuls = tuple(NonCumul(code, noms.get(code, code), motif, statuts.get(code))
                           for code, motif in autres(r).items())
        rivaux = [par_code[n.code] for n in non_cumuls if n.possible] if r.statut in POSSIBLES else []
        final.append(replace(r, statut=statuts[r.dispositif.code], non_cumuls=non_cumuls,
                             comparaison=comparer([r, *rivaux]) if rivaux else ""))
    return sorted(final, key=lambda r: (ORDRE[r.statut], r.dispositif.code))
