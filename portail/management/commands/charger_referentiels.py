from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from aides.catalogue import charger_regles
from cpts.chargement import FICHIER_SEEDS, charger_cpts
from cpts.echantillon import charger_echantillon
from indicateurs.chargement import charger_indicateurs_du_manifeste
from noyau.fichiers import FichierInvalide
from structures.manifeste import charger_structures_du_manifeste
from territoires.referentiels.chargement import charger_territoires
from territoires.referentiels.sources import lire_manifeste
from zonages.manifeste import charger_zonages_du_manifeste

from ...chargements import enregistrer
from ...models import ChargementReferentiel

Nature = ChargementReferentiel.Nature


class Command(BaseCommand):
    help = (
        "Charge les référentiels (régions, départements, EPCI, communes, contours, anciens codes) depuis un dossier "
        "de données : celui du projet (donnees/, avec son manifest.yaml) par défaut, un autre dossier de même forme, "
        "ou un dossier au format @etalab/decoupage-administratif ; puis ce que liste le manifeste : indicateurs (APL), "
        "zonages publiés avec leurs dates, références et notes, QPV, structures du registre FINESS ; puis les règles "
        "des aides (charger_aides) et les CPTS. Idempotent et transactionnel : les fichiers sont validés entièrement "
        "avant toute écriture, et un fichier fautif annule tout le chargement. Chaque fichier chargé est enregistré "
        "avec son rapport (administration : chargements de référentiels, imports de zonages, imports de structures)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=Path, default=None,
                            help="Dossier de données (défaut : réglage PAPS_DATA_DIR, actuellement %(default)s).")

    def handle(self, *args, source=None, **options):
        dossier = Path(source or settings.PAPS_DATA_DIR)
        self.stdout.write(f"Source : {dossier}")
        try:
            with transaction.atomic():
                rapport = charger_territoires(dossier)
                communes = rapport.comptes["Communes"]
                enregistrer(Nature.TERRITOIRES, rapport.fichiers, _comptes_territoires(rapport), rapport.avertissements,
                            communes.crees + communes.modifies + communes.inchanges, rapport.changements)
                manifeste = lire_manifeste(dossier)
                indicateurs = charger_indicateurs_du_manifeste(dossier, manifeste)
                for apl in indicateurs:
                    enregistrer(Nature.APL, [apl.chemin], apl.comptes(), apl.avertissements, apl.lignes_lues,
                                apl.creees + apl.modifiees)
                zonages = charger_zonages_du_manifeste(dossier)
                structures = charger_structures_du_manifeste(dossier, manifeste)
                aides = charger_regles()
                cpts = charger_cpts()
                enregistrer(Nature.CPTS, [FICHIER_SEEDS], {"creees": cpts.creees, "modifiees": cpts.modifiees,
                                                           "inchangees": len(cpts.inchangees)},
                            lignes_lues=len(cpts.creees) + len(cpts.modifiees) + len(cpts.inchangees),
                            changements=len(cpts.creees) + len(cpts.modifiees))
                echantillon = None
                if fichier := (manifeste.get("cpts") or {}).get("echantillon"):
                    echantillon = charger_echantillon(dossier / fichier)
                    enregistrer(Nature.CPTS_ECHANTILLON, [dossier / fichier], {
                        "creees": echantillon.creees, "completees": echantillon.completees,
                        "inchangees": len(echantillon.inchangees), "rattachements": echantillon.rattachements,
                    }, echantillon.avertissements,
                        len(echantillon.creees) + len(echantillon.completees) + len(echantillon.inchangees),
                        len(echantillon.creees) + len(echantillon.completees) + echantillon.rattachements)
        except FichierInvalide as exc:
            details = "\n".join(f"  - {p}" for p in exc.problemes[:200])
            reste = len(exc.problemes) - 200
            if reste > 0:
                details += f"\n  … et {reste} autre(s) problème(s)"
            raise CommandError(
                f"Référentiels rejetés ({len(exc.problemes)} problème(s)) ; rien n'a été modifié :\n{details}"
            ) from None
        for ligne in rapport.lignes():
            self.stdout.write(ligne)
        for apl in indicateurs:
            for ligne in apl.lignes()[:1] + [f"  - {len(apl.sans_valeur)} commune(s) sans valeur : {', '.join(apl.sans_valeur)}"
                                             if apl.sans_valeur else ""]:
                if ligne:
                    self.stdout.write(ligne)
        for z in zonages:
            quoi = "QPV" if z.type == "qpv" else f"Zonage {z.type}"
            self.stdout.write(f"{quoi} ({z.fichier}) : {z.etat}" + (f" — {z.detail}" if z.detail else ""))
        for ligne in structures.lignes() if structures else []:
            self.stdout.write(ligne)
        for ligne in aides.lignes():
            self.stdout.write(ligne)
        for ligne in cpts.lignes() + (echantillon.lignes() if echantillon else []):
            self.stdout.write(ligne)
        self.stdout.write("Rapports complets (avertissements compris) : administration, « Chargements de référentiels », "
                          "« Imports de zonages » et « Imports de structures ».")


def _comptes_territoires(rapport) -> dict:
    comptes = {nom: {"crees": c.crees, "modifies": c.modifies, "inchanges": c.inchanges, "supprimes": c.supprimes,
                     "absents_de_la_source": c.absents_de_la_source} for nom, c in rapport.comptes.items()}
    return {**comptes, "ignores": rapport.ignores}
