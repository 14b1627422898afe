"""The catalogue the engine evaluates: the stored rule documents, built once per process and rebuilt when one
changes (the "aides" generation of paps/cache_generations.py, replaced on save/delete of a Dispositif)."""
import hashlib
import json
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction

from noyau import cache_generations
from noyau.fichiers import FichierInvalide, Probleme
from territoires.regions_servies import regions_servies

from .eligibilite.regles import DOSSIER_REGLES, construire, lire_fichier, verifier_catalogue
from .eligibilite.regles import Dispositif as Regles
from .models import Dispositif

_verrou = threading.Lock()
_catalogue: dict = {"generation": None, "dispositifs": []}


def _oublier(domaines):
    if "aides" in domaines:
        _catalogue["generation"] = None


cache_generations.sur_invalidation(_oublier)


def dispositifs() -> list[Regles]:
    """The schemes of the portal: the national ones, and the regional ones of a served region (PAPS_REGIONS)."""
    # None when the cache is down: rebuild every time rather than serve stale rules.
    generation = cache_generations.generations("aides")
    regions = regions_servies()
    with _verrou:
        if _catalogue["generation"] != (generation, regions) or generation is None:
            tous = [construire(d.regle) for d in Dispositif.objects.order_by("code")]
            _catalogue.update(generation=(generation, regions), dispositifs=[
                d for d in tous if regions is None or not d.regions or regions.intersection(d.regions)])
        return _catalogue["dispositifs"]


def dispositif(code: str) -> Regles | None:
    return next((d for d in dispositifs() if d.code == code), None)


@dataclass
class RapportAides:
    crees: list[str]
    modifies: list[str]
    inchanges: list[str]
    conflits: list[str]  # edited in the admin since the last load, and the file changed too: left alone

    def lignes(self) -> list[str]:
        lignes = [f"Dispositifs : {len(self.crees)} créé(s), {len(self.modifies)} modifié(s), "
                  f"{len(self.inchanges)} inchangé(s)"]
        lignes += [f"Conflit : {code} a été modifié dans l'administration et son fichier a changé ; "
                   "rien n'est écrasé (relancer avec --forcer pour reprendre le fichier)" for code in self.conflits]
        return lignes


def charger_regles(dossier: Path = DOSSIER_REGLES, forcer: bool = False) -> RapportAides:
    """Loads every rule file (all validated first: one bad file rejects the load) into the database."""
    fichiers = sorted(Path(dossier).glob("*.yaml"))
    if not fichiers:
        raise FichierInvalide([Probleme(str(dossier), None, "aucun fichier de règles")])
    problemes, lus, regles = [], [], []
    for chemin in fichiers:
        try:
            regles.append(lire_fichier(chemin))
        except FichierInvalide as exc:
            problemes += exc.problemes
            continue
        texte = chemin.read_bytes()
        lus.append((yaml.safe_load(texte.decode("utf-8")), hashlib.sha256(texte).hexdigest()))
    if not problemes:
        problemes = [Probleme(str(dossier), None, p) for p in verifier_catalogue(regles)]
    if problemes:
        raise FichierInvalide(problemes)
    rapport = RapportAides([], [], [], [])
    existants = {d.code: d for d in Dispositif.objects.all()}
    with transaction.atomic():
        for document, empreinte in lus:
            code = document["code"]
            actuel = existants.get(code)
            valeurs = {"nom": document["nom"], "financeur": document["financeur"],
                       "regle": _json(document), "empreinte_fichier": empreinte, "modifie_dans_l_admin": False}
            if actuel is None:
                Dispositif.objects.create(code=code, **valeurs)
                rapport.crees.append(code)
            elif actuel.empreinte_fichier == empreinte:
                rapport.inchanges.append(code)
            elif actuel.modifie_dans_l_admin and not forcer:
                rapport.conflits.append(code)
            else:
                for champ, valeur in valeurs.items():
                    setattr(actuel, champ, valeur)
                actuel.save()
                rapport.modifies.append(code)
    return rapport


def _json(document: dict) -> dict:
    """The YAML document as JSON (dates as ISO strings, which the rule reader accepts)."""
    return json.loads(json.dumps(document, default=lambda valeur: valeur.isoformat()))
