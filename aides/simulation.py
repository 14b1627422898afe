"""One simulation: gather the facts of a case from the database (zonages on the date, the layers in force, QPV), run
the pure engine on the stored catalogue, and attach the contacts. Shared by the API and the "Mes aides" pages."""
import datetime
from dataclasses import dataclass, replace

from django.db.models import Q, Value

from noyau.cache_generations import MemoireLocale, en_cache
from territoires.models import Commune
from zonages.consultation import en_vigueur, qpv_de_la_commune, zonages_de
from zonages.models import QPV, Zonage
from zonages.niveaux import TYPES, VERIFIER_QPV
from zonages.qpv import qpv_au_point

from . import catalogue
from .annuaire import interlocuteur
from .eligibilite.faits import COUCHE_QPV, PROFESSIONS, Faits, Situation
from .eligibilite.logique import Verite
from .eligibilite.moteur import (
    A_PRECISER,
    AU_CHOIX,
    FERME,
    POSSIBLES,
    ResultatAide,
    evaluer,
    montant_en_texte,
)
from .eligibilite.predicats import date_en_francais
from .eligibilite.regles import AIDE, NATURES, OBLIGATION, UNITES
from .eligibilite.vocabulaire import FAITS, LIEU
from .models import Contact

# Open questions are offered most decisive first, in the order the facts are declared.
RANGS = {nom: i for i, nom in enumerate((*FAITS, *LIEU))}
# The zonage kind that classes each profession's place of practice (the médecins' zonage serves every doctor).
ZONAGE_DE_LA_PROFESSION = {"medecin-generaliste": "medecin", "medecin-specialiste": "medecin",
                           **{p: p for p in PROFESSIONS if p in TYPES}}
# An obligation's status, said as a constraint: it applies, it does not, or it is to be specified.
STATUTS_OBLIGATION = {"eligible": "s_applique", "non_eligible": "ne_s_applique_pas", "a_preciser": "a_preciser"}
NON_CHARGEE, COMMUNE_ABSENTE, CONNU = "non_chargee", "commune_absente", "connu"


def groupes_exclusifs(resultats: list[ResultatAide]) -> list[list[ResultatAide]]:
    """The groups of these aids linked by exclusions (each group: the aids that exclude each other, among these)."""
    par_code = {r.dispositif.code: r for r in resultats}
    vus, groupes = set(), []
    for code in par_code:
        if code in vus:
            continue
        groupe, a_voir = [], [code]
        while a_voir:
            courant = a_voir.pop()
            if courant in vus or courant not in par_code:
                continue
            vus.add(courant)
            groupe.append(par_code[courant])
            a_voir += [n.code for n in par_code[courant].non_cumuls]
        groupes.append(groupe)
    return groupes


@dataclass
class Simulation:
    commune: Commune
    faits: Faits  # what the engine was given: read once from the database, shown as it was evaluated
    resultats: list[ResultatAide]
    contacts: dict[str, Contact]
    # False: only the schemes open to the chosen profession (a GP is not told about the kinés' contracts).
    toutes_professions: bool = False

    @property
    def profession(self) -> str:
        return self.faits.profession

    @property
    def date(self) -> datetime.date:
        return self.faits.date

    @property
    def zonages(self) -> dict[str, str | None]:
        return self.faits.zonages

    @property
    def qpv(self) -> bool | None:
        return self.faits.qpv

    @property
    def zonages_lisibles(self) -> list[str]:
        """ "Médecins généralistes : Zone d'intervention prioritaire", for every kind with a level on the date."""
        lignes = []
        for code, niveau in self.zonages.items():
            if niveau:
                type_zonage = TYPES[code]
                detail = type_zonage.niveau(niveau)
                lignes.append(f"{type_zonage.libelle} : {detail.libelle if detail else niveau}")
        return lignes

    @property
    def de_la_profession(self) -> list[ResultatAide]:
        """The results of the schemes open to the profession (all of them when toutes_professions)."""
        return [r for r in self.resultats if self.toutes_professions or self.profession in r.dispositif.professions]

    @property
    def aides(self) -> list[ResultatAide]:
        """Aids open on the date (obligations and closed schemes apart)."""
        return [r for r in self.de_la_profession if r.nature == AIDE and r.statut != FERME]

    @property
    def obligations(self) -> list[ResultatAide]:
        return [r for r in self.de_la_profession if r.nature == OBLIGATION and r.statut != FERME]

    @property
    def contraintes(self) -> list[ResultatAide]:
        """The obligations that apply here, or may (to be specified)."""
        return [r for r in self.obligations if r.statut in POSSIBLES]

    @property
    def fermes(self) -> list[ResultatAide]:
        return [r for r in self.resultats if r.statut == FERME]

    def par_statut(self, statut: str) -> list[ResultatAide]:
        return [r for r in self.aides if r.statut == statut]

    @property
    def groupes_au_choix(self) -> list[list[ResultatAide]]:
        """Exclusive schemes all eligible, grouped (one group per set of schemes that exclude each other)."""
        return [sorted(groupe, key=lambda r: -(r.montant.valeur or 0) if r.montant else 0)
                for groupe in groupes_exclusifs([r for r in self.aides if r.statut == AU_CHOIX])]

    @property
    def questions(self) -> list:
        """Every question still open, once each, most decisive first (the order of their declaration)."""
        vues = {}
        for resultat in self.de_la_profession:
            if resultat.statut == "a_preciser":
                for question in resultat.questions:
                    vues.setdefault(question.champ, question)
        return sorted(vues.values(), key=lambda q: RANGS.get(q.champ, len(RANGS)))

    @property
    def zonage_profession(self) -> dict | None:
        """The zonage of the chosen profession's place of practice: its level, or why it is unknown."""
        code = ZONAGE_DE_LA_PROFESSION.get(self.profession)
        if code is None:
            return None
        type_zonage, niveau = TYPES[code], self.zonages.get(code)
        if niveau is not None:
            detail = type_zonage.niveau(niveau)
            return {"type": code, "libelle": type_zonage.libelle, "niveau": niveau, "etat": CONNU,
                    "message": f"{type_zonage.libelle} : {detail.libelle if detail else niveau}."}
        jour = date_en_francais(self.date)
        if self.faits.couche_chargee(code):
            etat, constat = COMMUNE_ABSENTE, (f"La version du zonage « {type_zonage.libelle} » en vigueur le {jour} ne "
                                              f"classe pas {self.commune.nom}")
        else:
            etat, constat = NON_CHARGEE, (f"Aucun zonage « {type_zonage.libelle} » en vigueur le {jour} n'est chargé "
                                          "dans le portail")
        return {"type": code, "libelle": type_zonage.libelle, "niveau": None, "etat": etat,
                "message": f"{constat} : les aides et les contraintes qui en dépendent restent à préciser. Vérifiez "
                           f"{type_zonage.ou_verifier}."}

    @property
    def avertissements(self) -> list[dict]:
        """What the portal does not hold for this case: the profession's zonage, and the QPV layer when an answer
        still turns on it."""
        avertissements = []
        zonage = self.zonage_profession
        if zonage and zonage["etat"] != CONNU:
            avertissements.append({"couche": zonage["type"], "etat": zonage["etat"], "message": zonage["message"]})
        if not self.faits.couche_chargee(COUCHE_QPV) and self._qpv_decide_encore():
            avertissements.append({"couche": COUCHE_QPV, "etat": NON_CHARGEE, "message": (
                f"Aucune liste de quartiers prioritaires (QPV) en vigueur le {date_en_francais(self.date)} n'est "
                f"chargée dans le portail : les aides réservées aux QPV restent à préciser. Vérifiez sur "
                f"{VERIFIER_QPV}.")})
        return avertissements

    def _qpv_decide_encore(self) -> bool:
        """Some answer still to be specified turns on the QPV (said then; a nurse's aids do not read it)."""
        return any(r.statut == A_PRECISER and any(x.critere == COUCHE_QPV and x.verite == Verite.INCONNU
                                                   for x in r.raisons) for r in self.de_la_profession)

    def contact(self, resultat: ResultatAide) -> dict:
        """Who handles the scheme here, how to apply and who decides (aides/annuaire.py): the contact ARS staff
        entered for the département first, else the portal's directory of official pages."""
        type_ = resultat.dispositif.contact
        return interlocuteur(type_, self.commune.departement_id, self.nom_des_contacts, self.profession,
                             self.contacts.get(type_), self.faits.region).en_dict()

    @property
    def nom_des_contacts(self) -> str:
        """The commune's name as a contact says it (« mairie d'Albi »)."""
        return self.commune.nom


def couches_en_vigueur(jour: datetime.date) -> frozenset[str]:
    """The zonage kinds with a published version in force on `jour`, and COUCHE_QPV when QPV are in force: one
    query (none when cached)."""
    def construire():
        zonages = Zonage.objects.filter(en_vigueur(jour)).order_by().values_list("type", flat=True)
        qpv = (QPV.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=jour), valid_from__lte=jour)
               .order_by().annotate(couche=Value(COUCHE_QPV)).values_list("couche", flat=True))
        return frozenset(zonages.union(qpv))
    return en_cache(f"aides:couches:{jour.isoformat()}", ("zonages", "qpv"), construire, memo=True)


# What a request reads of its commune on a date, kept in the process: its levels, whether it has QPV (a few
# hundred bytes each; the zonages' versions themselves stay in the shared cache).
_communes = MemoireLocale(10_000)


def niveaux_de_la_commune(code_insee: str, jour: datetime.date) -> dict[str, str | None]:
    """{zonage kind: level, or None} of a commune on `jour`."""
    return _communes.obtenir(f"aides:niveaux:{code_insee}:{jour.isoformat()}", ("zonages",), lambda: {
        code: z.niveau for code, z in zonages_de(code_insee, jour).items()})


def presence_qpv(commune: Commune, jour: datetime.date, lon: float | None, lat: float | None,
                 qpv_charges: bool = True) -> bool | None:
    """In a QPV: known from a point; false when the commune has none; unknown otherwise, and always unknown when no
    QPV layer is loaded (an empty layer says nothing: never "no")."""
    if not qpv_charges:
        return None
    if lon is not None and lat is not None:
        return bool(qpv_au_point(lon, lat, jour))
    a_des_qpv = _communes.obtenir(f"aides:a-des-qpv:{commune.code_insee}:{jour.isoformat()}", ("qpv", "territoires"),
                                  lambda: bool(qpv_de_la_commune(commune.code_insee, jour)))
    return None if a_des_qpv else False


def faits_du_cas(commune: Commune, profession: str, jour: datetime.date, situation: Situation | None = None,
                 lon: float | None = None, lat: float | None = None) -> Faits:
    """The facts of one case: the commune's zonages, the layers in force and the QPV on the date are read here,
    once."""
    couches = couches_en_vigueur(jour)
    return Faits(code_insee=commune.code_insee, nom_commune=commune.nom, departement=commune.departement_id,
                 population=commune.population, profession=profession, date=jour,
                 zonages=dict(niveaux_de_la_commune(commune.code_insee, jour)),
                 qpv=presence_qpv(commune, jour, lon, lat, COUCHE_QPV in couches), situation=situation or Situation(),
                 couches_en_vigueur=couches, region=commune.departement.region_id)


def simuler(commune: Commune, profession: str, jour: datetime.date, situation: Situation,
            lon: float | None = None, lat: float | None = None, toutes_professions: bool = False) -> Simulation:
    faits = faits_du_cas(commune, profession, jour, situation, lon, lat)
    return Simulation(commune, faits, evaluer(catalogue.dispositifs(), faits),
                      contacts_du_departement(commune.departement_id), toutes_professions)


def contacts_du_departement(departement: str) -> dict[str, Contact]:
    """{type: Contact} of a département; cached (and kept in the process) until a contact or a rule changes."""
    return en_cache(f"aides:contacts:{departement}", ("aides",), lambda: {
        c.type: c for c in Contact.objects.filter(departement_id=departement)}, memo=True)


@dataclass
class AidesProfession:
    profession: str
    libelle: str
    possibles: list[ResultatAide]  # aids eligible or to be specified, for an unspecified situation


def aides_par_profession(commune: Commune, jour: datetime.date) -> list[AidesProfession]:
    """For the commune page: per profession, the schemes in force that are not excluded here (facts read once).
    Kept in the process until a zonage, QPV, territory or rule changes: it was half of the page's time."""
    return en_cache(f"aides:par-profession:{commune.code_insee}:{jour.isoformat()}",
                    ("zonages", "qpv", "territoires", "aides"), lambda: _aides_par_profession(commune, jour),
                    partage=False)


def _aides_par_profession(commune: Commune, jour: datetime.date) -> list[AidesProfession]:
    # The commune's facts are read once (the profession is set per case below); an unspecified situation.
    faits = faits_du_cas(commune, "", jour)
    dispositifs = catalogue.dispositifs()
    resultat = []
    for profession, libelle in PROFESSIONS.items():
        resultats = evaluer(dispositifs, replace(faits, profession=profession))
        possibles = [r for r in resultats if r.nature == AIDE and r.statut in POSSIBLES]
        resultat.append(AidesProfession(profession, libelle, possibles))
    return resultat


def montant_en_dict(montant) -> dict | None:
    if montant is None:
        return None
    return {"valeur": montant.valeur, "unite": montant.unite, "unite_libelle": UNITES[montant.unite],
            "duree": montant.duree, "libelle": montant.libelle, "verifie": montant.verifie,
            "texte": montant_en_texte(montant)}


def sources_en_dict(resultat: ResultatAide) -> list[dict]:
    """By title, publisher and date, official ones first; `reference` is the whole citation."""
    return [{"reference": s.citation, "titre": s.titre, "editeur": s.editeur, "date": s.date, "lien": s.url,
             "officielle": s.officielle} for s in resultat.dispositif.sources_de(resultat.version)]


def resultat_en_dict(simulation: Simulation, resultat: ResultatAide) -> dict:
    dispositif, version = resultat.dispositif, resultat.version
    statut = STATUTS_OBLIGATION[resultat.statut] if resultat.nature == OBLIGATION else resultat.statut
    return {
        "code": dispositif.code,
        "nom": dispositif.nom,
        "nom_court": dispositif.nom_court,
        "nature": dispositif.nature,
        "nature_libelle": NATURES[dispositif.nature],
        "financeur": dispositif.nom_du_financeur(simulation.faits.region),
        "financeur_type": dispositif.financeur,
        "statut": statut,
        "montant": montant_en_dict(resultat.montant),
        "montants_possibles": [montant_en_dict(m) for m in resultat.montants_possibles],
        "raisons": [r.en_dict() for r in resultat.raisons],
        "questions": [q.en_dict() for q in resultat.questions],
        "non_cumulable_avec": [{"code": n.code, "nom": n.nom, "motif": n.motif, "statut": n.statut}
                               for n in resultat.non_cumuls],
        "comparaison": resultat.comparaison or None,
        "version": {"valid_from": version.valid_from, "valid_to": version.valid_to, "note": version.note,
                    "annonce": version.annonce},
        "sources": sources_en_dict(resultat),
        "contact": simulation.contact(resultat),
    }


def ferme_en_dict(resultat: ResultatAide, region: str | None = None) -> dict:
    dispositif, version = resultat.dispositif, resultat.version
    noms = {d.code: d.nom for d in catalogue.dispositifs()}
    return {"code": dispositif.code, "nom": dispositif.nom, "nom_court": dispositif.nom_court,
            "financeur": dispositif.nom_du_financeur(region), "financeur_type": dispositif.financeur,
            "ferme_depuis": version.valid_from,
            "remplace_par": [{"code": c, "nom": noms.get(c, c)} for c in version.ferme.remplace_par],
            "message": resultat.raisons[0].message, "sources": sources_en_dict(resultat)}
