from django.apps import AppConfig


class CptsConfig(AppConfig):
    name = "cpts"
    verbose_name = "CPTS"

    def ready(self):
        from noyau import cache_generations

        from .models import Cpts, TerritoireCpts

        cache_generations.enregistrer("cpts", modeles=[Cpts, TerritoireCpts], relations=[Cpts.departements.through])
