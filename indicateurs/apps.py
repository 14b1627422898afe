from django.apps import AppConfig


class IndicateursConfig(AppConfig):
    name = "indicateurs"
    verbose_name = "Indicateurs (APL)"

    def ready(self):
        from noyau import cache_generations

        from .models import ValeurApl

        cache_generations.enregistrer("indicateurs", modeles=[ValeurApl])
