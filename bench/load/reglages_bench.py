"""Production settings (paps/settings.py, read from the environment), with the collected static files in the bench's
temporary directory: with DEBUG=0 the pages need the static files' manifest, and the bench must not write into the
project's staticfiles/."""
import os
from pathlib import Path

from paps.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
# Hashed names as in production, without whitenoise's compression of every file (minutes on a busy 2-core machine;
# static files are not what this bench measures).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}  # noqa: F405
