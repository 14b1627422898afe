"""The API's schema and documentation pages, titled after the served regions of the request (PAPS_REGIONS), not
after those of the settings' loading."""
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from territoires.regions_servies import nom_du_portail


class SchemaApi(SpectacularAPIView):
    @property
    def custom_settings(self) -> dict:
        return {"TITLE": f"API {nom_du_portail()}"}


class DocumentationApi(SpectacularSwaggerSplitView):
    """Swagger UI without inline script (Content-Security-Policy)."""

    @property
    def title(self) -> str:
        return f"Documentation de l'API — {nom_du_portail()}"
