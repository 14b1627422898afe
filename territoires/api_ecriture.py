"""Write access to the API: who may write, on which territory, with the same model validation as the admin.

Reads stay open to anonymous users. A write needs an authenticated user (API token or session) holding the model's
add/change/delete permission; a délégation départementale writes only records of its own départements.
"""
from django.core.exceptions import ValidationError as ErreurDjango
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from noyau.api import TypesStricts

from . import habilitations

REPONSES_ECRITURE = {
    400: OpenApiResponse(description="Données invalides : le corps nomme chaque champ fautif."),
    401: OpenApiResponse(description="Authentification requise (en-tête `Authorization: Token <jeton>`).",
                         examples=[OpenApiExample("Sans jeton", value={
                             "detail": "Informations d'authentification non fournies."})]),
    403: OpenApiResponse(description="Droit manquant, ou enregistrement hors du périmètre de l'utilisateur.",
                         examples=[OpenApiExample("Hors périmètre", value={
                             "detail": habilitations.MESSAGE_HORS_PERIMETRE})]),
}


class EcritureAutorisee(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Reads for everyone; writes need the model's add/change/delete permission and, on an existing record, that
    it lies in the user's perimeter."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not habilitations.objet_autorise(request.user, obj, view.chemin_departement):
            raise PermissionDenied(habilitations.MESSAGE_HORS_PERIMETRE)
        return True


class ModeleValideSerializer(TypesStricts, serializers.ModelSerializer):
    """Runs the model's own validation (clean(), constraints) as the admin does, reporting per field; every value
    of the body is of its field's kind first (TypesStricts)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        apercu = self.apercu(attrs)
        try:
            # Field-level checks were done by the serializer, uniqueness by its validators; clean() and every
            # database constraint are checked here, so that none surfaces as an IntegrityError.
            apercu.full_clean(exclude=[f.name for f in self.Meta.model._meta.fields], validate_unique=False,
                              validate_constraints=False)
            apercu.validate_constraints()
        except ErreurDjango as erreur:
            raise serializers.ValidationError(erreur.message_dict if hasattr(erreur, "error_dict")
                                              else {"non_field_errors": erreur.messages}) from None
        return attrs

    def to_internal_value(self, data):
        if _contient_nul(data):  # PostgreSQL text cannot hold NUL: refuse it here rather than fail on write
            raise serializers.ValidationError({"non_field_errors": ["Le caractère NUL (\\u0000) n'est pas accepté."]})
        return super().to_internal_value(data)

    def apercu(self, attrs):
        """An unsaved copy of the record as it would be with `attrs` (a new one on create)."""
        modele = self.Meta.model
        actuel = ({f.attname: getattr(self.instance, f.attname) for f in modele._meta.concrete_fields}
                  if self.instance is not None else {})
        objet = modele(**actuel)
        for cle, valeur in attrs.items():
            if not modele._meta.get_field(cle).many_to_many:
                setattr(objet, cle, valeur)
        return objet


def _contient_nul(valeur) -> bool:
    if isinstance(valeur, str):
        return "\x00" in valeur
    if isinstance(valeur, dict):
        return any(_contient_nul(k) or _contient_nul(v) for k, v in valeur.items())
    if isinstance(valeur, (list, tuple)):
        return any(_contient_nul(v) for v in valeur)
    return False


class EcritureTerritorialeMixin:
    """For ModelViewSets: writes check the perimeter on the record's new territory, and answer with the read
    representation (the same as GET)."""

    chemin_departement: str  # FK path from the model to Departement, e.g. "commune__departement"
    serializer_lecture_class: type

    def _verifier_territoire(self, instance_non_enregistree):
        objet = instance_non_enregistree
        *chemin, dernier = self.chemin_departement.split("__")
        for etape in chemin:
            objet = getattr(objet, etape)
        if not habilitations.departement_autorise(self.request.user, getattr(objet, f"{dernier}_id")):
            raise PermissionDenied(habilitations.MESSAGE_HORS_PERIMETRE)

    def _enregistrer(self, serializer):
        self._verifier_territoire(serializer.apercu(serializer.validated_data))
        return serializer.save()

    def _repondre(self, instance, code):
        lecture = self.serializer_lecture_class(self.objet_pour_lecture(instance), context=self.get_serializer_context())
        return Response(lecture.data, status=code)

    def objet_pour_lecture(self, instance):
        return instance

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._repondre(self._enregistrer(serializer), status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.pop("partial", False))
        serializer.is_valid(raise_exception=True)
        return self._repondre(self._enregistrer(serializer), status.HTTP_200_OK)
