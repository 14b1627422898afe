"""The project's settings, plus the former `paps` app, so that its migrations can be applied as they were."""
from paps.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.territoires.version_precedente.paps.apps.AnciennePapsConfig"]  # noqa: F405
