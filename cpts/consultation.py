"""Reading CPTS for the public pages and the API, without HTTP: querysets with what each display needs, and the
coverage map's data."""
import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from .models import Cpts, TerritoireCpts


def en_vigueur(jour: datetime.date) -> Q:
    """In force on `jour`; an unknown start (undated source) counts as begun."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=jour)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=jour))


def cpts_publiques(jour: datetime.date | None = None) -> QuerySet:
    """Every CPTS with its départements, and annotated with the number of communes attached on `jour` and their
    population (`nb_communes`, `population_communes`)."""
    jour = jour or timezone.localdate()
    territoire = TerritoireCpts.objects.filter(en_vigueur(jour), cpts=OuterRef("pk")).order_by().values("cpts")
    nombre = territoire.annotate(n=Count("pk")).values("n")
    population = territoire.annotate(p=Sum("commune__population")).values("p")
    return (Cpts.objects.prefetch_related("departements")
            .annotate(nb_communes=Coalesce(Subquery(nombre, output_field=IntegerField()), 0),
                      population_communes=Subquery(population, output_field=IntegerField()))
            .order_by("nom", "pk"))


def cpts_detaillee() -> QuerySet:
    """The same, plus the territory rows with their communes and the missions (one CPTS's page, API detail)."""
    return cpts_publiques().prefetch_related(
        Prefetch("territoires", queryset=TerritoireCpts.objects.select_related("commune").only(
            "cpts_id", "valid_from", "valid_to", "source", "commune__code_insee", "commune__nom", "commune__population",
            "commune__departement_id").order_by("commune__nom")),
        "missions")


def couverture(cpts: QuerySet, jour: datetime.date | None = None) -> dict[str, dict]:
    """{code INSEE: {nom, url}} of the communes covered on `jour` by one of the (filtered) CPTS."""
    jour = jour or timezone.localdate()
    lignes = (TerritoireCpts.objects.filter(en_vigueur(jour), cpts__in=cpts.order_by().values("pk"))
              .values_list("commune_id", "cpts_id", "cpts__nom"))
    return {code: {"cpts": nom, "url": reverse("cpts_detail", args=[pk])} for code, pk, nom in lignes}

