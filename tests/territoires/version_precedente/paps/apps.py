from django.apps import AppConfig


class AnciennePapsConfig(AppConfig):
    """The former `paps` app: only its migrations (its models moved to territoires)."""

    name = "tests.territoires.version_precedente.paps"
    label = "paps"
