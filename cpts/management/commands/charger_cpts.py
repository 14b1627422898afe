from django.core.management.base import BaseCommand, CommandError

from cpts.chargement import charger_cpts
from noyau.fichiers import FichierInvalide


class Command(BaseCommand):
    help = ("Charge les CPTS que nomment les documents sources (cpts/donnees/cpts_seeds.yaml) : fichier validé "
            "entièrement d'abord, puis mise à jour par nom (idempotent). Les communes des CPTS ne sont pas dans ces "
            "documents : elles se rattachent dans l'administration. Suppose les départements chargés "
            "(charger_referentiels, qui appelle aussi ce chargement).")

    def handle(self, *args, **options):
        try:
            rapport = charger_cpts()
        except FichierInvalide as exc:
            details = "\n".join(f"  - {p}" for p in exc.problemes)
            raise CommandError(f"Fichier des CPTS rejeté ; rien n'a été modifié :\n{details}") from None
        for ligne in rapport.lignes():
            self.stdout.write(ligne)
