from django.apps import AppConfig


class AlertesConfig(AppConfig):
    name = "alertes"
    verbose_name = "Alertes"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from aides.models import Dispositif
        from noyau import cache_generations
        from zonages.models import Zonage

        from . import surveillance
        from .models import Evenement

        cache_generations.enregistrer("alertes", modeles=[Evenement])
        post_save.connect(surveillance.zonage_enregistre, sender=Zonage, dispatch_uid="alertes-zonage-publie")
        post_save.connect(surveillance.regle_modifiee, sender=Dispositif, dispatch_uid="alertes-regle-enregistree")
        post_delete.connect(surveillance.regle_modifiee, sender=Dispositif, dispatch_uid="alertes-regle-supprimee")
        post_migrate.connect(surveillance.etat_initial_des_regles, sender=self, dispatch_uid="alertes-etat-regles")
