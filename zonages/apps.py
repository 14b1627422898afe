from django.apps import AppConfig


class ZonagesConfig(AppConfig):
    name = "zonages"
    verbose_name = "Territoires et zonages"
