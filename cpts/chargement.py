"""Loading the CPTS named by the seed documents (cpts/donnees/cpts_seeds.yaml): validated whole first, then an
idempotent upsert by name. Only what the file states is written; the stage is set when a CPTS is created and then
left to the administration (ARS staff move it on); territories and missions are never touched."""
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

from noyau.fichiers import FichierInvalide, Probleme
from territoires.models import Departement

from .models import Cpts, Stade

FICHIER_SEEDS = Path(__file__).resolve().parent / "donnees" / "cpts_seeds.yaml"
CHAMPS = {"nom", "porteur", "departements", "population_declaree", "nombre_communes_declare", "territoire_declare",
          "stade", "source"}
CHAMPS_ECRITS = ["porteur", "population_declaree", "source_population", "nombre_communes_declare",
                 "territoire_declare", "source"]


@dataclass
class RapportCpts:
    creees: list[str] = field(default_factory=list)
    modifiees: list[str] = field(default_factory=list)
    inchangees: list[str] = field(default_factory=list)

    def lignes(self) -> list[str]:
        return [f"CPTS : {len(self.creees)} créée(s), {len(self.modifiees)} modifiée(s), "
                f"{len(self.inchangees)} inchangée(s)"]


def _entier(valeur) -> bool:
    return valeur is None or (isinstance(valeur, int) and not isinstance(valeur, bool) and valeur >= 0)


def lire(chemin: Path = FICHIER_SEEDS) -> list[dict]:
    """The file's records, checked; FichierInvalide with every problem otherwise."""
    nom_fichier = chemin.name
    try:
        document = yaml.safe_load(chemin.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FichierInvalide([Probleme(nom_fichier, None, "fichier introuvable")]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FichierInvalide([Probleme(nom_fichier, None, f"YAML illisible : {exc}")]) from None
    if not isinstance(document, dict) or not isinstance(document.get("cpts"), list) or not document["cpts"]:
        raise FichierInvalide([Probleme(nom_fichier, None, "une liste non vide « cpts » est attendue")])
    departements = set(Departement.objects.values_list("code", flat=True))
    problemes, noms = [], set()
    for rang, fiche in enumerate(document["cpts"], start=1):
        def probleme(message):
            problemes.append(Probleme(nom_fichier, rang, message))
        if not isinstance(fiche, dict):
            probleme("un dictionnaire est attendu")
            continue
        if inconnus := set(fiche) - CHAMPS:
            probleme(f"champ(s) inconnu(s) : {', '.join(sorted(inconnus))}")
        nom = fiche.get("nom")
        if not isinstance(nom, str) or not nom.strip():
            probleme("« nom » manquant")
        elif nom in noms:
            probleme(f"« {nom} » figure deux fois")
        else:
            noms.add(nom)
        if not isinstance(fiche.get("source"), str) or not fiche["source"].strip():
            probleme("« source » manquante : chaque CPTS cite son document")
        for champ in ("porteur", "territoire_declare"):
            if fiche.get(champ) is not None and not isinstance(fiche[champ], str):
                probleme(f"« {champ} » : texte ou null attendu")
        for champ in ("population_declaree", "nombre_communes_declare"):
            if not _entier(fiche.get(champ)):
                probleme(f"« {champ} » : entier positif ou null attendu")
        if fiche.get("stade") is not None and fiche["stade"] not in Stade.values:
            probleme(f"« stade » inconnu : {fiche['stade']} (connus : {', '.join(Stade.values)})")
        codes = fiche.get("departements") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            probleme("« departements » : liste de codes attendue")
        elif manquants := [c for c in codes if c not in departements]:
            probleme(f"département(s) inconnu(s) : {', '.join(manquants)} (charger d'abord les référentiels)")
    if problemes:
        raise FichierInvalide(problemes)
    return document["cpts"]


def charger_cpts(chemin: Path = FICHIER_SEEDS) -> RapportCpts:
    fiches = lire(chemin)
    rapport = RapportCpts()
    existantes = {c.nom: c for c in Cpts.objects.prefetch_related("departements")}
    with transaction.atomic():
        for fiche in fiches:
            valeurs = {"porteur": fiche.get("porteur") or "", "population_declaree": fiche.get("population_declaree"),
                       "source_population": fiche["source"][:500] if fiche.get("population_declaree") else "",
                       "nombre_communes_declare": fiche.get("nombre_communes_declare"),
                       "territoire_declare": fiche.get("territoire_declare") or "", "source": fiche["source"]}
            codes = sorted(fiche.get("departements") or [])
            cpts = existantes.get(fiche["nom"])
            if cpts is None:
                cpts = Cpts.objects.create(nom=fiche["nom"], stade=fiche.get("stade") or Stade.PROJET, **valeurs)
                cpts.departements.set(codes)
                rapport.creees.append(cpts.nom)
                continue
            change = [c for c in CHAMPS_ECRITS if getattr(cpts, c) != valeurs[c]]
            change_departements = sorted(d.code for d in cpts.departements.all()) != codes
            if change:
                for champ in change:
                    setattr(cpts, champ, valeurs[champ])
                cpts.save()
            if change_departements:
                cpts.departements.set(codes)
            (rapport.modifiees if change or change_departements else rapport.inchangees).append(cpts.nom)
    return rapport
