"""The OpenAPI schema of /api/v1/: drf-spectacular's, plus the error statuses every operation shares.
Set as SPECTACULAR_SETTINGS["DEFAULT_GENERATOR_CLASS"], so the served schema and `manage.py spectacular` agree."""
from drf_spectacular.generators import SchemaGenerator

# Every operation may answer 401 (invalid API token), 429 (throttling); a paginated list 400 (bad page/page_size)
# and 404 (page past the last); an operation with a path parameter 404. Error bodies are JSON.
SCHEMA_ERREUR = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"],
                 "description": "Message d'erreur en français (des champs complémentaires peuvent s'y ajouter)."}
SCHEMA_ERREUR_VALIDATION = {
    "type": "object", "description": "Pour chaque paramètre ou champ fautif, la liste de ses erreurs.",
    "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"},
                                       {"type": "string"}]},
}
CONVENTIONS = {
    "401": "Jeton d'API invalide ou expiré (en-tête `Authorization: Token <jeton>`) ; sans jeton, la lecture est "
    "anonyme.",
    "429": "Débit dépassé (quota anonyme ou du compte) : réessayer après le nombre de secondes indiqué par l'en-tête "
    "`Retry-After`.",
}


def _reponse_json(description: str, schema_erreur: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema_erreur}}}


class GenerateurSchemaApi(SchemaGenerator):
    """drf-spectacular's generator, plus the error statuses every operation shares (see CONVENTIONS)."""

    def get_schema(self, request=None, public=False):
        schema = super().get_schema(request=request, public=public)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("Erreur", SCHEMA_ERREUR)
        schemas.setdefault("ErreurValidation", SCHEMA_ERREUR_VALIDATION)
        erreur = {"$ref": "#/components/schemas/Erreur"}
        validation = {"$ref": "#/components/schemas/ErreurValidation"}
        for operations in schema.get("paths", {}).values():
            for methode, operation in operations.items():
                if methode not in {"get", "post", "put", "patch", "delete"}:
                    continue
                reponses = operation.setdefault("responses", {})
                parametres = {(p["in"], p["name"]) for p in operation.get("parameters", [])}
                if ("query", "page") in parametres:
                    reponses.setdefault("400", {"description": "Paramètre invalide : le corps nomme le paramètre "
                                                               "fautif (par exemple `page` ou `page_size`)."})
                    reponses.setdefault("404", {"description": "Page au-delà de la dernière."})
                if any(lieu == "path" for lieu, _ in parametres):
                    reponses.setdefault("404", {"description": "Ressource inconnue."})
                for code, description in CONVENTIONS.items():
                    reponses.setdefault(code, {"description": description})
                reponses["429"].setdefault("headers", {"Retry-After": {
                    "schema": {"type": "integer"}, "description": "Secondes avant la prochaine requête acceptée."}})
                for code, reponse in reponses.items():
                    # Error bodies are always JSON: document their shape where a view gave only a description.
                    if code.startswith("4") and "content" not in reponse:
                        reponse.update(_reponse_json(reponse.get("description", ""),
                                                     validation if code == "400" else erreur))
        return schema
