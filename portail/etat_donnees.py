"""What the portal holds, read from the database for the "Données et sources" page: each layer with its version,
dates, reference, note, counts and import, and what is missing (with where the official information is)."""
import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from aides.models import Dispositif
from cpts.models import Cpts, TerritoireCpts
from indicateurs.models import ValeurApl
from structures.consultation import registres
from structures.models import ImportStructures, Structure
from territoires.models import EPCI, Commune, Departement
from zonages.consultation import version_en_vigueur
from zonages.models import QPV, Zonage
from zonages.niveaux import TYPES, VERIFIER_QPV

from .models import ChargementReferentiel


@dataclass
class Couche:
    """One layer of data as loaded (or missing) on a date."""

    nom: str
    chargee: bool
    reference: str = ""
    debut: datetime.date | None = None
    fin: datetime.date | None = None
    note: str = ""
    comptes: list[tuple[str, int]] = field(default_factory=list)
    fichier: str = ""
    importe_le: datetime.datetime | None = None
    avertissements: int = 0
    ou_verifier: str = ""
    terminee: bool = False  # the latest published version ended before the date: nothing is missing
    import_id: int | None = None  # the ImportZonage that loaded it (its report, for staff)


def _zonage(code: str, jour: datetime.date) -> Couche:
    type_zonage = TYPES[code]
    version = version_en_vigueur(code, jour)
    terminee = False
    if version is None:
        version = (Zonage.objects.filter(type=code, statut=Zonage.Statut.PUBLIE, valid_to__lt=jour)
                   .select_related("import_source").order_by("-valid_to").first())
        terminee = version is not None
    if version is None:
        return Couche(type_zonage.libelle, False, ou_verifier=type_zonage.ou_verifier)
    niveaux = Counter(dict(version.classements.values_list("niveau").annotate(n=Count("pk")).values_list("niveau", "n")))
    comptes = [(n.libelle, niveaux[n.code]) for n in type_zonage.niveaux if niveaux[n.code]]
    origine = version.import_source
    return Couche(type_zonage.libelle, True, version.reference, version.valid_from, version.valid_to, version.note_source,
                  comptes, origine.fichier_nom if origine else "", origine.termine_le if origine else None,
                  origine.nb_avertissements if origine else 0, type_zonage.ou_verifier, terminee,
                  origine.pk if origine else None)


def _qpv(jour: datetime.date) -> Couche:
    en_vigueur = QPV.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=jour), valid_from__lte=jour)
    premier = en_vigueur.select_related("import_source").order_by("valid_from").first()
    if premier is None:
        return Couche("Quartiers prioritaires de la politique de la ville (QPV)", False, ou_verifier=VERIFIER_QPV)
    origine = premier.import_source
    return Couche("Quartiers prioritaires de la politique de la ville (QPV)", True,
                  origine.parametres.get("reference", "") if origine else "", premier.valid_from, premier.valid_to,
                  origine.parametres.get("note_source", "") if origine else "",
                  [("quartiers", en_vigueur.count()),
                   ("communes concernées", en_vigueur.values("communes").exclude(communes=None).distinct().count())],
                  origine.fichier_nom if origine else "", origine.termine_le if origine else None,
                  origine.nb_avertissements if origine else 0, VERIFIER_QPV, import_id=origine.pk if origine else None)


@dataclass
class Chargement:
    """The latest load of one reference file (or set of files), with its report's counts; `admin` names the admin
    page of its record (the report with every warning), for staff."""

    quoi: str
    fichier: str
    le: datetime.datetime | None
    lignes_lues: int
    avertissements: int
    admin: str  # the admin URL name of its record
    permission: str  # needed to read it there
    pk: int


def _chargements() -> list[Chargement]:
    derniers: dict[tuple, Chargement] = {}
    for c in ChargementReferentiel.objects.filter(statut=ChargementReferentiel.Statut.IMPORTE).order_by("-cree_le"):
        derniers.setdefault((c.nature, c.fichier_nom), Chargement(
            c.get_nature_display(), c.fichier_nom, c.termine_le, c.lignes_lues, c.nb_avertissements,
            "admin:portail_chargementreferentiel_change", "portail.view_chargementreferentiel", c.pk))
    structures = [Chargement(f"structures ({s.libelle_registre or 'fichier de l’ARS'})", s.fichier_nom, s.termine_le,
                             s.lignes_lues, s.nb_avertissements, "admin:structures_importstructures_change",
                             "structures.view_importstructures", s.pk)
                  for s in ImportStructures.objects.filter(statut=ImportStructures.Statut.IMPORTE, essai=False,
                                                           structures__isnull=False).distinct().order_by("-cree_le")]
    return list(derniers.values()) + structures


@dataclass
class EtatDonnees:
    jour: datetime.date
    territoires: list[tuple[str, int]]
    zonages: list[Couche]
    superpositions: list[Couche]
    qpv: Couche
    apl: list[tuple[int, int]]  # (year, communes with a value)
    structures: int
    structures_registres: list[tuple[str, int]]  # (« registre FINESS au 8 janvier 2021 », structures it gave)
    cpts: int
    cpts_avec_communes: int
    dispositifs: int
    chargements: list[Chargement] = field(default_factory=list)

    @property
    def manquantes(self) -> list[Couche]:
        return [c for c in [*self.zonages, *self.superpositions, self.qpv] if not c.chargee]


def etat_des_donnees(jour: datetime.date | None = None) -> EtatDonnees:
    jour = jour or timezone.localdate()
    communes = Commune.objects.aggregate(n=Count("pk"), contours=Count("pk", filter=Q(contour__isnull=False)))
    return EtatDonnees(
        jour=jour,
        territoires=[("départements", Departement.objects.count()), ("EPCI", EPCI.objects.count()),
                     ("communes", communes["n"]), ("communes avec leur contour", communes["contours"])],
        zonages=[_zonage(code, jour) for code, t in TYPES.items() if t.famille == "profession"],
        superpositions=[_zonage(code, jour) for code, t in TYPES.items() if t.famille == "superposition"],
        qpv=_qpv(jour),
        apl=list(ValeurApl.objects.values_list("annee").annotate(n=Count("pk")).order_by("-annee")),
        structures=Structure.objects.count(),
        structures_registres=registres(Structure.objects.all()),
        cpts=Cpts.objects.count(),
        cpts_avec_communes=TerritoireCpts.objects.values("cpts").distinct().count(),
        dispositifs=Dispositif.objects.count(),
        chargements=_chargements(),
    )
