from django.apps import AppConfig
from django.db.models.signals import post_migrate


class NoyauConfig(AppConfig):
    name = "noyau"
    verbose_name = "Noyau"

    def ready(self):
        from . import cache_generations

        # Once every app has declared its domains (their ready() comes before any migrate).
        post_migrate.connect(cache_generations.creer_les_generations, sender=self,
                             dispatch_uid="noyau-creer-les-generations")
