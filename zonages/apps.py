from django.apps import AppConfig


class ZonagesConfig(AppConfig):
    name = "zonages"
    verbose_name = "Zonages"

    def ready(self):
        from noyau import cache_generations

        from .models import QPV, Classement, Zonage

        cache_generations.enregistrer("zonages", modeles=[Zonage, Classement])
        cache_generations.enregistrer("qpv", modeles=[QPV], relations=[QPV.communes.through])
