from django.apps import AppConfig


class AidesConfig(AppConfig):
    name = "aides"
    verbose_name = "Aides à l'installation"

    def ready(self):
        from noyau import cache_generations

        from .models import Contact, Dispositif

        cache_generations.enregistrer("aides", modeles=[Dispositif, Contact])
