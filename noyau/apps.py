from django.apps import AppConfig


class NoyauConfig(AppConfig):
    name = "noyau"
    verbose_name = "Noyau"
