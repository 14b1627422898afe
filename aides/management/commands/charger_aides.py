from django.core.management.base import BaseCommand, CommandError

from aides.catalogue import charger_regles
from noyau.fichiers import FichierInvalide


class Command(BaseCommand):
    help = ("Charge les règles des aides (aides/regles/*.yaml) après les avoir toutes validées : un fichier fautif "
            "rejette le chargement entier. Idempotent. Une règle modifiée dans l'administration n'est pas écrasée "
            "sans --forcer.")

    def add_arguments(self, parser):
        parser.add_argument("--forcer", action="store_true",
                            help="Reprendre les fichiers même pour les règles modifiées dans l'administration.")

    def handle(self, *args, forcer=False, **options):
        try:
            rapport = charger_regles(forcer=forcer)
        except FichierInvalide as exc:
            raise CommandError("Règles rejetées ; rien n'a été modifié :\n" + "\n".join(f"  - {p}" for p in exc.problemes)) from None
        for ligne in rapport.lignes():
            self.stdout.write(ligne)
