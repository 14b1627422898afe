"""Loading the structures named in a data directory's manifest.yaml (`structures` section) through the structures
import, recorded like any other (ImportStructures, with its report):

    structures:
      finess: finess_2021-01-08_structures_occitanie.csv   # a FINESS register file (derived CSV or etalab extraction)
      registre: 2021-01-08                                 # its extraction date, when the file does not give it

A file already imported (same SHA-256) is not imported again: the reference load stays idempotent, and what ARS staff
changed since on a structure is not overwritten by the same old register.
"""
import datetime
from dataclasses import dataclass
from pathlib import Path

from noyau.fichiers import FichierInvalide, Probleme, sha256_fichier

from .imports.execution import importer_structures
from .models import ImportStructures

ORIGINE = "charger_referentiels (manifest.yaml)"


@dataclass
class ResultatStructures:
    fichier: str
    etat: str  # "chargé", "inchangé"
    enregistrement: ImportStructures

    def lignes(self) -> list[str]:
        e = self.enregistrement
        ligne = f"Structures ({self.fichier}, {e.libelle_registre or 'fichier de structures'}) : {self.etat}"
        if self.etat == "chargé":
            ligne += (f" — {e.creees} créée(s), {e.modifiees} modifiée(s), {e.inchangees} inchangée(s) ; "
                      f"{e.nb_avertissements} avertissement(s) (import n° {e.pk})")
        return [ligne]


def charger_structures_du_manifeste(dossier: Path, manifeste: dict) -> ResultatStructures | None:
    section = manifeste.get("structures") or {}
    if not section.get("finess"):
        return None
    chemin = Path(dossier) / section["finess"]
    date = section.get("registre")
    if date is not None and not isinstance(date, datetime.date):
        try:
            date = datetime.date.fromisoformat(str(date))
        except ValueError:
            raise FichierInvalide([Probleme("manifest.yaml", None, f"structures.registre : date invalide « {date} » "
                                                                   "(AAAA-MM-JJ attendu)")]) from None
    try:
        empreinte = sha256_fichier(chemin)
    except FileNotFoundError:
        raise FichierInvalide([Probleme(section["finess"], None, "fichier introuvable")]) from None
    deja = (ImportStructures.objects.filter(sha256=empreinte, statut=ImportStructures.Statut.IMPORTE, essai=False)
            .order_by("-cree_le").first())
    if deja:
        return ResultatStructures(section["finess"], "inchangé", deja)
    resultat = importer_structures(chemin, origine=ORIGINE, date_registre=date)
    if resultat.statut != ImportStructures.Statut.IMPORTE:
        raise FichierInvalide([Probleme(section["finess"], e["ligne"], e["message"])
                               for e in resultat.rapport.get("erreurs", [])])
    return ResultatStructures(section["finess"], "chargé", resultat)
