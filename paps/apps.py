from django.apps import AppConfig


class PapsConfig(AppConfig):
    name = "paps"
    verbose_name = "Portail"

    def ready(self):
        from . import cache_generations

        cache_generations.connecter()  # signals that invalidate the cached zonages, dashboard, map and catalogue
