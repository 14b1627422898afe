"""The département page without HTTP: how a profession's zonage classes its communes on a date, its most populated
communes with their level, and its coordinated-practice structures and CPTS."""
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import Coalesce

from cpts.models import Cpts
from structures.models import Structure, Type
from territoires.models import Commune, Departement
from zonages import carte
from zonages.models import Zonage
from zonages.niveaux import TYPES, Niveau, TypeZonage

NOMBRE_COMMUNES_AFFICHEES = 20


@dataclass(frozen=True)
class LigneNiveau:
    """One level of the zonage in the département: how many communes, how many inhabitants."""

    code: str  # "" for the communes the version does not class
    libelle: str
    teinte: str
    communes: int
    population: int


@dataclass(frozen=True)
class CommuneClassee:
    commune: Commune
    niveau: Niveau | None


@dataclass(frozen=True)
class ResumeZonage:
    type_zonage: TypeZonage
    version: Zonage | None  # None: no version in force on the date
    lignes: list[LigneNiveau]
    communes: list[CommuneClassee]  # the most populated ones, with their level

    @property
    def legende(self) -> dict:
        """For the map's script: {level: {libelle, couleur}}."""
        return {n.code: {"libelle": n.libelle, "couleur": n.couleur} for n in self.type_zonage.niveaux}


def resume_zonage(departement: Departement, type_zonage: str, jour: datetime.date) -> ResumeZonage:
    """The levels of `type_zonage` in force on `jour` across the département's communes (two queries, the
    classification being cached)."""
    type_ = TYPES[type_zonage]
    version = carte.versions_en_vigueur(jour, [type_zonage]).get(type_zonage)
    niveaux = carte.classement(type_zonage, jour, version)["niveaux"] if version else {}
    communes = list(Commune.objects.filter(departement=departement).defer("contour")
                    .order_by("-population", "nom"))
    comptes: dict[str, list[int]] = {}
    for c in communes:
        compte = comptes.setdefault(niveaux.get(c.code_insee, ""), [0, 0])
        compte[0] += 1
        compte[1] += c.population or 0
    lignes = [LigneNiveau(n.code, n.libelle, n.teinte, *comptes.pop(n.code)) for n in type_.niveaux if n.code in comptes]
    sans_niveau = comptes.pop("", None)
    # A level the vocabulary does not name (a file's own code) is still counted, under its code.
    lignes += [LigneNiveau(code, code, "gris", *compte) for code, compte in sorted(comptes.items())]
    if sans_niveau:
        lignes.append(LigneNiveau("", "Non classée par la version en vigueur", "gris", *sans_niveau))
    return ResumeZonage(type_, version, lignes if version else [],
                        [CommuneClassee(c, type_.niveau(niveaux.get(c.code_insee, "")))
                         for c in communes[:NOMBRE_COMMUNES_AFFICHEES]])


def chiffres(departement: Departement) -> dict:
    """Communes, population, structures by kind and CPTS of the département."""
    communes = Commune.objects.filter(departement=departement).aggregate(
        nombre=Count("pk"), population=Coalesce(Sum("population"), 0))
    dans_le_departement = Structure.communes.through.objects.filter(structure=OuterRef("pk"),
                                                                    commune__departement_id=departement.code)
    structures = dict(Structure.objects.filter(Exists(dans_le_departement)).order_by().values_list("type")
                      .annotate(n=Count("pk")).values_list("type", "n"))
    return {"communes": communes["nombre"], "population": communes["population"],
            "msp": structures.get(Type.MSP, 0), "centres": structures.get(Type.CENTRE_SANTE, 0),
            "cpts": Cpts.objects.filter(departements=departement).count()}
