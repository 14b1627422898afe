"""GET/POST /api/v1/eligibilite/: which aids apply, here, on this date, and why."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .formulaires import SimulationForm
from .simulation import resultat_en_dict, simuler

_TYPES = {"IntegerField": OpenApiTypes.INT, "FloatField": OpenApiTypes.NUMBER, "DateField": OpenApiTypes.DATE}


def _parametres_documentes() -> list[OpenApiParameter]:
    parametres = []
    for nom, champ in SimulationForm().fields.items():
        choix = [str(c) for c, _ in getattr(champ, "choices", []) if c != ""] or None
        parametres.append(OpenApiParameter(nom, _TYPES.get(type(champ).__name__, OpenApiTypes.STR),
                                           required=champ.required, enum=choix, description=str(champ.label)))
    return parametres


CHAMPS = list(SimulationForm.base_fields)

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
