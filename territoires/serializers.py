from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import EPCI, Commune, CommuneRattachee, Departement


class DepartementCourtSerializer(serializers.ModelSerializer):
    class Meta:
        model = Departement
        fields = ["code", "nom"]


class EpciCourtSerializer(serializers.ModelSerializer):
    class Meta:
        model = EPCI
        fields = ["code", "nom", "type"]


class CommuneRattacheeSerializer(serializers.ModelSerializer):
    class Meta:
        model = CommuneRattachee
        fields = ["code", "nom", "type"]


class CommuneSerializer(serializers.ModelSerializer):
    departement = DepartementCourtSerializer(read_only=True)
    epci = EpciCourtSerializer(read_only=True, allow_null=True)
    codes_postaux = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:commune-detail", lookup_field="code_insee")
    page = serializers.SerializerMethodField(help_text="Page de la commune sur le portail.")

    class Meta:
        model = Commune
        fields = ["code_insee", "nom", "departement", "epci", "codes_postaux", "population",
                  "longitude", "latitude", "url", "page"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_codes_postaux(self, commune) -> list[str]:
        return commune.codes_postaux_liste

    def get_page(self, commune) -> str:
        request = self.context.get("request")
        chemin = f"/communes/{commune.code_insee}/"
        return request.build_absolute_uri(chemin) if request else chemin


class CommuneDetailSerializer(CommuneSerializer):
    region = serializers.CharField(source="departement.region.nom", read_only=True)
    contour = serializers.JSONField(read_only=True, help_text="Contour GeoJSON (Polygon ou MultiPolygon), WGS84.")
    communes_rattachees = CommuneRattacheeSerializer(many=True, read_only=True)

    class Meta(CommuneSerializer.Meta):
        fields = CommuneSerializer.Meta.fields + ["region", "contour", "communes_rattachees"]
