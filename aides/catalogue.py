"""The catalogue the engine evaluates: the stored rule documents, built once per process and rebuilt when one
changes (a generation number in the shared cache, bumped on save/delete)."""
import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from paps.fichiers import FichierInvalide, Probleme

from .eligibilite.regles import DOSSIER_REGLES, Dispositif as Regles, construire, lire_fichier
from .models import Dispositif

CLE_GENERATION = "aides:generation"
_verrou = threading.Lock()
_catalogue: dict = {"generation": None, "dispositifs": []}


def _generation() -> int:
    try:
        # A fresh value, not 1: after a cache flush, a process must not take its old catalogue for current.
        return cache.get_or_set(CLE_GENERATION, time.time_ns, None)
    except Exception:
        return -1  # cache down: rebuild every time rather than serve stale rules


@receiver([post_save, post_delete], sender=Dispositif)
def invalider(**kwargs):
    def changer():
        try:
            cache.set(CLE_GENERATION, time.time_ns(), None)
        except Exception:
            pass
        _catalogue["generation"] = None
    transaction.on_commit(changer)


def dispositifs() -> list[Regles]:
    generation = _generation()
    with _verrou:
        if _catalogue["generation"] != generation or generation == -1:
            _catalogue.update(generation=generation,
                              dispositifs=[construire(d.regle) for d in Dispositif.objects.order_by("code")])
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
    problemes, lus = [], []
    for chemin in fichiers:
        try:
            lire_fichier(chemin)
        except FichierInvalide as exc:
            problemes += exc.problemes
            continue
        texte = chemin.read_bytes()
        lus.append((yaml.safe_load(texte.decode("utf-8")), hashlib.sha256(texte).hexdigest()))
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
