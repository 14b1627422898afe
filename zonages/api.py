"""API of zonages: versions and their classification, a commune's zonages on a date, QPV at a point."""
import datetime

from django.http import Http404, StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings

from noyau import csv_sur
from territoires.api import commune_introuvable
from territoires.models import Commune

from .consultation import qpv_de_la_commune, zonages_de
from .filtres import ClassementFilter, ZonageFilter
from .models import Classement, Zonage
from .qpv import qpv_au_point
from .serializers import (
    ClassementSerializer,
    QpvPointSerializer,
    ZonageClassementSerializer,
    ZonagesCommuneSerializer,
    ZonageSerializer,
)


def lire_date(valeur: str | None, parametre: str = "date") -> datetime.date:
    if not valeur:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(valeur)
    except ValueError:
        raise ValidationError({parametre: [f"« {valeur} » n'est pas une date au format AAAA-MM-JJ."]}) from None


ERREUR_400 = OpenApiResponse(description="Paramètre invalide : le corps nomme le paramètre fautif.")


class CSVRenderer(BaseRenderer):
    """Lets DRF's content negotiation accept `?format=csv`; the CSV itself is streamed by the view."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, (bytes, str)) else str(data)


class _Echo:
    def write(self, valeur):
        return valeur


def csv_classement(zonage: Zonage, classements) -> StreamingHttpResponse:
    ecrivain = csv_sur.ecrivain(_Echo(), delimiter=";")
    type_zonage = zonage.type_zonage

    def lignes():
        yield "\ufeff" + ecrivain.writerow(["code_insee", "commune", "departement", "niveau", "libelle"])
        for c in classements.iterator(chunk_size=2000):
            niveau = type_zonage.niveau(c.niveau)
            yield ecrivain.writerow([c.commune_id, c.commune.nom, c.commune.departement_id, c.niveau,
                                     niveau.libelle if niveau else ""])

    reponse = StreamingHttpResponse(lignes(), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="zonage-{zonage.type}-{zonage.valid_from}-{zonage.pk}.csv"'
    return reponse


@extend_schema_view(
    list=extend_schema(summary="Versions de zonage",
                       description="Versions publiées, filtrables par type, date d'entrée en vigueur et statut.",
                       responses={200: ZonageSerializer(many=True), 400: ERREUR_400}),
    retrieve=extend_schema(
        summary="Une version et son classement",
        description="La version et le classement paginé de ses communes (filtres `niveau`, `departement`). "
        "`?format=csv` renvoie tout le classement filtré en CSV (séparateur « ; », UTF-8 avec BOM).",
        parameters=[
            OpenApiParameter("niveau", OpenApiTypes.STR, examples=[OpenApiExample("ZIP", value="ZIP")]),
            OpenApiParameter("departement", OpenApiTypes.STR, examples=[OpenApiExample("Hérault", value="34")]),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"]),
            OpenApiParameter("page", OpenApiTypes.INT), OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={(200, "application/json"): ZonageClassementSerializer, (200, "text/csv"): OpenApiTypes.STR,
                   400: ERREUR_400, 404: OpenApiResponse(description="Version inconnue ou non publiée.")},
    ),
)
class ZonageViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ZonageSerializer
    filterset_class = ZonageFilter

    def get_renderers(self):
        renderers = super().get_renderers()
        return renderers + [CSVRenderer()] if self.action == "retrieve" else renderers

    def handle_exception(self, exc):
        # Errors are JSON even when the CSV was asked for.
        reponse = super().handle_exception(exc)
        if isinstance(getattr(self.request, "accepted_renderer", None), CSVRenderer):
            self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return reponse

    def get_queryset(self):
        # Drafts are ARS work in progress: never public.
        return Zonage.objects.filter(statut=Zonage.Statut.PUBLIE).order_by("type", "-valid_from")

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            raise NotFound(f"Aucune version publiée de zonage n'a le numéro {self.kwargs['pk'][:40]}.") from None

    def retrieve(self, request, *args, **kwargs):
        zonage = self.get_object()
        filtre = ClassementFilter(request.query_params, queryset=Classement.objects.filter(zonage=zonage)
                                  .select_related("commune").order_by("commune_id"))
        if not filtre.is_valid():
            raise ValidationError(filtre.errors)
        if request.query_params.get("format") == "csv":
            return csv_classement(zonage, filtre.qs)
        paginateur = api_settings.DEFAULT_PAGINATION_CLASS()
        page = paginateur.paginate_queryset(filtre.qs, request, view=self)
        classement = ClassementSerializer(page, many=True, context={"type": zonage.type}).data
        return Response({**ZonageSerializer(zonage).data, "classement": paginateur.get_paginated_response(classement).data})


def _version(z) -> dict:
    return {"niveau": z.niveau, "libelle": z.libelle, "version": z.zonage.pk if z.zonage else None,
            "reference": z.zonage.reference if z.zonage else None,
            "valid_from": z.zonage.valid_from if z.zonage else None,
            "valid_to": z.zonage.valid_to if z.zonage else None,
            "note_source": z.zonage.note_source if z.zonage else None}


EXEMPLE_ZONAGES_COMMUNE = {
    "commune": {"code_insee": "30269", "nom": "Saint-Jean-du-Gard", "departement": "30"},
    "date": "2026-01-01",
    "zonages": {"medecin": {"niveau": "ZIP", "libelle": "Zone d'intervention prioritaire", "version": 1,
                            "reference": "…", "valid_from": "2022-05-07", "valid_to": None, "note_source": "…"},
                "frr": {"niveau": None, "libelle": None, "version": None, "reference": None, "valid_from": None,
                        "valid_to": None, "note_source": None}},
    "qpv": [],
}


@extend_schema(
    summary="Zonages d'une commune à une date",
    description="Tous les types de zonage, en vigueur à la date demandée (aujourd'hui par défaut). Un type sans "
    "version en vigueur à cette date figure avec `\"niveau\": null`.",
    parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="AAAA-MM-JJ (défaut : aujourd'hui)")],
    responses={200: OpenApiResponse(ZonagesCommuneSerializer,
                                    examples=[OpenApiExample("Exemple", value=EXEMPLE_ZONAGES_COMMUNE)]),
               400: OpenApiResponse(description="Date invalide."),
               404: OpenApiResponse(description="Commune inconnue ; pour un ancien code, le corps indique la commune "
                                    "actuelle (`commune_actuelle`).")},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def zonages_commune(request, code_insee: str):
    jour = lire_date(request.query_params.get("date"))
    commune = (Commune.objects.servies().only("code_insee", "nom", "departement_id")
               .filter(code_insee=code_insee).first())
    if commune is None:
        raise commune_introuvable(code_insee)
    zonages = zonages_de(commune.code_insee, jour)
    return Response({
        "commune": {"code_insee": commune.code_insee, "nom": commune.nom, "departement": commune.departement_id},
        "date": jour,
        "zonages": {code: _version(z) for code, z in zonages.items()},
        "qpv": [{"code": q.code, "nom": q.nom, "valid_from": q.valid_from, "valid_to": q.valid_to}
                for q in qpv_de_la_commune(commune.code_insee, jour)],
    })


def _coordonnee(valeur: str | None, parametre: str, minimum: float, maximum: float) -> float:
    try:
        nombre = float(valeur)
    except (TypeError, ValueError):
        raise ValidationError({parametre: [f"« {valeur} » n'est pas un nombre (degrés décimaux WGS84)."]}) from None
    if not minimum <= nombre <= maximum:
        raise ValidationError({parametre: [f"{parametre} doit être compris entre {minimum} et {maximum}."]})
    return nombre


@extend_schema(
    summary="QPV contenant un point",
    description="Les quartiers prioritaires de la politique de la ville en vigueur à la date (défaut : aujourd'hui) "
    "dont le périmètre contient le point (longitude, latitude en WGS84). Liste vide hors QPV.",
    parameters=[OpenApiParameter("lon", OpenApiTypes.NUMBER, required=True, examples=[OpenApiExample("lon", value=3.876)]),
                OpenApiParameter("lat", OpenApiTypes.NUMBER, required=True, examples=[OpenApiExample("lat", value=43.61)]),
                OpenApiParameter("date", OpenApiTypes.DATE)],
    responses={200: QpvPointSerializer, 400: OpenApiResponse(description="Coordonnées ou date invalides.")},
)
@api_view(["GET"])
@permission_classes([AllowAny])
def qpv_point(request):
    lon = _coordonnee(request.query_params.get("lon"), "lon", -180, 180)
    lat = _coordonnee(request.query_params.get("lat"), "lat", -90, 90)
    jour = lire_date(request.query_params.get("date"))
    return Response({"lon": lon, "lat": lat, "date": jour, "qpv": qpv_au_point(lon, lat, jour)})
