from django.apps import AppConfig


class StructuresConfig(AppConfig):
    name = "structures"
    verbose_name = "Structures d'exercice coordonné"

    def ready(self):
        from noyau import cache_generations

        from .models import ChangementStatut, EffectifProfession, Offre, Structure

        cache_generations.enregistrer("structures", modeles=[Structure, ChangementStatut, EffectifProfession, Offre],
                                      relations=[Structure.communes.through])
