"""Reading structures and job offers for the public pages and the API, without HTTP: querysets with what each display
needs (derived status, main commune, counts), and the map's points."""
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse

from noyau.professions import PROFESSIONS
from territoires.models import Commune

from .models import ImportStructures, Offre, Structure


def structures_publiques() -> QuerySet:
    """Every structure with its status of today, main commune and professionals (list pages, API lists)."""
    return (Structure.objects.avec_statut().select_related("commune__departement", "import_source")
            .defer("import_source__rapport")
            .prefetch_related("effectifs", Prefetch("communes", queryset=Commune.objects.only("code_insee", "nom")))
            .order_by("nom", "pk"))


def registres(structures: QuerySet) -> list[tuple[str, int]]:
    """(« registre FINESS au 8 janvier 2021 », how many of `structures` it gave), for each register the structures
    come from: said wherever they are listed, since a register's structures are those of its date."""
    lignes = (Structure.objects.filter(pk__in=structures.values("pk")).exclude(import_source__registre="")
              .exclude(import_source=None).values("import_source__registre", "import_source__date_registre")
              .annotate(n=Count("pk")).order_by("import_source__date_registre"))
    return [(ImportStructures(registre=ligne["import_source__registre"],
                             date_registre=ligne["import_source__date_registre"])
             .libelle_registre, ligne["n"]) for ligne in lignes]


def structure_detaillee() -> QuerySet:
    """The same, plus the dated status changes (one structure's page, API detail)."""
    return structures_publiques().prefetch_related("changements_statut")


def effectifs_ordonnes(structure: Structure) -> list[dict]:
    """Professionals in the order of the professions' list, with their French label."""
    ordre = list(PROFESSIONS)
    return [{"profession": e.profession, "libelle": PROFESSIONS.get(e.profession, e.profession), "nombre": e.nombre}
            for e in sorted(structure.effectifs.all(), key=lambda e: ordre.index(e.profession)
                            if e.profession in ordre else len(ordre))]


def points_carte(structures: QuerySet) -> list[dict]:
    """The located structures of a (filtered) queryset, for the map: one light query, no relations."""
    lignes = (structures.exclude(longitude=None).exclude(latitude=None).order_by()
              .values_list("pk", "nom", "type", "longitude", "latitude"))
    return [{"id": pk, "nom": nom, "type": type_, "lon": round(lon, 6), "lat": round(lat, 6),
             "url": reverse("structure", args=[pk])} for pk, nom, type_, lon, lat in lignes]


def offres_visibles() -> QuerySet:
    """The offers in force today, with their commune and employer (pages, feed, API)."""
    return Offre.objects.visibles().select_related("commune__departement", "structure")
