"""Two to four communes side by side, without HTTP: their zonage for each profession and the overlays, APL,
population, structures of coordinated practice and CPTS, and, for a chosen profile, what it gets in each."""
import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from aides.region import Bilan, bilan
from aides.simulation import Simulation, simuler
from cpts.consultation import en_vigueur as cpts_en_vigueur
from cpts.models import TerritoireCpts
from indicateurs.consultation import apl_de
from indicateurs.models import ValeurApl
from structures.consultation import structures_publiques
from structures.models import Statut, Type
from territoires.models import Commune
from zonages.consultation import ZonageCommune, zonages_de
from zonages.niveaux import TYPES

from . import classement
from .formulaires import ProfilForm

MINIMUM, MAXIMUM = 2, 4
SEPARATEURS = re.compile(r"[\s,;]+")


@dataclass
class Demande:
    codes: list[str]
    communes: list[Commune] = field(default_factory=list)
    profil: ProfilForm | None = None  # when a profession is chosen
    erreurs: list[str] = field(default_factory=list)

    @property
    def jour(self) -> datetime.date:
        return self.profil.jour if self.profil is not None and self.profil.is_valid() else timezone.localdate()


def lire_demande(parametres) -> Demande:
    """`codes`: INSEE codes separated by commas (or the parameter repeated, as checkboxes send it); a profile with
    the parameters of « Où m'installer ? » when `profession` is given."""
    codes = list(dict.fromkeys(c.upper() for valeur in parametres.getlist("codes") for c in SEPARATEURS.split(valeur)
                               if c))
    demande = Demande(codes)
    if not MINIMUM <= len(codes) <= MAXIMUM:
        demande.erreurs.append(f"Choisissez de {MINIMUM} à {MAXIMUM} communes à comparer "
                               f"({len(codes)} donnée{'s' if len(codes) > 1 else ''}).")
    trouvees = {c.code_insee: c for c in Commune.objects.servies().filter(code_insee__in=codes[:MAXIMUM * 2])
                .select_related("departement").defer("contour", "departement__contour")}
    inconnus = [c for c in codes if c not in trouvees]
    if inconnus:
        demande.erreurs.append("Aucune commune servie par ce portail n'a le code INSEE "
                               + ", ".join(f"« {c[:10]} »" for c in inconnus[:MAXIMUM]) + ".")
    demande.communes = [trouvees[c] for c in codes if c in trouvees]
    if parametres.get("profession"):
        demande.profil = ProfilForm({cle: valeur for cle, valeur in parametres.items() if cle != "codes"})
        if not demande.profil.is_valid():
            demande.erreurs += [f"{demande.profil.fields[champ].label if champ in demande.profil.fields else champ} : "
                                f"{' '.join(messages)}" for champ, messages in demande.profil.errors.items()]
    return demande


@dataclass(frozen=True)
class AidesDuProfil:
    simulation: Simulation
    bilan: Bilan
    lien: str

    @property
    def certaines(self):
        return [r for r in self.simulation.aides if r.statut in {"eligible", "au_choix"}]

    @property
    def a_verifier(self):
        return self.simulation.par_statut("a_preciser")

    @property
    def total_certain(self) -> str:
        return classement.montants_en_texte(self.bilan.total_certain)

    @property
    def total_possible(self) -> str:
        return classement.montants_en_texte(self.bilan.total_possible)


@dataclass(frozen=True)
class Colonne:
    """One commune of the comparison."""

    commune: Commune
    zonages: dict[str, ZonageCommune]
    apl: ValeurApl | None  # the latest year's
    structures: list[tuple[str, int]]  # (kind, number open or labelled)
    cpts: list[dict]  # {nom, url}
    aides: AidesDuProfil | None


@dataclass(frozen=True)
class Comparaison:
    jour: datetime.date
    colonnes: list[Colonne]
    profession: str | None

    @property
    def types_professions(self):
        return [t for t in TYPES.values() if t.famille == "profession"]

    @property
    def types_superpositions(self):
        return [t for t in TYPES.values() if t.famille != "profession"]

    def lignes_zonage(self, types) -> list[dict]:
        return [{"type": t, "cellules": [c.zonages[t.code] for c in self.colonnes]} for t in types]

    @property
    def lignes_professions(self):
        return self.lignes_zonage(self.types_professions)

    @property
    def lignes_superpositions(self):
        return self.lignes_zonage(self.types_superpositions)


def comparer(demande: Demande) -> Comparaison:
    jour = demande.jour
    codes = [c.code_insee for c in demande.communes]
    structures = _structures(codes, jour)
    cpts = _cpts(codes, jour)
    profil = demande.profil if demande.profil is not None and demande.profil.is_valid() else None
    colonnes = []
    for commune in demande.communes:
        aides = None
        if profil is not None:
            simulation = simuler(commune, profil.cleaned_data["profession"], jour, profil.situation)
            parametres = classement.parametres_du_profil(simulation.profession, jour, profil.situation)
            aides = AidesDuProfil(simulation, bilan(simulation.resultats),
                                  reverse("mes_aides") + "?" + urlencode({"commune": commune.code_insee, **parametres}))
        valeurs_apl = apl_de(commune.code_insee)
        colonnes.append(Colonne(commune, zonages_de(commune.code_insee, jour), valeurs_apl[0] if valeurs_apl else None,
                                structures.get(commune.code_insee, []), cpts.get(commune.code_insee, []), aides))
    return Comparaison(jour, colonnes, profil.cleaned_data["profession"] if profil else None)


def _structures(codes: list[str], jour: datetime.date) -> dict[str, list[tuple[str, int]]]:
    """{code INSEE: [(kind, how many)]}: the structures open or labelled on `jour` with the commune among theirs."""
    actives = structures_publiques().filter(communes__in=codes, statut_actuel__in=[Statut.LABELLISEE, Statut.OUVERTE])
    comptes: dict[str, list[tuple[str, int]]] = {}
    libelles = dict(Type.choices)
    for ligne in (actives.order_by().values("communes__code_insee", "type").annotate(n=Count("pk", distinct=True))
                  .order_by("communes__code_insee", "type")):
        if ligne["communes__code_insee"] in codes:
            comptes.setdefault(ligne["communes__code_insee"], []).append((libelles[ligne["type"]], ligne["n"]))
    return comptes


def _cpts(codes: list[str], jour: datetime.date) -> dict[str, list[dict]]:
    couvertures: dict[str, list[dict]] = {}
    for code, pk, nom in (TerritoireCpts.objects.filter(cpts_en_vigueur(jour), commune_id__in=codes)
                          .order_by("cpts__nom").values_list("commune_id", "cpts_id", "cpts__nom")):
        couvertures.setdefault(code, []).append({"nom": nom, "url": reverse("cpts_detail", args=[pk])})
    return couvertures
