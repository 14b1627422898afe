"""GET/POST /api/v1/eligibilite/: which aids apply, here, on this date, and why."""
from django import forms
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .eligibilite.vocabulaire import FAITS, LIEU
from .formulaires import SimulationForm
from .simulation import resultat_en_dict, simuler

DECLARES = {**FAITS, **LIEU}


def _schema(champ: forms.Field) -> dict:
    """The parameter's JSON schema: its type, its bounds for a number, its values for a choice."""
    if isinstance(champ, (forms.IntegerField, forms.FloatField)):
        bornes = {"minimum": champ.min_value, "maximum": champ.max_value}
        # FloatField derives from IntegerField: test it first.
        return {"type": "number" if isinstance(champ, forms.FloatField) else "integer",
                **{cle: valeur for cle, valeur in bornes.items() if valeur is not None}}
    if isinstance(champ, forms.DateField):
        return {"type": "string", "format": "date"}
    choix = [str(c) for c, _ in getattr(champ, "choices", []) if c != ""]
    return {"type": "string", "enum": choix} if choix else {"type": "string"}


def _description(nom: str, champ) -> str:
    """A declared fact is described by its question; the other fields by their help, else their label."""
    fait = DECLARES.get(nom)
    return fait.question if fait else str(champ.help_text or champ.label)


def _parametres_documentes() -> list[OpenApiParameter]:
    """Every field of the form, in its order: commune, profession, date, then the situation (most decisive first)."""
    return [OpenApiParameter(nom, _schema(champ), required=champ.required, description=_description(nom, champ))
            for nom, champ in SimulationForm.base_fields.items()]


CHAMPS = list(SimulationForm.base_fields)


class SchemaDansLOrdreDuFormulaire(AutoSchema):
    """The parameters in the form's order (required first, most decisive facts next), not alphabetically."""

    def _get_parameters(self):
        rang = {nom: i for i, nom in enumerate(CHAMPS)}
        return sorted(super()._get_parameters(), key=lambda p: rang.get(p["name"], len(rang)))


EXEMPLE = {"commune": {"code_insee": "34032", "nom": "Béziers"}, "profession": "medecin-generaliste",
           "date": "2026-03-01", "zonages": {"medecin": "ZIP", "infirmier": "SURD"}, "aides": [
               {"code": "AM-AIDE-INSTALLATION", "nom": "…", "statut": "eligible",
                "montant": {"valeur": 10000, "unite": "unique", "duree": None, "verifie": True},
                "raisons": [{"critere": "zonage:medecin", "statut": "rempli", "message": "…"}], "questions": [],
                "sources": [{"reference": "W50", "lien": "…"}], "contact": {"type": "cpam", "libelle": "CPAM"}}]}


@extend_schema(
    methods=["GET", "POST"],
    summary="Éligibilité aux aides",
    description="Pour une commune, une profession, une date (aujourd'hui par défaut) et une situation, chaque "
    "dispositif en vigueur à cette date : `eligible`, `non_eligible` ou `a_preciser` (avec les questions à "
    "préciser), le montant, une raison par condition, les sources et le contact. Éligibles d'abord. Les mêmes champs "
    "s'envoient en paramètres (GET) ou en JSON (POST). Booléens : oui/non ou true/false.",
    parameters=_parametres_documentes(),
    request=OpenApiTypes.OBJECT,
    responses={200: OpenApiResponse(OpenApiTypes.OBJECT, examples=[OpenApiExample("Exemple", value=EXEMPLE)]),
               400: OpenApiResponse(description="Champ invalide : le corps nomme le champ et les valeurs permises.")},
)
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
@schema(SchemaDansLOrdreDuFormulaire())
def eligibilite(request):
    donnees = request.query_params if request.method == "GET" else request.data
    if not hasattr(donnees, "get"):
        raise ValidationError({"detail": ["Un objet JSON est attendu."]})
    formulaire = SimulationForm(data={cle: donnees.get(cle) for cle in CHAMPS if donnees.get(cle) is not None})
    if not formulaire.is_valid():
        raise ValidationError({champ: [str(m) for m in messages] for champ, messages in formulaire.errors.items()})
    commune = formulaire.cleaned_data["commune"]
    simulation = simuler(commune, formulaire.cleaned_data["profession"], formulaire.jour, formulaire.situation,
                         formulaire.cleaned_data.get("lon"), formulaire.cleaned_data.get("lat"))
    return Response({
        "commune": {"code_insee": commune.code_insee, "nom": commune.nom},
        "profession": simulation.profession,
        "date": simulation.date,
        "zonages": simulation.zonages,
        "qpv": simulation.qpv,
        "aides": [resultat_en_dict(simulation, r) for r in simulation.resultats],
    })
