import argparse
import datetime
import getpass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from structures.imports.execution import importer_structures
from structures.models import ImportStructures


def _date(texte: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(texte)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {texte} » (AAAA-MM-JJ attendu)") from None


class Command(BaseCommand):
    help = (
        "Importe un fichier CSV de structures (MSP, centres de santé, ESP, PTA, réseaux territoriaux) : une ligne par "
        "structure, mise à jour par son identifiant ; ou un fichier du registre FINESS (extraction officielle "
        "etalab-cs1100507-stock-*.csv, ou le CSV dérivé livré dans donnees/), dont les MSP et centres de santé de la "
        "région sont importés. Le fichier est validé entièrement avant toute écriture ; s'il contient des erreurs, il "
        "est rejeté en entier avec leur liste (numéros de ligne) et rien ne change. Chaque import est enregistré (qui, "
        "quand, empreinte). Format : README.md, « Structures : format d'import »."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Valide et affiche le rapport complet, sans rien écrire.")
        parser.add_argument("--utilisateur", help="Identifiant du compte du portail au nom duquel importer "
                                                  "(l'identifiant système est toujours enregistré).")
        parser.add_argument("--date-registre", type=_date, help="Date d'extraction d'un fichier FINESS qui ne la donne "
                                                               "pas lui-même (AAAA-MM-JJ), affichée avec ses structures.")

    def handle(self, *args, **o):
        if not o["fichier"].is_file():
            raise CommandError(f"fichier introuvable : {o['fichier']}")
        utilisateur = None
        if o["utilisateur"]:
            utilisateur = get_user_model().objects.filter(username=o["utilisateur"]).first()
            if utilisateur is None:
                raise CommandError(f"utilisateur inconnu : {o['utilisateur']}")
        resultat = importer_structures(o["fichier"], essai=o["dry_run"], utilisateur=utilisateur,
                                       origine=f"commande importer_structures ({getpass.getuser()})",
                                       date_registre=o["date_registre"])
        for ligne in resultat.rapport_complet.lignes_texte():
            self.stdout.write(ligne)
        if resultat.statut == ImportStructures.Statut.REJETE:
            raise CommandError(f"Fichier rejeté ({resultat.nb_erreurs} erreur(s)) : rien n'a été modifié. "
                               f"Import n° {resultat.pk}.")
        if resultat.statut == ImportStructures.Statut.VALIDE:
            self.stdout.write(self.style.SUCCESS(f"Essai à blanc : fichier valide, rien n'a été écrit (import n° {resultat.pk})."))
        else:
            self.stdout.write(self.style.SUCCESS(
                f"Importé : {resultat.creees} structure(s) créée(s), {resultat.modifiees} modifiée(s), "
                f"{resultat.inchangees} inchangée(s) (import n° {resultat.pk}, SHA-256 {resultat.sha256[:12]}…)."))
