"""Evaluating every scheme listed on the date for one case. Pure: no database, no I/O.

A scheme with no version on the date is not listed. A closed version answers "fermé" (with what replaced it).
Schemes that exclude each other (declared once, on either side) are told so; when both are plainly eligible, neither
is "eligible": both are "au choix", with a sentence saying which is worth more."""
from dataclasses import dataclass, replace

from . import conditions
from .faits import Faits
from .logique import Verite
from .predicats import LECTURES, Question, Raison, date_en_francais, minuscule
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


def _montant(montants: tuple[Montant, ...], verites: list[Verite], questions_variantes: list[tuple]
             ) -> tuple[Montant | None, tuple[Montant, ...], list[Question]]:
    """The first variant whose condition holds; while an earlier one is unknown, the candidates instead, and the
    questions that would choose between them. `verites` and `questions_variantes`: each variant's condition's
    answer (true without a condition)."""
    possibles, questions = [], []
    for montant, verite, questions_montant in zip(montants, verites, questions_variantes):
        questions += questions_montant
        if verite is Verite.VRAI:
            return (montant, (), []) if not possibles else (None, (*possibles, montant), questions)
        if verite is Verite.INCONNU:
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


def _cle_doublon(r: Raison) -> tuple:
    inconnu_de_zonage = r.verite is Verite.INCONNU and r.critere.startswith("zonage:")
    return (r.critere, r.verite) if inconnu_de_zonage else (r.critere, r.message, r.verite)


def _sans_doublons(raisons: list[Raison]) -> tuple[Raison, ...]:
    """A reason given by two branches of the tree (the same fact read twice) is said once; so is an unknown zonage
    (its first sentence names the levels of the main branch)."""
    uniques = {}
    for r in raisons:
        uniques.setdefault(_cle_doublon(r), r)
    return tuple(uniques.values())


VRAI, FAUX, INCONNU = Verite.VRAI, Verite.FAUX, Verite.INCONNU
RESULTATS_PAR_VERSION = 512  # answers kept per version: the facts of a few hundred communes


class _Compilee:
    """One version of one scheme, compiled once: its conditions and amount variants as functions of the facts
    (conditions.compiler), and its recent answers, kept by the facts they read. The profession, read first by most
    rules, is evaluated apart: the rest of the tree then answers alike for every profession, and what follows from
    it (reasons said once, amount, questions) is worked out once (a `_Gabarit`); a profession's answer puts its
    reason in front."""

    def __init__(self, dispositif: Dispositif, version: Version):
        self.dispositif, self.version = dispositif, version
        (cle, valeur), = version.conditions.items()
        if cle == "all" and len(valeur) > 1 and list(valeur[0]) == ["profession"]:
            self.professions: frozenset[str] | None = frozenset(valeur[0]["profession"])
            self.profession = conditions.compiler(valeur[0]).evaluer
            self.reste = conditions.compiler({"all": valeur[1:]})
        else:
            self.professions, self.profession = None, None
            self.reste = conditions.compiler(version.conditions)
        self.montants = tuple(version.montants)
        self.conditions_montants = [(i, conditions.compiler(m.condition)) for i, m in enumerate(self.montants)
                                    if m.condition is not None]
        parties = [self.reste, *(c for _, c in self.conditions_montants)]
        self.parties = [partie.evaluer for partie in parties]
        self.cle = conditions.cle_de(tuple(sorted({i for p in parties for i in p.lectures})))
        self.obligation = dispositif.nature == OBLIGATION
        self.contraintes: dict = {}  # an obligation's profession reasons, said as a constraint
        self.memoire: dict = {}

    def evaluer(self, faits: Faits, valeurs: list) -> ResultatAide:
        """`valeurs`: the case's readings (conditions.lire)."""
        cle = self.cle(valeurs)
        gabarit = self.memoire.get(cle)
        if gabarit is None:
            gabarit = self._gabarit([partie(faits, valeurs) for partie in self.parties])
            if len(self.memoire) >= RESULTATS_PAR_VERSION:
                self.memoire.clear()
            self.memoire[cle] = gabarit
        if self.profession is None:
            return gabarit.seul
        (verite, (raison,), _) = self.profession(faits, valeurs)
        # An `all` of the profession (true or false, never unknown) and of the rest.
        if verite is FAUX or gabarit.verite is FAUX:
            statut, montant, possibles, questions = NON_ELIGIBLE, None, (), ()
        elif gabarit.verite is INCONNU:
            statut, montant, possibles, questions = (A_PRECISER, gabarit.montant, gabarit.possibles,
                                                     gabarit.questions_si_inconnu)
        else:
            statut, montant, possibles, questions = (ELIGIBLE, gabarit.montant, gabarit.possibles,
                                                     gabarit.questions_si_vrai)
        if self.obligation:
            raison = self._en_contrainte(raison)
        if raison.critere in gabarit.criteres:  # the profession read again further down: said once
            cle_raison = _cle_doublon(raison)
            raisons = (raison, *(r for r in gabarit.raisons if _cle_doublon(r) != cle_raison))
        else:
            raisons = (raison, *gabarit.raisons)
        return ResultatAide(self.dispositif, self.version, statut, montant, possibles, raisons, questions)

    def _en_contrainte(self, raison: Raison) -> Raison:
        trouvee = self.contraintes.get(id(raison))
        if trouvee is None:  # kept with the reason it was made from, so that its id stays its own
            if len(self.contraintes) >= 64:
                self.contraintes.clear()
            trouvee = self.contraintes[id(raison)] = (raison, replace(raison, message=_en_contrainte(raison.message)))
        return trouvee[1]

    def _gabarit(self, parties: list) -> "_Gabarit":
        (verite, raisons, questions), variantes = parties[0], parties[1:]
        verites, questions_variantes = [VRAI] * len(self.montants), [()] * len(self.montants)
        for (i, _), (verite_montant, _, questions_de) in zip(self.conditions_montants, variantes):
            verites[i], questions_variantes[i] = verite_montant, questions_de
        montant, possibles, questions_montant = _montant(self.montants, verites, questions_variantes)
        if self.obligation:
            raisons = [replace(r, message=_en_contrainte(r.message)) for r in raisons]
        raisons = _sans_doublons(raisons)
        # The questions in order of appearance, each once.
        si_vrai = tuple({q.champ: q for q in questions_montant}.values())
        si_inconnu = tuple({q.champ: q for q in (*questions, *questions_montant)}.values())
        gabarit = _Gabarit(verite, raisons, {r.critere for r in raisons}, montant, possibles, si_vrai, si_inconnu,
                           None)
        if self.profession is None:  # the whole tree: its answer as it is
            statut = STATUTS[verite]
            if statut == NON_ELIGIBLE:
                montant, possibles, retenues = None, (), ()
            else:
                retenues = si_inconnu if verite is INCONNU else si_vrai
            gabarit.seul = ResultatAide(self.dispositif, self.version, statut, montant, possibles, raisons, retenues)
        return gabarit


@dataclass
class _Gabarit:
    """What the rest of a tree and the amount variants answer, and what follows from it."""

    verite: Verite
    raisons: tuple[Raison, ...]  # said once each
    criteres: set[str]  # of those reasons
    montant: Montant | None
    possibles: tuple[Montant, ...]
    questions_si_vrai: tuple[Question, ...]  # when the whole tree is true: the amount's questions
    questions_si_inconnu: tuple[Question, ...]  # when it is unknown: the tree's, then the amount's
    seul: ResultatAide | None  # without a profession part: the answer


_compilees: dict[tuple[int, int], _Compilee] = {}
VERSIONS_COMPILEES = 2048  # a catalogue has about a hundred versions: room for the catalogues of many rule changes


def _compilee(dispositif: Dispositif, version: Version) -> _Compilee:
    """Compiled once per scheme and version objects (kept with it, so that their ids are never others' while it is
    here)."""
    compilee = _compilees.get((id(dispositif), id(version)))
    if compilee is None or compilee.version is not version or compilee.dispositif is not dispositif:
        compilee = _Compilee(dispositif, version)
        if len(_compilees) >= VERSIONS_COMPILEES:
            _compilees.clear()
        _compilees[id(dispositif), id(version)] = compilee
    return compilee


def feuilles_du_lieu(dispositifs: list[Dispositif], jour, profession: str) -> list[tuple[str, object]]:
    """The leaves (predicate, parameter) that read facts of the place (zonages, QPV, département, population) in the
    rules open on `jour` that can apply to `profession` (a rule whose profession part excludes it answers "non
    éligible" anywhere), once each. Two places where each of these leaves is as true, false or unknown get the same
    statuses and amounts for the profession (their sentences differ by the commune's name)."""
    feuilles: dict[str, tuple[str, object]] = {}
    for compilee, ferme in _catalogue(dispositifs).liste(jour, profession).entrees:
        if ferme is not None or (compilee.professions is not None and profession not in compilee.professions):
            continue
        for condition in [compilee.version.conditions, *(m.condition for m in compilee.montants)]:
            if condition is not None:
                for nom, parametre in conditions.feuilles(condition):
                    if LECTURES[nom](parametre).du_lieu:
                        feuilles.setdefault(f"{nom}:{parametre!r}", (nom, parametre))
    return list(feuilles.values())


def _ferme(dispositif: Dispositif, fermee: Version, noms: dict[str, str]) -> ResultatAide:
    return ResultatAide(dispositif, fermee, FERME, None, (), (_fermeture(fermee, noms),), ())


def evaluer_dispositif(dispositif: Dispositif, faits: Faits, noms: dict[str, str] | None = None) -> ResultatAide | None:
    """None when the scheme has no version on the date (it is then not listed). `noms`: names of the other schemes,
    to name what replaced a closed one. None too for a regional scheme of another region than the commune's."""
    if not dispositif.s_applique_dans(faits.region):
        return None
    if (fermee := dispositif.fermeture_le(faits.date)) is not None:
        return _ferme(dispositif, fermee, noms or {})
    version = dispositif.version_le(faits.date)
    if version is None:
        return None
    compilee = _compilee(dispositif, version)  # first: it may declare readings
    return compilee.evaluer(faits, conditions.lire(faits))


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


class _Catalogue:
    """What `evaluer` reads of a list of schemes whatever the case, worked out once per list: names, professions,
    exclusions, and what is listed on each date for each profession."""

    def __init__(self, dispositifs: list[Dispositif]):
        self.dispositifs = tuple(dispositifs)  # kept: their ids stay theirs while this is cached
        self.noms = {d.code: d.nom_court for d in dispositifs}
        self.noms_complets = {d.code: d.nom for d in dispositifs}
        self.professions = {d.code: d.professions for d in dispositifs}
        self.par_code = {d.code: d for d in dispositifs}
        self.paires = exclusions_du_catalogue(dispositifs)
        self._listes: dict = {}
        self._lectures: dict = {}

    def autres(self, code: str, profession: str, region: str | None = None) -> dict[str, str]:
        """The schemes `code` cannot be cumulated with, said only of those the profession could have (the CAICD is
        no concern of a doctor's) that apply in the region (another region's ARS aid is not named there)."""
        return {autre: motif for autre, motif in self.paires.get(code, {}).items()
                if (not profession or profession in self.professions.get(autre, ()))
                and autre in self.par_code and self.par_code[autre].s_applique_dans(region)}

    def liste(self, jour, profession: str, region: str | None = None) -> "_Liste":
        cle = (jour, profession, region)
        liste = self._listes.get(cle)
        if liste is None:
            if len(self._listes) >= 256:
                self._listes.clear()
            liste = self._listes[cle] = self._lister(jour, profession, region)
        return liste

    def lectures_du_lieu(self, jour, profession: str, region: str | None, toutes_professions: bool) -> list:
        """The readings of the place (lecture functions) of the schemes listed for the case that are open to the
        profession (all of them with `toutes_professions`), once each; whatever their profession part answers,
        since their reasons are said all the same."""
        cle = (jour, profession, region, toutes_professions)
        lectures = self._lectures.get(cle)
        if lectures is None:
            uniques: dict[str, object] = {}
            for compilee, _ in self.liste(jour, profession, region).entrees:
                if compilee is None or not (toutes_professions or profession in compilee.dispositif.professions):
                    continue
                for condition in [compilee.version.conditions, *(m.condition for m in compilee.montants)]:
                    for nom, parametre in conditions.feuilles(condition) if condition is not None else ():
                        lecture = LECTURES[nom](parametre)
                        if lecture.du_lieu:
                            uniques.setdefault(f"{nom}:{parametre!r}", lecture.lire)
            if len(self._lectures) >= 256:
                self._lectures.clear()
            lectures = self._lectures[cle] = list(uniques.values())
        return lectures

    def _lister(self, jour, profession: str, region: str | None) -> "_Liste":
        entrees, autres = [], {}
        for d in sorted(self.dispositifs, key=lambda d: d.code):  # then sorted by status only: by code within one
            if not d.s_applique_dans(region):  # a regional scheme of another region is not listed there
                continue
            if (fermee := d.fermeture_le(jour)) is not None:
                if profession in d.professions:  # a closed scheme is said to its professions only
                    entrees.append((None, _ferme(d, fermee, self.noms_complets)))
            elif (version := d.version_le(jour)) is not None:
                entrees.append((_compilee(d, version), None))
                if exclus := self.autres(d.code, profession, region):
                    autres[d.code] = exclus
        index = {(c or f).dispositif.code: i for i, (c, f) in enumerate(entrees)}
        exclusifs = [index[code] for code in autres]
        concernes = sorted({*exclusifs, *(index[a] for exclus in autres.values() for a in exclus if a in index)})
        return _Liste(entrees, autres, exclusifs, concernes)


@dataclass(frozen=True)
class _Liste:
    """The schemes listed on a date for a profession, by code: (compiled open version, None) or (None, its "fermé"
    answer); the open ones that cannot be cumulated with others the profession could have, with those others."""

    entrees: list[tuple[_Compilee | None, ResultatAide | None]]
    autres: dict[str, dict[str, str]]  # {code: {excluded code: motif}} of the open schemes that have some
    exclusifs: list[int]  # their indexes in `entrees`
    concernes: list[int]  # theirs and those of the schemes they name


_catalogues: dict[tuple[int, ...], _Catalogue] = {}


def _catalogue(dispositifs: list[Dispositif]) -> _Catalogue:
    cle = tuple(map(id, dispositifs))
    catalogue = _catalogues.get(cle)
    if catalogue is None:
        if len(_catalogues) >= 16:
            _catalogues.clear()
        catalogue = _catalogues[cle] = _Catalogue(dispositifs)
    return catalogue


def ce_que_lit_le_lieu(dispositifs: list[Dispositif], faits: Faits, toutes_professions: bool = False) -> tuple:
    """What the schemes listed for this case and open to its profession (or all of them) read of the place
    (zonages, QPV, département, population, and the commune's name where a sentence says it): two cases of the same
    profession, date, region and situation that read the same get the same answers from those schemes."""
    lectures = _catalogue(dispositifs).lectures_du_lieu(faits.date, faits.profession, faits.region, toutes_professions)
    return tuple(lire(faits) for lire in lectures)


def evaluer(dispositifs: list[Dispositif], faits: Faits) -> list[ResultatAide]:
    """Every scheme listed on the date: eligible first, then au choix, to be specified, not eligible, and closed
    (those of the profession only)."""
    catalogue = _catalogue(dispositifs)
    liste = catalogue.liste(faits.date, faits.profession, faits.region)
    valeurs = conditions.lire(faits)  # every fact read once for all the schemes (once they are compiled)
    resultats = [compilee.evaluer(faits, valeurs) if ferme is None else ferme for compilee, ferme in liste.entrees]
    if liste.exclusifs:
        resultats = _non_cumuls(resultats, liste, catalogue.noms)
    return sorted(resultats, key=lambda r: ORDRE[r.statut])


def _non_cumuls(resultats: list[ResultatAide], liste: _Liste, noms: dict[str, str]) -> list[ResultatAide]:
    """Two exclusive schemes both eligible are both "au choix"; then each says how the others stand. Only the
    schemes with exclusions, and those they name, are looked at."""
    par_code = {resultats[i].dispositif.code: resultats[i] for i in liste.concernes}
    statuts: dict[str, str | None] = {}
    for code, r in par_code.items():
        exclusives = liste.autres.get(code, ()) if r.statut != FERME else ()
        statuts[code] = AU_CHOIX if r.statut == ELIGIBLE and any(
            par_code.get(autre) and par_code[autre].statut == ELIGIBLE for autre in exclusives) else r.statut
    final = list(resultats)
    for i in liste.exclusifs:
        r = resultats[i]
        non_cumuls = tuple(NonCumul(code, noms.get(code, code), motif, statuts.get(code))
                           for code, motif in liste.autres[r.dispositif.code].items())
        rivaux = [par_code[n.code] for n in non_cumuls if n.possible] if r.statut in POSSIBLES else []
        final[i] = ResultatAide(r.dispositif, r.version, statuts[r.dispositif.code], r.montant, r.montants_possibles,
                                r.raisons, r.questions, non_cumuls, comparer([r, *rivaux]) if rivaux else "")
    return final
