"""GET/POST /api/v1/eligibilite/: which aids apply, here, on this date, and why."""
import json

from django import forms
from django.http import HttpResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from noyau import types_requete
from noyau.api_en_cache import reponses_pretes
from noyau.cache_pages import reponse_en_cache
from territoires.regions_servies import cle_des_regions_servies

from .annuaire import interlocuteur
from .eligibilite.vocabulaire import FAITS, LIEU
from .formulaires import OuiNon, SimulationForm
from .reponse_eligibilite import DOMAINES, corps_json
from .serializers import ReponseEligibiliteSerializer

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


def parametres_de_l_eligibilite() -> list[dict]:
    """The parameters as the documentation lists them (required first), for the French guide page."""
    return [{"nom": p.name, "obligatoire": p.required, "description": p.description,
             "valeurs": p.type.get("enum") or [], "type": p.type.get("type", "string")}
            for p in _parametres_documentes()]


def _genre(nom: str, champ: forms.Field) -> str:
    """The kind of value a field of the form reads (noyau/types_requete.py): a JSON body may hold any."""
    if nom == "commune":
        return types_requete.CODE_INSEE
    if isinstance(champ, OuiNon):
        return types_requete.OUI_NON
    if isinstance(champ, forms.FloatField):  # FloatField derives from IntegerField: test it first
        return types_requete.NOMBRE
    if isinstance(champ, forms.IntegerField):
        return types_requete.ENTIER
    return types_requete.DATE if isinstance(champ, forms.DateField) else types_requete.TEXTE


GENRES = {nom: _genre(nom, champ) for nom, champ in SimulationForm.base_fields.items()}


def _schema_du_corps(nom: str, champ: forms.Field) -> dict:
    """A field of the POST body: as its parameter, except that a yes/no may also be a JSON boolean."""
    schema = {**_schema(champ), "description": _description(nom, champ)}
    if isinstance(champ, OuiNon):
        return {"description": schema.pop("description"), "oneOf": [{"type": "boolean"}, schema]}
    return schema


CORPS = {"type": "object", "properties": {nom: _schema_du_corps(nom, champ)
                                          for nom, champ in SimulationForm.base_fields.items()},
         "required": [nom for nom, champ in SimulationForm.base_fields.items() if champ.required]}


class SchemaDansLOrdreDuFormulaire(AutoSchema):
    """The parameters in the form's order (required first, most decisive facts next), not alphabetically."""

    def _get_parameters(self):
        rang = {nom: i for i, nom in enumerate(CHAMPS)}
        return sorted(super()._get_parameters(), key=lambda p: rang.get(p["name"], len(rang)))


SOURCE = {"reference": "Des aides individuelles à l'installation dans les zones sous-denses — PAPS Occitanie (ARS "
                        "Occitanie), mise à jour du 26/01/2026",
          "titre": "Des aides individuelles à l'installation dans les zones sous-denses",
          "editeur": "PAPS Occitanie (ARS Occitanie)", "date": "mise à jour du 26/01/2026",
          "lien": "https://www.occitanie.paps.sante.fr/index.php/linstallation-45", "officielle": True}
EXEMPLE = {"commune": {"code_insee": "34032", "nom": "Béziers"}, "profession": "medecin-generaliste",
           "date": "2026-03-01", "zonages": {"medecin": "ZIP", "infirmier": "SURD"}, "qpv": None,
           "couches_en_vigueur": ["medecin", "infirmier", "qpv"],
           "zonage_profession": {"type": "medecin", "libelle": "Médecins généralistes", "niveau": "ZIP", "etat": "connu",
                                 "message": "Médecins généralistes : Zone d'intervention prioritaire."},
           "avertissements": [], "aides": [
               {"code": "AM-AIDE-INSTALLATION", "nom": "…", "nom_court": "aide à l'installation de l'Assurance Maladie",
                "nature": "aide", "nature_libelle": "aide", "financeur": "Assurance Maladie",
                "financeur_type": "assurance-maladie", "statut": "eligible",
                "montant": {"valeur": 10000, "unite": "unique", "unite_libelle": "versement unique", "duree": None,
                            "libelle": "en zone d'intervention prioritaire (ZIP)", "verifie": True,
                            "texte": "10 000 € (versement unique)"},
                "montants_possibles": [],
                "raisons": [{"critere": "zonage:medecin", "statut": "rempli", "alternative": False,
                             "message": "Médecins généralistes : Béziers est en zone d'intervention prioritaire."}],
                "questions": [], "non_cumulable_avec": [], "comparaison": None,
                "version": {"valid_from": "2026-01-01", "valid_to": None, "note": "", "annonce": False},
                "sources": [SOURCE], "contact": interlocuteur("cpam", "34").en_dict()}],
           "obligations": [], "dispositifs_fermes": [
               {"code": "CAIM", "nom": "Contrat d'aide à l'installation des médecins (CAIM)", "nom_court": "CAIM",
                "financeur": "Assurance Maladie", "financeur_type": "assurance-maladie", "ferme_depuis": "2026-01-01",
                "remplace_par": [{"code": "AM-AIDE-INSTALLATION", "nom": "…"}],
                "message": "Fermé aux nouvelles demandes depuis le 01/01/2026, remplacé par …", "sources": [SOURCE]}]}


@reponses_pretes(lambda parametres: _ou_la_reponse_est_gardee(parametres))
@extend_schema(
    methods=["GET", "POST"],
    summary="Éligibilité aux aides",
    description="Pour une commune, une profession, une date (aujourd'hui par défaut) et une situation, chaque aide "
    "ouverte à cette date : `eligible`, `au_choix` (éligible mais non cumulable avec une autre aide éligible : l'une "
    "ou l'autre), `a_preciser` (avec les questions à préciser) ou `non_eligible`, le montant, une raison par "
    "condition, les aides non cumulables, les sources (par titre, éditeur et date, officielles d'abord) et le "
    "contact (qui s'en occupe, comment le demander, qui décide, pages officielles). Seulement les dispositifs "
    "ouverts à la profession, sauf avec `toutes_professions=oui`. Éligibles d'abord. À part : les contraintes "
    "d'installation du lieu (`obligations`), les dispositifs de la profession fermés aux nouvelles demandes "
    "(`dispositifs_fermes`), et ce que le portail ne détient pas "
    "(`zonage_profession`, `avertissements`) : une couche non chargée rend une condition inconnue, jamais fausse. "
    "Les mêmes champs s'envoient en paramètres (GET) ou en JSON (POST). Booléens : oui/non ou true/false.",
    parameters=_parametres_documentes(),
    request={type_de_contenu: CORPS for type_de_contenu in
             ("application/json", "application/x-www-form-urlencoded", "multipart/form-data")},
    responses={200: OpenApiResponse(ReponseEligibiliteSerializer, examples=[OpenApiExample("Exemple", value=EXEMPLE)]),
               400: OpenApiResponse(description="Champ invalide : le corps nomme le champ et les valeurs permises.")},
)
@api_view(["GET", "POST"])
@permission_classes([AllowAny])
@schema(SchemaDansLOrdreDuFormulaire())
def eligibilite(request):
    donnees = request.query_params if request.method == "GET" else request.data
    if not hasattr(donnees, "get"):
        raise ValidationError({"detail": ["Un objet JSON est attendu."]})
    gardee = _ou_la_reponse_est_gardee(donnees) if (
        request.method == "GET" and request.accepted_renderer.format == "json") else None
    if gardee is not None:
        return reponse_en_cache(request, *gardee, lambda: _repondre(request, donnees))
    return _repondre(request, donnees)


def _ou_la_reponse_est_gardee(donnees):
    """The same answer for the same parameters, whoever asks: kept under these (a point, nearly never asked twice,
    is not kept). Read by both paths of a GET: DRF's, and the answer served before DRF (noyau/api_en_cache.py)."""
    if donnees.get("lon") or donnees.get("lat"):
        return None
    return (f"api:eligibilite:{cle_des_regions_servies()}",
            [(cle, valeur) for cle in CHAMPS if (valeur := donnees.get(cle)) is not None], DOMAINES)


def _repondre(request, donnees):
    erreurs = types_requete.erreurs_de_type(donnees, GENRES)
    if erreurs:
        raise ValidationError(erreurs)
    formulaire = SimulationForm(data={cle: donnees.get(cle) for cle in CHAMPS if donnees.get(cle) is not None})
    if not formulaire.is_valid():
        raise ValidationError({champ: [str(m) for m in messages] for champ, messages in formulaire.errors.items()})
    donnees = formulaire.cleaned_data
    corps = corps_json(donnees["commune"], donnees["profession"], formulaire.jour, formulaire.situation,
                       donnees.get("lon"), donnees.get("lat"), bool(donnees.get("toutes_professions")))
    if request.accepted_renderer.format == "json":  # the text as built: not decoded to be encoded again
        return HttpResponse(corps, content_type="application/json")
    return Response(json.loads(corps))  # the browsable API
