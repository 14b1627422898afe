from django.apps import AppConfig


class ZonagesConfig(AppConfig):
    name = "zonages"
    verbose_name = "Territoires et zonages"

    def ready(self):
        from . import qpv  # noqa: F401  connects the signals that invalidate the QPV spatial index
        from . import carte  # noqa: F401  connects the signals that invalidate the map's cached files
