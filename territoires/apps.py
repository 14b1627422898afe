from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "territoires"
    verbose_name = "Territoires"

    def ready(self):
        from django.conf import settings

        from noyau import cache_generations

        from .regions_servies import lire_reglage

        lire_reglage(settings.PAPS_REGIONS)  # a wrong PAPS_REGIONS stops the start with a French message

        from .models import Commune, Departement, Region

        # A commune's population and département feed the dashboard and the map: territories invalidate all of it.
        cache_generations.enregistrer("territoires", modeles=[Commune, Departement, Region])
