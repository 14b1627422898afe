from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from territoires import habilitations
from territoires.api_ecriture import ModeleValideSerializer
from territoires.models import Commune

from .consultation import effectifs_ordonnes
from .models import ChangementStatut, Offre, Statut, Structure


class CommunePrincipaleSerializer(serializers.ModelSerializer):
    departement = serializers.CharField(source="departement_id", read_only=True, help_text="Code du département.")

    class Meta:
        model = Commune
        fields = ["code_insee", "nom", "departement"]


class CommuneCourteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commune
        fields = ["code_insee", "nom"]


class EffectifSerializer(serializers.Serializer):
    profession = serializers.CharField(help_text="Code de la profession, ex. medecin-generaliste.")
    libelle = serializers.CharField()
    nombre = serializers.IntegerField()


class ChangementStatutSerializer(serializers.ModelSerializer):
    libelle = serializers.CharField(source="get_statut_display", read_only=True)

    class Meta:
        model = ChangementStatut
        fields = ["statut", "libelle", "date"]


class RegistreSerializer(serializers.Serializer):
    nom = serializers.CharField(source="registre", help_text="Registre officiel, ex. FINESS.")
    date = serializers.DateField(source="date_registre", allow_null=True,
                                 help_text="Date d'extraction du registre : les données sont celles de ce jour-là.")
    libelle = serializers.CharField(source="libelle_registre", help_text="Ex. « registre FINESS au 8 janvier 2021 ».")


class StructureSerializer(serializers.ModelSerializer):
    type_libelle = serializers.CharField(source="type_complet", read_only=True,
                                         help_text="Type en toutes lettres, avec la catégorie du centre de santé.")
    statut = serializers.ChoiceField(source="statut_actuel", choices=Statut.choices, read_only=True, allow_null=True,
                                     help_text="Statut à ce jour (dernier changement daté) ; null s'il n'est pas "
                                     "renseigné.")
    statut_depuis = serializers.DateField(read_only=True, allow_null=True)
    commune = CommunePrincipaleSerializer(read_only=True, help_text="Commune principale.")
    communes = serializers.SerializerMethodField(help_text="Codes INSEE de toutes les communes couvertes.")
    professionnels = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api:structure-detail")
    page = serializers.SerializerMethodField(help_text="Page de la structure sur le portail.")
    registre = serializers.SerializerMethodField(help_text="Le registre officiel (FINESS) et sa date quand la "
                                                 "structure en vient ; null pour une fiche tenue par l'ARS.")

    class Meta:
        model = Structure
        fields = ["id", "identifiant", "nom", "type", "type_libelle", "sous_type", "universitaire", "statut",
                  "statut_depuis", "commune", "communes", "adresse", "longitude", "latitude", "forme_juridique",
                  "aci_signe", "aci_date", "professionnels", "email", "telephone", "site_web", "themes", "registre",
                  "url", "page"]

    @extend_schema_field(RegistreSerializer(allow_null=True))
    def get_registre(self, structure) -> dict | None:
        source = structure.import_source if structure.import_source_id else None
        return RegistreSerializer(source).data if source and source.registre else None

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_communes(self, structure) -> list[str]:
        return sorted(c.code_insee for c in structure.communes.all())

    @extend_schema_field(EffectifSerializer(many=True))
    def get_professionnels(self, structure):
        return effectifs_ordonnes(structure)

    def get_page(self, structure) -> str:
        request = self.context.get("request")
        chemin = f"/structures/{structure.pk}/"
        return request.build_absolute_uri(chemin) if request else chemin


class StructureDetailSerializer(StructureSerializer):
    communes = serializers.SerializerMethodField(help_text="Toutes les communes couvertes, la principale comprise.")
    statuts = ChangementStatutSerializer(source="changements_statut", many=True, read_only=True,
                                         help_text="Historique daté des statuts.")

    class Meta(StructureSerializer.Meta):
        fields = StructureSerializer.Meta.fields + ["statuts"]

    @extend_schema_field(CommuneCourteSerializer(many=True))
    def get_communes(self, structure):
        return CommuneCourteSerializer(sorted(structure.communes.all(), key=lambda c: c.code_insee), many=True).data


class StructureEcritureSerializer(ModeleValideSerializer):
    """Creating or changing a structure through the API (token of a user allowed to): the same fields and checks
    as the admin form. Answers with the detailed representation."""

    commune = serializers.SlugRelatedField(slug_field="code_insee", queryset=Commune.objects.all(),
                                           help_text="Code INSEE de la commune principale.")
    communes = serializers.SlugRelatedField(slug_field="code_insee", queryset=Commune.objects.all(), many=True,
                                            required=False, help_text="Codes INSEE des autres communes couvertes.")
    themes = serializers.ListField(child=serializers.CharField(max_length=300), required=False, max_length=50)

    class Meta:
        model = Structure
        fields = ["identifiant", "nom", "type", "sous_type", "universitaire", "forme_juridique", "commune", "communes",
                  "adresse", "longitude", "latitude", "aci_signe", "aci_date", "email", "telephone", "site_web",
                  "themes"]

    def validate_communes(self, communes):
        if any(not habilitations.departement_autorise(self.context["request"].user, c.departement_id) for c in communes):
            raise serializers.ValidationError(habilitations.MESSAGE_HORS_PERIMETRE)
        return communes

    def save(self, **kwargs):
        structure = super().save(**kwargs)
        structure.communes.add(structure.commune)  # the main commune is always one of its communes
        return structure


class OffreSerializer(serializers.ModelSerializer):
    commune = serializers.CharField(source="commune_id")
    commune_nom = serializers.CharField(source="commune.nom")
    departement = serializers.CharField(source="commune.departement_id")
    employeur = serializers.CharField(source="nom_employeur")
    structure = serializers.IntegerField(source="structure_id", allow_null=True)

    class Meta:
        model = Offre
        fields = ["id", "titre", "profession", "type", "employeur", "structure", "commune", "commune_nom",
                  "departement", "quotite", "date_debut", "publiee_le", "expire_le", "description", "contact_nom",
                  "contact_courriel", "contact_telephone"]


class OffreEcritureSerializer(ModeleValideSerializer):
    """Publishing or changing an offer through the API: the admin's fields and checks."""

    commune = serializers.SlugRelatedField(slug_field="code_insee", queryset=Commune.objects.all(),
                                           help_text="Code INSEE de la commune du poste.")
    structure = serializers.PrimaryKeyRelatedField(queryset=Structure.objects.all(), allow_null=True, required=False,
                                                   help_text="Numéro de la structure employeuse, si elle est dans le "
                                                             "portail ; sinon renseigner `employeur`.",
                                                   error_messages={"does_not_exist": "Aucune structure n'a le numéro "
                                                                                     "{pk_value}."})
    quotite = serializers.IntegerField(min_value=1, max_value=100, default=100,
                                       help_text="Quotité en pourcentage d'un temps plein (1 à 100).")

    class Meta:
        model = Offre
        fields = ["titre", "profession", "type", "structure", "employeur", "commune", "quotite", "date_debut",
                  "publiee_le", "expire_le", "description", "contact_nom", "contact_courriel", "contact_telephone"]

    def validate_structure(self, structure):
        if structure and not habilitations.objet_autorise(self.context["request"].user, structure,
                                                          "commune__departement"):
            raise serializers.ValidationError(habilitations.MESSAGE_HORS_PERIMETRE)
        return structure
