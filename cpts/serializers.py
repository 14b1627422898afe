from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .financement import tranche_aci_de
from .models import Cpts, Mission, Stade


class TerritoireSerializer(serializers.Serializer):
    code_insee = serializers.CharField(source="commune.code_insee")
    nom = serializers.CharField(source="commune.nom")
    population = serializers.IntegerField(source="commune.population", allow_null=True)
    valid_from = serializers.DateField(allow_null=True, help_text="Vide : date de début non connue (source non datée).")
    valid_to = serializers.DateField(allow_null=True)
    source = serializers.CharField(help_text="Document qui liste la commune dans le territoire de la CPTS.")


class MissionSerializer(serializers.ModelSerializer):
    intitule = serializers.CharField(read_only=True)
    socle = serializers.BooleanField(read_only=True)

    class Meta:
        model = Mission
        fields = ["code", "intitule", "socle", "etat"]


class TrancheAciSerializer(serializers.Serializer):
    etat = serializers.ChoiceField(choices=["tranche", "montant_a_preciser", "population_inconnue", "sans_regle"],
                                   help_text="montant_a_preciser : la tranche est connue, pas son montant (le "
                                   "libellé dit pourquoi).")
    population = serializers.IntegerField(allow_null=True)
    origine_population = serializers.CharField(help_text="calculee, declaree, ou vide si inconnue.")
    valeur = serializers.FloatField(source="montant.valeur", allow_null=True, default=None,
                                    help_text="null : montant à préciser ou inconnu.")
    unite = serializers.CharField(source="montant.unite", allow_null=True, default=None)
    libelle = serializers.CharField(source="montant.libelle", allow_null=True, default=None)
    verifie = serializers.BooleanField(source="montant.verifie", allow_null=True, default=None)


class CptsSerializer(serializers.ModelSerializer):
    stade = serializers.ChoiceField(choices=Stade.choices, read_only=True)
    stade_libelle = serializers.CharField(source="get_stade_display", read_only=True)
    departements = serializers.SerializerMethodField(help_text="Codes des départements.")
    nb_communes = serializers.IntegerField(read_only=True, help_text="Communes rattachées à ce jour.")
    population_calculee = serializers.IntegerField(source="population_communes", read_only=True, allow_null=True,
                                                   help_text="Somme des populations des communes rattachées à ce "
                                                   "jour ; null sans commune rattachée.")
    url = serializers.HyperlinkedIdentityField(view_name="api:cpts-detail")
    page = serializers.SerializerMethodField(help_text="Page de la CPTS sur le portail.")

    class Meta:
        model = Cpts
        fields = ["id", "nom", "porteur", "stade", "stade_libelle", "date_aci", "departements", "nb_communes",
                  "population_calculee", "population_declaree", "source_population", "nombre_communes_declare",
                  "territoire_declare", "email", "telephone", "site_web", "url", "page"]

    def get_departements(self, cpts) -> list[str]:
        return sorted(d.code for d in cpts.departements.all())

    def get_page(self, cpts) -> str:
        request = self.context.get("request")
        chemin = f"/cpts/{cpts.pk}/"
        return request.build_absolute_uri(chemin) if request else chemin


class CptsDetailSerializer(CptsSerializer):
    communes = serializers.SerializerMethodField(help_text="Communes rattachées à ce jour, avec leurs dates.")
    missions = MissionSerializer(many=True, read_only=True)
    aci = serializers.SerializerMethodField(help_text="Tranche de financement ACI CPTS (règle datée partagée avec "
                                            "le moteur des aides).")

    class Meta(CptsSerializer.Meta):
        fields = CptsSerializer.Meta.fields + ["source", "communes", "missions", "aci"]

    @extend_schema_field(TerritoireSerializer(many=True))
    def get_communes(self, cpts):
        return TerritoireSerializer(cpts.territoires_le(), many=True).data

    @extend_schema_field(TrancheAciSerializer)
    def get_aci(self, cpts):
        return TrancheAciSerializer(tranche_aci_de(cpts)).data
