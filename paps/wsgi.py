import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paps.settings")
application = get_wsgi_application()

from noyau.wsgi import filtrer_jeu_de_caracteres, preparer_le_processus  # noqa: E402 - after Django's setup

application = filtrer_jeu_de_caracteres(application)
preparer_le_processus()
