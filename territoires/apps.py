from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "territoires"
    verbose_name = "Territoires"

    def ready(self):
        from noyau import cache_generations

        from .models import Commune, Departement, Region

        # A commune's population and département feed the dashboard and the map: territories invalidate all of it.
        cache_generations.enregistrer("territoires", modeles=[Commune, Departement, Region])
