"""One simulation: gather the facts of a case from the database (zonages on the date, QPV), run the pure engine on
the stored catalogue, and attach the contacts. Shared by the API and the "Mes aides" pages."""
import datetime
from dataclasses import dataclass, replace

from noyau.cache_generations import en_cache
from territoires.models import Commune
from zonages.consultation import qpv_de_la_commune, zonages_de
from zonages.niveaux import TYPES
from zonages.qpv import qpv_au_point

from . import catalogue
from .eligibilite.faits import PROFESSIONS, Faits, Situation
from .eligibilite.moteur import ResultatAide, evaluer
from .eligibilite.regles import CONTACTS, FINANCEURS, UNITES
from .eligibilite.vocabulaire import FAITS, LIEU
from .models import Contact

# Open questions are offered most decisive first, in the order the facts are declared.
RANGS = {nom: i for i, nom in enumerate((*FAITS, *LIEU))}


@dataclass
class Simulation:
    commune: Commune
    faits: Faits  # what the engine was given: read once from the database, shown as it was evaluated
    resultats: list[ResultatAide]
    contacts: dict[str, Contact]

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

    def par_statut(self, statut: str) -> list[ResultatAide]:
        return [r for r in self.resultats if r.statut == statut]

    @property
    def questions(self) -> list:
        """Every question still open, once each, most decisive first (the order of their declaration)."""
        vues = {}
        for resultat in self.resultats:
            if resultat.statut == "a_preciser":
                for question in resultat.questions:
                    vues.setdefault(question.champ, question)
        return sorted(vues.values(), key=lambda q: RANGS.get(q.champ, len(RANGS)))

    def contact(self, resultat: ResultatAide) -> dict:
        type_ = resultat.dispositif.contact
        trouve = self.contacts.get(type_)
        if trouve:
            return trouve.en_dict()
        return {"type": type_, "libelle": CONTACTS[type_], "nom": None,
                "message": f"Coordonnées non renseignées pour le département {self.commune.departement_id}."}


def presence_qpv(commune: Commune, jour: datetime.date, lon: float | None, lat: float | None) -> bool | None:
    """In a QPV: known from a point; false when the commune has none; unknown otherwise (never guessed)."""
    if lon is not None and lat is not None:
        return bool(qpv_au_point(lon, lat, jour))
    return False if not qpv_de_la_commune(commune.code_insee, jour) else None


def faits_du_cas(commune: Commune, profession: str, jour: datetime.date, situation: Situation | None = None,
                 lon: float | None = None, lat: float | None = None) -> Faits:
    """The facts of one case: the commune's zonages and QPV on the date are read here, once."""
    zonages = {code: z.niveau for code, z in zonages_de(commune.code_insee, jour).items()}
    return Faits(code_insee=commune.code_insee, nom_commune=commune.nom, departement=commune.departement_id,
                 population=commune.population, profession=profession, date=jour, zonages=zonages,
                 qpv=presence_qpv(commune, jour, lon, lat), situation=situation or Situation())


def simuler(commune: Commune, profession: str, jour: datetime.date, situation: Situation,
            lon: float | None = None, lat: float | None = None) -> Simulation:
    faits = faits_du_cas(commune, profession, jour, situation, lon, lat)
    return Simulation(commune, faits, evaluer(catalogue.dispositifs(), faits),
                      contacts_du_departement(commune.departement_id))


def contacts_du_departement(departement: str) -> dict[str, Contact]:
    """{type: Contact} of a département; cached (and kept in the process) until a contact or a rule changes."""
    return en_cache(f"aides:contacts:{departement}", ("aides",), lambda: {
        c.type: c for c in Contact.objects.filter(departement_id=departement)}, memo=True)


@dataclass
class AidesProfession:
    profession: str
    libelle: str
    possibles: list[ResultatAide]  # eligible or to be specified, for an unspecified situation


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
        possibles = [r for r in resultats if r.statut != "non_eligible"]
        resultat.append(AidesProfession(profession, libelle, possibles))
    return resultat


def montant_en_dict(montant) -> dict | None:
    if montant is None:
        return None
    return {"valeur": montant.valeur, "unite": montant.unite, "unite_libelle": UNITES[montant.unite],
            "duree": montant.duree, "libelle": montant.libelle, "verifie": montant.verifie}


def resultat_en_dict(simulation: Simulation, resultat: ResultatAide) -> dict:
    dispositif, version = resultat.dispositif, resultat.version
    return {
        "code": dispositif.code,
        "nom": dispositif.nom,
        "financeur": FINANCEURS[dispositif.financeur],
        "statut": resultat.statut,
        "montant": montant_en_dict(resultat.montant),
        "montants_possibles": [montant_en_dict(m) for m in resultat.montants_possibles],
        "raisons": [r.en_dict() for r in resultat.raisons],
        "questions": [q.en_dict() for q in resultat.questions],
        "version": {"valid_from": version.valid_from, "valid_to": version.valid_to, "note": version.note},
        "sources": [{"reference": ref, "lien": dispositif.sources.get(ref)} for ref in version.sources],
        "contact": simulation.contact(resultat),
    }
