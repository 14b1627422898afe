"""manage.py impact_zonage FICHIER --type … --valide-du … [--csv SORTIE]: the effect on the aids of a zonage file not
yet imported, against the version it would replace. The file is validated as an import would be; nothing is stored."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portail.impact import calculer, ecrire_csv, lignes_texte, niveaux_de
from zonages.differences import version_remplacee
from zonages.imports.execution import DemandeImport, niveaux_de_la_version, valider_fichier
from zonages.imports.lecture import FORMATS, detecter_format
from zonages.imports.validation import COMPLETE, COUVERTURES, INCOMPLETE, Territoire
from zonages.management.commands.importer_zonage import date_iso
from zonages.niveaux import TYPES


class Command(BaseCommand):
    help = ("Calcule l'effet d'un fichier de zonage sur les aides (communes qui gagnent ou perdent une aide, montants "
            "avant et après, population, professionnels, parts de la population régionale par niveau) par rapport à "
            "la version qu'il remplacerait. Le fichier est validé comme à l'import ; rien n'est enregistré.")

    def add_arguments(self, parser):
        parser.add_argument("fichier", type=Path)
        parser.add_argument("--type", required=True, choices=list(TYPES), help="Type de zonage.")
        parser.add_argument("--valide-du", required=True, type=date_iso, help="Date d'effet prévue (AAAA-MM-JJ).")
        parser.add_argument("--csv", type=Path, help="Écrit l'impact commune par commune dans ce fichier CSV.")
        parser.add_argument("--format", choices=[f for f in FORMATS if f != "geojson"], help="Format (détecté sinon).")
        parser.add_argument("--colonne-code", help="Colonne du code INSEE (CSV).")
        parser.add_argument("--colonne-niveau", help="Colonne du niveau (CSV).")
        parser.add_argument("--couverture", choices=list(COUVERTURES), default=COMPLETE,
                            help="Communes de la région absentes du fichier, comme à l'import (partielle : les autres "
                                 "gardent leur niveau).")
        parser.add_argument("--motif", default="", help="Pourquoi des communes restent sans niveau (incomplete).")

    def handle(self, *args, **o):
        chemin = o["fichier"]
        if not chemin.is_file():
            raise CommandError(f"fichier introuvable : {chemin}")
        if o["couverture"] == INCOMPLETE and not o["motif"].strip():
            raise CommandError("--couverture incomplete demande --motif : pourquoi des communes restent sans niveau")
        demande = DemandeImport(type=o["type"], valid_from=o["valide_du"], reference="(calcul d'impact)",
                                format=o["format"], colonne_code=o["colonne_code"],
                                colonne_niveau=o["colonne_niveau"], couverture=o["couverture"],
                                motif_couverture=o["motif"].strip())
        rapport = valider_fichier(chemin, o["format"] or detecter_format(chemin), demande, Territoire.des_regions_servies())
        if not rapport.valide:
            for ligne in rapport.lignes_messages():
                self.stderr.write(ligne)
            raise CommandError(f"Fichier invalide ({len(rapport.erreurs)} erreur(s)) : impact non calculé.")
        avant = version_remplacee(o["type"], o["valide_du"])
        impact = calculer(o["type"], o["valide_du"], niveaux_de(avant), niveaux_de_la_version(rapport), avant,
                          f"« {chemin.name} »")
        for ligne in lignes_texte(impact):
            self.stdout.write(ligne)
        if o["csv"]:
            try:
                with open(o["csv"], "w", encoding="utf-8", newline="") as sortie:
                    ecrire_csv(impact, sortie)
            except OSError as exc:
                raise CommandError(f"CSV non écrit ({o['csv']}) : {exc.strerror}") from None
            self.stdout.write(self.style.SUCCESS(f"Impact écrit dans {o['csv']}."))
