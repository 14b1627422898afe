"""Loading the zonages and QPV listed in a data directory's manifest.yaml, with the dates, references and notes given
there.

A file that leaves some of the region's communes without a level is refused, as in the administration, unless its
entry says so explicitly: `coverage: incomplete` with `coverage_reason` (recorded with the import, as the agent's
choice is), or `coverage: partial` (only the listed communes change).

A version already loaded from the same file (same kind, start date, reference and SHA-256) is left as it is, so the
reference load stays idempotent. A file that changed since is reported, not silently reloaded: ARS staff import a
new version with its own dates. Each load is recorded (ImportZonage, with its full report: warnings listed).
"""
import datetime
from dataclasses import dataclass
from pathlib import Path

from noyau.fichiers import FichierInvalide, Probleme, sha256_fichier
from territoires.referentiels.sources import lire_manifeste

from .imports.execution import DemandeImport, importer_zonage
from .imports.validation import COMPLETE, INCOMPLETE, PARTIELLE
from .models import ImportZonage, Zonage

ORIGINE = "charger_referentiels (manifest.yaml)"
A_REIMPORTER = "importez-le comme nouvelle version (importer_zonage)"
COUVERTURES = {"complete": COMPLETE, "partial": PARTIELLE, "incomplete": INCOMPLETE}


@dataclass
class ResultatZonage:
    type: str
    fichier: str
    etat: str  # "chargé", "inchangé", "fichier modifié"
    detail: str = ""
    import_id: int | None = None  # the record of the import that loaded it


def _date(valeur) -> datetime.date | None:
    if valeur in (None, ""):
        return None
    return valeur if isinstance(valeur, datetime.date) else datetime.date.fromisoformat(str(valeur))


def _couverture(entree: dict) -> str:
    valeur = entree.get("coverage", "complete")
    if valeur not in COUVERTURES:
        raise FichierInvalide([Probleme("manifest.yaml", None, f"{entree['file']} : coverage « {valeur} » inconnue "
                                                               f"(permises : {', '.join(COUVERTURES)})")])
    return COUVERTURES[valeur]


def _demande(entree: dict, type_: str) -> DemandeImport:
    return DemandeImport(
        type=type_, valid_from=_date(entree["valid_from"]), valid_to=_date(entree.get("valid_to")),
        reference=entree["reference"], note_source=(entree.get("note") or "").strip(),
        format=entree.get("format"), colonne_code=entree.get("code_column"),
        colonne_niveau=entree.get("level_column"), publier=type_ != "qpv",
        couverture=_couverture(entree), motif_couverture=(entree.get("coverage_reason") or "").strip(),
    )


def _importer(chemin: Path, demande: DemandeImport, entree: dict) -> ResultatZonage:
    resultat = importer_zonage(chemin, demande, origine=ORIGINE)
    if resultat.statut != ImportZonage.Statut.IMPORTE:
        erreurs = resultat.rapport.get("erreurs", [])
        raise FichierInvalide([Probleme(entree["file"], e["ligne"], e["message"]) for e in erreurs])
    quoi = "quartiers" if demande.type == "qpv" else "communes"
    return ResultatZonage(demande.type, entree["file"], "chargé",
                          f"{resultat.lignes_retenues} {quoi}, {resultat.nb_avertissements} avertissement(s)",
                          resultat.pk)


def charger_zonages_du_manifeste(dossier: Path) -> list[ResultatZonage]:
    manifeste = lire_manifeste(Path(dossier))
    resultats = []
    for entree in manifeste.get("zonages") or []:
        chemin = Path(dossier) / entree["file"]
        demande = _demande(entree, entree["kind"])
        existant = Zonage.objects.filter(type=demande.type, valid_from=demande.valid_from,
                                         reference=demande.reference).select_related("import_source").first()
        if existant:
            meme_fichier = existant.import_source and existant.import_source.sha256 == sha256_fichier(chemin)
            resultats.append(ResultatZonage(demande.type, entree["file"], "inchangé" if meme_fichier else "fichier modifié",
                                            "" if meme_fichier else A_REIMPORTER, existant.import_source_id))
            continue
        resultats.append(_importer(chemin, demande, entree))
    for entree in manifeste.get("qpv") or []:
        resultats.append(_charger_qpv(Path(dossier), entree))
    return resultats


def _charger_qpv(dossier: Path, entree: dict) -> ResultatZonage:
    """A QPV list is one import (no version object): the latest successful import of the same list (start date and
    reference) says whether this file is already loaded."""
    chemin = dossier / entree["file"]
    demande = _demande(entree, "qpv")
    precedents = [i for i in ImportZonage.objects.filter(type="qpv", statut=ImportZonage.Statut.IMPORTE, essai=False)
                  .order_by("-cree_le")
                  if i.parametres.get("valid_from") == demande.valid_from.isoformat()
                  and i.parametres.get("reference") == demande.reference]
    if precedents:
        meme_fichier = precedents[0].sha256 == sha256_fichier(chemin)
        return ResultatZonage("qpv", entree["file"], "inchangé" if meme_fichier else "fichier modifié",
                              "" if meme_fichier else A_REIMPORTER.replace("nouvelle version", "nouvelle liste"),
                              precedents[0].pk)
    return _importer(chemin, demande, entree)
