"""The body of an eligibility answer (GET/POST /api/v1/eligibilite/) as JSON text, its aids worked out once for all
the communes whose facts answer alike.

Most of an answer (every scheme's status, amount, reasons, questions, sources and contact) depends on the commune
only through what the schemes read of the place (moteur.ce_que_lit_le_lieu: its zonage levels, QPV, département…)
and through its name in their sentences. That part is built once per distinct reading, profile and date, with a
stand-in for the name, kept in the process and the shared cache under the generations of its data, and the name is
put in at the end: a region has a few hundred distinct readings for a profession, not thousands of communes (and a
département its own contacts). The commune's own part
(code, name, zonages, zonage of the profession) is built for each request.
"""
import datetime
import hashlib
from dataclasses import astuple, replace

from django.core.serializers.json import DjangoJSONEncoder

from noyau.cache_generations import MemoireLocale, en_cache
from territoires.models import Commune

from . import catalogue
from .annuaire import de_la_commune
from .eligibilite.faits import Situation
from .eligibilite.moteur import ce_que_lit_le_lieu, evaluer
from .simulation import Simulation, contacts_du_departement, faits_du_cas, ferme_en_dict, resultat_en_dict

# Private-use characters, never in a commune's name: where the shared part says the name, and where a contact says
# « de <commune> » (« d'Albi », « du Vigan »: the elision is the real name's).
NOM = "\ue000"
NOM_APRES_DE = "\ue001"
DOMAINES = ("territoires", "zonages", "qpv", "aides")
# Kept in the process (a few kilobytes each), and in the shared cache for the other workers.
_parties = MemoireLocale(4096)
DUREE = 24 * 3600


class _SimulationPartagee(Simulation):
    """A simulation with the stand-ins for the name: a contact says « de <commune> » with its own."""

    nom_des_contacts = NOM_APRES_DE


# One encoder for all: json.dumps with options builds one per call.
_en_json = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _partie_partagee(commune: Commune, faits, toutes_professions: bool) -> str:
    """The answers of the schemes, as the inside of a JSON object, with the stand-ins for the name."""
    simulation = _SimulationPartagee(_Representant(commune), faits,
                                     evaluer(catalogue.dispositifs(), faits),
                                     contacts_du_departement(commune.departement_id), toutes_professions)
    return _en_json({
        "avertissements": simulation.avertissements,
        "aides": [resultat_en_dict(simulation, r) for r in simulation.aides],
        "obligations": [resultat_en_dict(simulation, r) for r in simulation.obligations],
        "dispositifs_fermes": [ferme_en_dict(r, faits.region) for r in simulation.fermes],
    })[1:-1]


class _Representant:
    """The commune as the shared part sees it: its département, and the stand-in for its name."""

    def __init__(self, commune: Commune):
        self.nom, self.departement_id = NOM, commune.departement_id


def corps_json(commune: Commune, profession: str, jour: datetime.date, situation: Situation,
               lon: float | None = None, lat: float | None = None, toutes_professions: bool = False) -> str:
    """The whole answer, as JSON text (the same as serialising the simulation directly: tests/aides/
    test_reponse_eligibilite.py compares them)."""
    faits = faits_du_cas(commune, profession, jour, situation, lon, lat)
    zonage_profession = Simulation(commune, faits, [], {}, toutes_professions).zonage_profession
    tete = _en_json({
        "commune": {"code_insee": commune.code_insee, "nom": commune.nom},
        "profession": profession,
        "date": jour,
        "zonages": faits.zonages,
        "qpv": faits.qpv,
        "couches_en_vigueur": sorted(faits.couches_en_vigueur),
        "zonage_profession": zonage_profession,
    })
    neutres = replace(faits, nom_commune=NOM)
    lu = ce_que_lit_le_lieu(catalogue.dispositifs(), neutres, toutes_professions)
    # Everything the shared part reads besides the schemes' readings: the person, the date, the layers in force (an
    # unloaded layer is said), the profession's own zonage and the département (its contacts).
    cle = repr((profession, jour, astuple(situation), toutes_professions, faits.region,
                commune.departement_id, faits.qpv, sorted(faits.couches_en_vigueur or ()),
                zonage_profession and zonage_profession["niveau"], lu))
    prefixe = f"aides:reponse:{hashlib.blake2b(cle.encode(), digest_size=16).hexdigest()}"
    partie = _parties.obtenir(prefixe, DOMAINES, lambda: en_cache(prefixe, DOMAINES, lambda: _partie_partagee(
        commune, neutres, toutes_professions), duree=DUREE))
    nom = _en_json(commune.nom)[1:-1]
    partie = (partie.replace(de_la_commune(NOM_APRES_DE), _en_json(de_la_commune(commune.nom))[1:-1])
              .replace(NOM_APRES_DE, nom).replace(NOM, nom))
    return f"{tete[:-1]},{partie}}}"
