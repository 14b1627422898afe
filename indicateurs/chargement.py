"""Loading the DREES APL files named in a data folder's manifest (`indicateurs` section): each file checked whole
(line-numbered French errors, nothing written if one is found), then its values written in one transaction, only
what differs.

DREES computes the APL on the communes of its vintage (COG 2023 or 2024). A former commune merged since cannot be
carried to the current one: the value of a part is not that of the whole. Such rows are reported; a current commune
whose own code is absent from the file (12218, created in 2026) has no value, and the report says so."""
import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from noyau.fichiers import FichierInvalide, Probleme, lire_octets, sha256_fichier
from territoires.codes import departement_du_code
from territoires.models import Commune, CommuneRattachee

from .models import ValeurApl

COLONNES = {
    "commune": "Code commune INSEE",
    "apl": "APL aux médecins généralistes",
    "apl_moins_65_ans": "APL aux médecins généralistes de moins de 65 ans",
}
PREFIXES_OPTIONNELS = {"population_standardisee": "Population standardisée", "population_totale": "Population totale"}


@dataclass
class RapportApl:
    fichier: str
    annee: int
    sha256: str = ""
    lignes_lues: int = 0
    retenues: int = 0
    hors_region: int = 0
    creees: int = 0
    modifiees: int = 0
    inchangees: int = 0
    avertissements: list[Probleme] = field(default_factory=list)
    sans_valeur: list[str] = field(default_factory=list)  # communes of the region with no value in the file
    chemin: Path | None = None

    def comptes(self) -> dict:
        return {"annee": self.annee, "communes": self.retenues, "creees": self.creees, "modifiees": self.modifiees,
                "inchangees": self.inchangees, "hors_region": self.hors_region, "sans_valeur": self.sans_valeur}

    def lignes(self) -> list[str]:
        lignes = [f"APL {self.annee} ({self.fichier}) : {self.retenues} communes ({self.creees} créée(s), "
                  f"{self.modifiees} modifiée(s), {self.inchangees} inchangée(s)), {self.hors_region} hors région ; "
                  f"{len(self.avertissements)} avertissement(s)"]
        return lignes + [f"  - {a}" for a in self.avertissements]


def _nombre(texte: str, colonne: str, ligne: int, fichier: str, problemes: list, obligatoire: bool) -> float | None:
    texte = (texte or "").strip().replace(",", ".")
    if not texte:
        if obligatoire:
            problemes.append(Probleme(fichier, ligne, f"« {colonne} » vide"))
        return None
    try:
        valeur = float(texte)
    except ValueError:
        problemes.append(Probleme(fichier, ligne, f"« {colonne} » : nombre attendu, pas « {texte[:40]} »"))
        return None
    if not math.isfinite(valeur) or valeur < 0:
        problemes.append(Probleme(fichier, ligne, f"« {colonne} » : nombre positif attendu, pas « {texte[:40]} »"))
        return None
    return valeur


def lire_apl(chemin: Path, annee: int, colonne_code: str = COLONNES["commune"]) -> tuple[dict[str, dict], RapportApl]:
    """{code INSEE: values} for the communes of the region, and the report; FichierInvalide with every problem."""
    nom = Path(chemin).name
    rapport = RapportApl(nom, annee, sha256_fichier(chemin), chemin=Path(chemin))
    try:
        texte = lire_octets(chemin).decode("utf-8-sig")
    except FileNotFoundError:
        raise FichierInvalide([Probleme(nom, None, "fichier introuvable")]) from None
    except UnicodeDecodeError as exc:
        raise FichierInvalide([Probleme(nom, None, f"le fichier n'est pas en UTF-8 ({exc.reason})")]) from None
    lecteur = csv.DictReader(io.StringIO(texte, newline=""))
    entetes = lecteur.fieldnames or []
    manquantes = [c for c in {**COLONNES, "commune": colonne_code}.values() if c not in entetes]
    if manquantes:
        raise FichierInvalide([Probleme(nom, 1, f"colonnes manquantes : {', '.join(manquantes)}")])
    optionnelles = {cle: next((e for e in entetes if e.startswith(prefixe)), None)
                    for cle, prefixe in PREFIXES_OPTIONNELS.items()}
    communes = set(Commune.objects.values_list("code_insee", flat=True))
    rattachees = dict(CommuneRattachee.objects.values_list("code", "commune_id"))
    departements = {departement_du_code(code) for code in communes}
    problemes, valeurs, vus = [], {}, {}
    for ligne in lecteur:
        numero = lecteur.line_num
        rapport.lignes_lues += 1
        code = (ligne.get(colonne_code) or "").strip().upper()
        if len(code) != 5:
            problemes.append(Probleme(nom, numero, f"code INSEE invalide : « {code} »"))
            continue
        if departement_du_code(code) not in departements:
            rapport.hors_region += 1
            continue
        if code in vus:
            problemes.append(Probleme(nom, numero, f"{code} figure déjà ligne {vus[code]}"))
            continue
        vus[code] = numero
        apl = _nombre(ligne[COLONNES["apl"]], COLONNES["apl"], numero, nom, problemes, True)
        moins_65 = _nombre(ligne[COLONNES["apl_moins_65_ans"]], COLONNES["apl_moins_65_ans"], numero, nom, problemes,
                           False)
        pop_std = (_nombre(ligne[optionnelles["population_standardisee"]], optionnelles["population_standardisee"],
                           numero, nom, problemes, False) if optionnelles["population_standardisee"] else None)
        pop = (_nombre(ligne[optionnelles["population_totale"]], optionnelles["population_totale"], numero, nom,
                       problemes, False) if optionnelles["population_totale"] else None)
        if code in rattachees:
            rapport.avertissements.append(Probleme(nom, numero, f"{code} n'est plus une commune (elle fait partie de "
                                                               f"{rattachees[code]}) : sa valeur, calculée sur "
                                                               "l'ancienne commune, n'est pas reportée"))
            continue
        if code not in communes:
            problemes.append(Probleme(nom, numero, f"code INSEE inconnu dans la région : {code}"))
            continue
        valeurs[code] = {"apl": apl, "apl_moins_65_ans": moins_65, "population_standardisee": pop_std,
                         "population_totale": None if pop is None else round(pop), "ancien_territoire": False}
    if problemes:
        raise FichierInvalide(problemes)
    fusionnees = {rattachees[c] for c in vus if c in rattachees}
    for code in fusionnees & set(valeurs):
        valeurs[code]["ancien_territoire"] = True
    for code in sorted(fusionnees & set(valeurs)):
        rapport.avertissements.append(Probleme(nom, vus[code], f"{code} a absorbé d'anciennes communes depuis le "
                                                              f"millésime du fichier : sa valeur ne concerne que son "
                                                              "ancien territoire"))
    rapport.sans_valeur = sorted(communes - set(valeurs))
    for code in rapport.sans_valeur:
        rapport.avertissements.append(Probleme(nom, None, f"{code} absente du fichier : pas de valeur d'APL {annee}"))
    rapport.retenues = len(valeurs)
    return valeurs, rapport


def charger_apl(chemin: Path, annee: int, colonne_code: str = COLONNES["commune"]) -> RapportApl:
    valeurs, rapport = lire_apl(chemin, annee, colonne_code)
    existantes = {v.commune_id: v for v in ValeurApl.objects.filter(annee=annee)}
    nouvelles = []
    with transaction.atomic():
        for code, champs in valeurs.items():
            actuelle = existantes.get(code)
            if actuelle is None:
                nouvelles.append(ValeurApl(commune_id=code, annee=annee, fichier=rapport.fichier, **champs))
                continue
            if all(getattr(actuelle, k) == v for k, v in champs.items()) and actuelle.fichier == rapport.fichier:
                rapport.inchangees += 1
                continue
            for k, v in champs.items():
                setattr(actuelle, k, v)
            actuelle.fichier = rapport.fichier
            actuelle.save()
            rapport.modifiees += 1
        ValeurApl.objects.bulk_create(nouvelles, batch_size=2000)
        rapport.creees = len(nouvelles)
        if nouvelles:
            from noyau import cache_generations

            cache_generations.invalider("indicateurs")  # bulk_create sends no signal
    return rapport


def charger_indicateurs_du_manifeste(dossier: Path, manifeste: dict) -> list[RapportApl]:
    rapports = []
    for entree in manifeste.get("indicateurs") or []:
        if entree.get("kind") != "apl_medecins_generalistes":
            raise FichierInvalide([Probleme("manifest.yaml", None, f"indicateur inconnu : {entree.get('kind')!r}")])
        rapports.append(charger_apl(Path(dossier) / entree["file"], int(entree["annee"]),
                                    entree.get("code_column") or COLONNES["commune"]))
    return rapports
