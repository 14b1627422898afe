"""Loading the zonages listed in a data directory's manifest.yaml, with the dates, references and notes given there.

A version already loaded from the same file (same kind, start date, reference and SHA-256) is left as it is, so the
reference load stays idempotent. A file that changed since is reported, not silently reloaded: ARS staff import a
new version with its own dates.
"""
import datetime
from dataclasses import dataclass
from pathlib import Path

from noyau.fichiers import FichierInvalide, Probleme, sha256_fichier
from territoires.referentiels.sources import lire_manifeste

from .imports.execution import DemandeImport, importer_zonage
from .models import ImportZonage, Zonage


@dataclass
class ResultatZonage:
    type: str
    fichier: str
    etat: str  # "chargé", "inchangé", "fichier modifié"
    detail: str = ""


def _date(valeur) -> datetime.date | None:
    if valeur in (None, ""):
        return None
    return valeur if isinstance(valeur, datetime.date) else datetime.date.fromisoformat(str(valeur))


def charger_zonages_du_manifeste(dossier: Path) -> list[ResultatZonage]:
    resultats = []
    for entree in lire_manifeste(Path(dossier)).get("zonages") or []:
        chemin = Path(dossier) / entree["file"]
        demande = DemandeImport(
            type=entree["kind"], valid_from=_date(entree["valid_from"]), valid_to=_date(entree.get("valid_to")),
            reference=entree["reference"], note_source=(entree.get("note") or "").strip(),
            format=entree.get("format"), colonne_code=entree.get("code_column"),
            colonne_niveau=entree.get("level_column"), publier=True,
        )
        existant = Zonage.objects.filter(type=demande.type, valid_from=demande.valid_from,
                                         reference=demande.reference).select_related("import_source").first()
        if existant:
            meme_fichier = existant.import_source and existant.import_source.sha256 == sha256_fichier(chemin)
            resultats.append(ResultatZonage(demande.type, entree["file"], "inchangé" if meme_fichier else "fichier modifié",
                                            "" if meme_fichier else "importez-le comme nouvelle version (importer_zonage)"))
            continue
        resultat = importer_zonage(chemin, demande, origine="charger_referentiels (manifest.yaml)")
        if resultat.statut != ImportZonage.Statut.IMPORTE:
            erreurs = resultat.rapport.get("erreurs", [])
            raise FichierInvalide([Probleme(entree["file"], e["ligne"], e["message"]) for e in erreurs])
        resultats.append(ResultatZonage(demande.type, entree["file"], "chargé",
                                        f"{resultat.lignes_retenues} communes, {resultat.nb_avertissements} avertissement(s)"))
    return resultats
