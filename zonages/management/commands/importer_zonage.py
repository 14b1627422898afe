import datetime
import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zonages.imports.execution import DemandeImport, importer_zonage
from zonages.imports.lecture import FORMATS
from zonages.imports.validation import COMPLETE, COUVERTURES, INCOMPLETE
from zonages.models import ImportZonage
from zonages.niveaux import TYPES


def date_iso(texte: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(texte)
    except ValueError:
        raise CommandError(f"date invalide « {texte} » : format attendu AAAA-MM-JJ") from None


class Command(BaseCommand):
    help = (
        "Importe un fichier de zonage (CSV, export CartoSanté, GeoJSON des QPV) comme nouvelle version datée. "
        "Le fichier est validé entièrement avant toute écriture ; s'il contient des erreurs, il est rejeté en entier "
        "avec leur liste (numéros de ligne) et rien ne change. Chaque import est enregistré (qui, quand, empreinte)."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--type", required=True, choices=list(TYPES) + ["qpv"], help="Type de zonage.")
        parser.add_argument("--valide-du", required=True, type=date_iso, help="Date d'effet (AAAA-MM-JJ).")
        parser.add_argument("--valide-au", type=date_iso, help="Fin de validité incluse (AAAA-MM-JJ).")
        parser.add_argument("--reference", required=True, help="Référence de l'arrêté.")
        parser.add_argument("--note", default="", help="Note sur la source, affichée aux usagers.")
        parser.add_argument("--format", choices=FORMATS, help="Format (détecté s'il est omis).")
        parser.add_argument("--colonne-code", help="Colonne du code INSEE (CSV).")
        parser.add_argument("--colonne-niveau", help="Colonne du niveau (CSV).")
        parser.add_argument("--couverture", choices=list(COUVERTURES), default=COMPLETE,
                            help="Communes de la région absentes du fichier : refusé (complete, par défaut), mise à "
                                 "jour partielle (partielle) ou laissées sans niveau (incomplete, avec --motif).")
        parser.add_argument("--motif", default="", help="Pourquoi des communes restent sans niveau (--couverture "
                                                        "incomplete).")
        parser.add_argument("--dry-run", action="store_true", help="Valide et affiche le rapport complet, sans rien écrire.")
        parser.add_argument("--publier", action="store_true", help="Publie la version à sa date d'effet.")
        parser.add_argument("--utilisateur", help="Identifiant du compte du portail au nom duquel importer "
                                                  "(l'identifiant système est toujours enregistré).")

    def handle(self, *args, **o):
        if not o["fichier"].is_file():
            raise CommandError(f"fichier introuvable : {o['fichier']}")
        if o["valide_au"] and o["valide_au"] < o["valide_du"]:
            raise CommandError("--valide-au est antérieure à --valide-du")
        if o["couverture"] == INCOMPLETE and not o["motif"].strip():
            raise CommandError("--couverture incomplete demande --motif : pourquoi des communes restent sans niveau")
        demande = DemandeImport(
            type=o["type"], valid_from=o["valide_du"], valid_to=o["valide_au"], reference=o["reference"],
            note_source=o["note"], format=o["format"], colonne_code=o["colonne_code"],
            colonne_niveau=o["colonne_niveau"], essai=o["dry_run"], publier=o["publier"],
            couverture=o["couverture"], motif_couverture=o["motif"].strip(),
        )
        utilisateur = None
        if o["utilisateur"]:
            utilisateur = get_user_model().objects.filter(username=o["utilisateur"]).first()
            if utilisateur is None:
                raise CommandError(f"utilisateur inconnu : {o['utilisateur']}")
        resultat = importer_zonage(o["fichier"], demande, utilisateur=utilisateur,
                                   origine=f"commande importer_zonage ({getpass.getuser()})")
        for ligne in resultat.rapport_complet.lignes_texte():
            self.stdout.write(ligne)
        if resultat.statut == ImportZonage.Statut.REJETE:
            raise CommandError(f"Fichier rejeté ({resultat.nb_erreurs} erreur(s)) : rien n'a été modifié. "
                               f"Import n° {resultat.pk}.")
        if resultat.statut == ImportZonage.Statut.VALIDE:
            self.stdout.write(self.style.SUCCESS(f"Essai à blanc : fichier valide, rien n'a été écrit (import n° {resultat.pk})."))
        else:
            zonage_id = resultat.rapport.get("zonage_id")
            etat = "publiée" if demande.publier else "en brouillon"
            cible = f"version n° {zonage_id} {etat}" if zonage_id else "QPV enregistrés"
            self.stdout.write(self.style.SUCCESS(f"Importé : {cible} (import n° {resultat.pk}, SHA-256 {resultat.sha256[:12]}…)."))
