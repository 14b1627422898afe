"""Serializers of the zonages API: a version, its classification, and the shapes of the responses built by hand
(documented in the schema)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Classement, Zonage
from .niveaux import TYPES


class NiveauSerializer(serializers.Serializer):
    code = serializers.CharField()
    libelle = serializers.CharField()


class ZonageSerializer(serializers.ModelSerializer):
    type_libelle = serializers.SerializerMethodField()
    niveaux = serializers.SerializerMethodField(help_text="Vocabulaire des niveaux de ce type (code, libellé).")

    class Meta:
        model = Zonage
        fields = ["id", "type", "type_libelle", "reference", "valid_from", "valid_to", "statut", "note_source",
                  "niveaux"]
        read_only_fields = fields  # a published version is read, never written, through the API

    def get_type_libelle(self, zonage) -> str:
        return zonage.type_zonage.libelle

    @extend_schema_field(NiveauSerializer(many=True))
    def get_niveaux(self, zonage) -> list[dict]:
        return [{"code": n.code, "libelle": n.libelle} for n in zonage.type_zonage.niveaux]


class ClassementSerializer(serializers.ModelSerializer):
    code_insee = serializers.CharField(source="commune_id")
    commune = serializers.CharField(source="commune.nom")
    departement = serializers.CharField(source="commune.departement_id")
    libelle = serializers.SerializerMethodField()

    class Meta:
        model = Classement
        fields = ["code_insee", "commune", "departement", "niveau", "libelle"]

    def get_libelle(self, classement) -> str:
        niveau = TYPES[self.context["type"]].niveau(classement.niveau)
        return niveau.libelle if niveau else classement.niveau


# --- Response shapes, for the schema only ---------------------------------------------------------------------------

class PageClassementSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ClassementSerializer(many=True)


class ZonageClassementSerializer(ZonageSerializer):
    classement = PageClassementSerializer(help_text="Classement paginé des communes (filtres `niveau`, "
                                          "`departement`).")

    class Meta(ZonageSerializer.Meta):
        fields = ZonageSerializer.Meta.fields + ["classement"]


class CommuneDesZonagesSerializer(serializers.Serializer):
    code_insee = serializers.CharField()
    nom = serializers.CharField()
    departement = serializers.CharField()


class VersionCommuneSerializer(serializers.Serializer):
    niveau = serializers.CharField(allow_null=True, help_text="null : aucune version de ce type en vigueur à la date.")
    libelle = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True, help_text="`id` de la version de zonage.")
    reference = serializers.CharField(allow_null=True)
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    note_source = serializers.CharField(allow_null=True)


class QpvSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(allow_null=True)


class ZonagesCommuneSerializer(serializers.Serializer):
    commune = CommuneDesZonagesSerializer()
    date = serializers.DateField()
    zonages = serializers.DictField(child=VersionCommuneSerializer(), help_text="Par type de zonage (tous les types).")
    qpv = QpvSerializer(many=True)


class QpvPointSerializer(serializers.Serializer):
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    date = serializers.DateField()
    qpv = QpvSerializer(many=True)
