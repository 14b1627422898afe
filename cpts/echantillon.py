"""Loading the sample of CPTS described by their own pages or by the FINESS register (donnees/cpts_occitanie_echantillon.csv):
each CPTS by its name, and the communes its source lists, attached with that source.

Only what the file states is written. A CPTS already known (by its name, whatever the case and accents) keeps what
the administration or the seed documents gave it; only the communes its source lists are added. A listed commune is attached with
an unknown start (the pages are undated) unless it already belongs to another CPTS: the conflict is reported, never
forced. Names the file could not match to an INSEE code (`derive_noms_non_apparies`) are reported, never guessed.
The file is read and checked whole before anything is written; a second load writes nothing."""
import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from noyau.fichiers import FichierInvalide, Probleme, lire_octets
from territoires.models import Commune, Departement
from territoires.normalisation import normaliser_nom

from .models import Cpts, Stade, TerritoireCpts, message_chevauchement

COLONNES = {"nom", "departement_declare", "derive_departements", "nb_communes", "population_declaree",
            "taille_declaree", "communes_declarees", "derive_insee_communes", "derive_noms_non_apparies", "remarque",
            "source_url"}
ENTIER = re.compile(r"^\d[\d\s\u00a0\u202f]*$")
CODE_ENTRE_PARENTHESES = re.compile(r"\((\d{2}|2[AB])\)")


@dataclass
class RapportEchantillon:
    fichier: str
    creees: list[str] = field(default_factory=list)
    completees: list[str] = field(default_factory=list)
    inchangees: list[str] = field(default_factory=list)
    rattachements: int = 0
    avertissements: list[Probleme] = field(default_factory=list)

    def lignes(self) -> list[str]:
        lignes = [f"CPTS de l'échantillon ({self.fichier}) : {len(self.creees)} créée(s), {len(self.completees)} "
                  f"complétée(s), {len(self.inchangees)} inchangée(s) ; {self.rattachements} commune(s) rattachée(s) ; "
                  f"{len(self.avertissements)} avertissement(s)"]
        return lignes + [f"  - {a}" for a in self.avertissements]


@dataclass
class Fiche:
    ligne: int
    nom: str
    departements: list[str]
    population: int | None
    nombre_communes: int | None
    description: str
    codes: list[str]
    non_apparies: list[str]
    source: str


def _entier(texte: str) -> int | None:
    texte = texte.strip()
    return int(re.sub(r"\D", "", texte)) if ENTIER.match(texte) else None


def _departements(derives: str, declare: str, par_nom: dict[str, str]) -> list[str]:
    if derives.strip():
        return sorted(set(derives.split()))
    if code := CODE_ENTRE_PARENTHESES.search(declare):
        return [code.group(1)]
    texte = normaliser_nom(declare)
    if texte in par_nom:
        return [par_nom[texte]]
    return sorted({par_nom[morceau] for morceau in texte.split(" et ") if morceau in par_nom})


def _description(ligne: dict, population: int | None) -> str:
    """What the source says that has no field of its own (a population given in words, a remark)."""
    morceaux = []
    if ligne["population_declaree"].strip() and population is None:
        morceaux.append(f"population selon la source : {ligne['population_declaree'].strip()}")
    if ligne["nb_communes"].strip() and _entier(ligne["nb_communes"]) is None:
        morceaux.append(f"communes selon la source : {ligne['nb_communes'].strip()}")
    if ligne["remarque"].strip():
        morceaux.append(ligne["remarque"].strip())
    return " ; ".join(morceaux)[:300]


def lire(chemin: Path) -> list[Fiche]:
    """The file's rows, checked whole; FichierInvalide with every problem otherwise."""
    nom_fichier = Path(chemin).name
    try:
        texte = lire_octets(chemin).decode("utf-8-sig")
    except FileNotFoundError:
        raise FichierInvalide([Probleme(nom_fichier, None, "fichier introuvable")]) from None
    except UnicodeDecodeError as exc:
        raise FichierInvalide([Probleme(nom_fichier, None, f"le fichier n'est pas en UTF-8 ({exc.reason})")]) from None
    lecteur = csv.DictReader(io.StringIO(texte, newline=""))
    if manquantes := COLONNES - set(lecteur.fieldnames or []):
        raise FichierInvalide([Probleme(nom_fichier, 1, f"colonnes manquantes : {', '.join(sorted(manquantes))}")])
    par_nom = {normaliser_nom(nom): code for code, nom in Departement.objects.values_list("code", "nom")}
    fiches, problemes, vus = [], [], set()
    for ligne in lecteur:
        numero = lecteur.line_num
        nom = ligne["nom"].strip()
        if not nom:
            problemes.append(Probleme(nom_fichier, numero, "nom de la CPTS manquant"))
            continue
        if normaliser_nom(nom) in vus:
            problemes.append(Probleme(nom_fichier, numero, f"« {nom} » figure deux fois"))
            continue
        vus.add(normaliser_nom(nom))
        if not ligne["source_url"].strip():
            problemes.append(Probleme(nom_fichier, numero, f"« {nom} » : source manquante"))
            continue
        codes = ligne["derive_insee_communes"].split()
        if invalides := [c for c in codes if not re.fullmatch(r"\d{5}|2[AB]\d{3}", c)]:
            problemes.append(Probleme(nom_fichier, numero, f"codes INSEE invalides : {', '.join(invalides)}"))
            continue
        population = _entier(ligne["population_declaree"])
        fiches.append(Fiche(
            ligne=numero, nom=nom, departements=_departements(ligne["derive_departements"], ligne["departement_declare"],
                                                                par_nom),
            population=population, nombre_communes=_entier(ligne["nb_communes"]),
            description=_description(ligne, population), codes=codes,
            non_apparies=[n.strip() for n in ligne["derive_noms_non_apparies"].split("|") if n.strip()],
            source=ligne["source_url"].strip()))
    if problemes:
        raise FichierInvalide(problemes)
    return fiches


def _rattacher(cpts: Cpts, fiche: Fiche, communes: dict[str, Commune], rapport: RapportEchantillon, nom_fichier: str):
    for code in fiche.codes:
        commune = communes.get(code)
        if commune is None:
            rapport.avertissements.append(Probleme(nom_fichier, fiche.ligne, f"{fiche.nom} : {code} n'est pas une "
                                                                           "commune de la région : non rattachée"))
            continue
        if TerritoireCpts.objects.filter(cpts=cpts, commune=commune).exists():
            continue
        nouveau = TerritoireCpts(cpts=cpts, commune=commune, valid_from=None, source=fiche.source)
        autre = nouveau.chevauchements().order_by("valid_from").first()
        if autre is not None:
            rapport.avertissements.append(Probleme(nom_fichier, fiche.ligne, f"{fiche.nom} : non rattachée, "
                                                                           + message_chevauchement(commune, autre)))
            continue
        nouveau.save()
        rapport.rattachements += 1


def charger_echantillon(chemin: Path) -> RapportEchantillon:
    fiches = lire(chemin)
    nom_fichier = Path(chemin).name
    rapport = RapportEchantillon(nom_fichier)
    connues = {normaliser_nom(c.nom): c for c in Cpts.objects.all()}
    codes = {code for fiche in fiches for code in fiche.codes}
    communes = {c.code_insee: c for c in Commune.objects.filter(code_insee__in=codes).only("code_insee", "nom")}
    with transaction.atomic():
        for fiche in fiches:
            for nom in fiche.non_apparies:
                rapport.avertissements.append(Probleme(nom_fichier, fiche.ligne, f"{fiche.nom} : « {nom} » ne correspond "
                                                                               "à aucune commune de la région (nom tel "
                                                                               "que la source l'écrit) : non rattachée"))
            cpts = connues.get(normaliser_nom(fiche.nom))
            avant = rapport.rattachements
            if cpts is None:
                cpts = Cpts.objects.create(
                    nom=fiche.nom, stade=Stade.INCONNU, population_declaree=fiche.population,
                    source_population=fiche.source[:500] if fiche.population is not None else "",
                    nombre_communes_declare=fiche.nombre_communes, territoire_declare=fiche.description,
                    source=fiche.source)
                cpts.departements.set(fiche.departements)
                connues[normaliser_nom(fiche.nom)] = cpts
                rapport.creees.append(cpts.nom)
                _rattacher(cpts, fiche, communes, rapport, nom_fichier)
                continue
            # Known already (seed documents, administration): what it says stays; only its listed communes are added.
            _rattacher(cpts, fiche, communes, rapport, nom_fichier)
            (rapport.completees if rapport.rattachements > avant else rapport.inchangees).append(cpts.nom)
    return rapport
