"""Settings of the PAPS portal, read from the environment.

Defaults are safe for development: SQLite file database, local-memory cache, Celery tasks run eagerly.
Production sets DATABASE_URL (PostgreSQL), REDIS_URL, SECRET_KEY, DEBUG=0 and ALLOWED_HOSTS.
"""
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import leaflet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from noyau.regions import nom_des_regions

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY doit être défini quand DEBUG est désactivé.")
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - development default only
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "portail.config_admin.AdminPortailConfig",  # django.contrib.admin, home page grouped by task
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "dsfr",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    # The project's apps, lowest layer first (README, "Organisation du code").
    "noyau",
    "territoires",
    "indicateurs",
    "zonages",
    "aides",
    "structures",
    "cpts",
    "alertes",
    "portail",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A charset Django would fail to decode with (rot13, base64…): a French 400, before anything reads the request.
    "noyau.middleware.JeuDeCaracteres",
    "noyau.middleware.GenerationsDeLaRequete",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Counts failed logins and refuses them once the limit is reached (brute-force protection of the admin).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
# Lock the (username, IP) pair: an attacker cannot lock a colleague out from another address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/verrouillage.html"
# Reverse proxies in front of the portal: the client's address is read behind them (noyau/adresses.py), for the lockout
# and the API quotas alike. django-ipware is not installed: without this callable, axes would key on the proxy.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "noyau.adresses.adresse_client"

ROOT_URLCONF = "paps.urls"
CSRF_FAILURE_VIEW = "noyau.erreurs.erreur_csrf"  # French, and JSON under /api/ (handler400 and handler403: paps/urls.py)
WSGI_APPLICATION = "paps.wsgi.application"
ASGI_APPLICATION = "paps.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portail.context_processors.portail",
            ],
        },
    },
]

# Database: SQLite file by default so that a newcomer needs no server; PostgreSQL (psycopg 3) via DATABASE_URL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and broker: Redis when REDIS_URL is set, local memory and eager tasks otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage degrades to cache misses instead of errors (see paps/cache.py).
            "BACKEND": "noyau.cache.CacheRedisTolerante",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "paps",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    # Per-commune lookups are cached too: room for them without evicting the map outlines.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "paps",
                          "OPTIONS": {"MAX_ENTRIES": 20000}}}

# API quotas: in the shared cache with Redis; without it, in the database, so that every gunicorn worker counts the
# same requests (noyau/quotas.py). The cache generations are in the database either way (noyau/cache_generations.py).
PAPS_QUOTAS = "cache" if REDIS_URL else "base"

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TIMEZONE = "Europe/Paris"
# Acknowledge a task once it has run, so that a worker killed midway does not silently lose it.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Periodic tasks, run by the `beat` service of docker-compose.yml.
CELERY_BEAT_SCHEDULE = {
    "imports-interrompus": {"task": "zonages.tasks.marquer_imports_interrompus", "schedule": 300.0},
    "imports-structures-interrompus": {"task": "structures.tasks.marquer_imports_interrompus", "schedule": 300.0},
    # Alerts: a change of rules not yet told, and changes whose messages a lost task did not send.
    "alertes-en-attente": {"task": "alertes.traiter_les_changements_en_attente", "schedule": 600.0},
}

# E-mail (the alerts): the console by default, an SMTP server when EMAIL_HOST is set (or EMAIL_BACKEND).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND") or ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                                                    else "django.core.mail.backends.console.EmailBackend")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# The served regions: INSEE codes, comma-separated (76 = Occitanie), or "toutes"; checked at start-up
# (territoires.regions_servies). Territories elsewhere are neither loaded nor served.
PAPS_REGIONS = os.environ.get("PAPS_REGIONS", "76")
# The portal's name from the served regions, « PAPS Occitanie » for 76 (as territoires.regions_servies.nom_du_portail
# says it; computed here from the raw setting, before the apps load), for the texts set in configuration.
NOM_PORTAIL = "PAPS " + nom_des_regions(None if PAPS_REGIONS.strip().lower() == "toutes" else PAPS_REGIONS.split(","))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{NOM_PORTAIL} <ne-pas-repondre@localhost>")
# The portal's public address, for the links of messages read outside the site.
PAPS_URL_PUBLIQUE = os.environ.get("PAPS_URL_PUBLIQUE", "http://localhost:8000")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Leaflet comes from django-leaflet. Its app is not installed: its admin module imports GeoDjango, which needs the
# GDAL system library, and the portal stores GeoJSON without GeoDjango. Its assets are served from the package.
STATICFILES_DIRS = [BASE_DIR / "static", ("leaflet", Path(leaflet.__file__).parent / "static" / "leaflet")]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

# Reference data: the Occitanie data shipped with the project (donnees/manifest.yaml); PAPS_DATA_DIR points the
# reference load at another folder of the same form (a newer delivery).
PAPS_DATA_DIR = Path(os.environ.get("PAPS_DATA_DIR") or BASE_DIR / "donnees")
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "noyau.api.AnalyseurJson",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "noyau.api.Pagination",
    "EXCEPTION_HANDLER": "noyau.api.gestionnaire_exceptions",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_THROTTLE_CLASSES": [
        "noyau.api.QuotaAnonyme",
        "noyau.api.QuotaUtilisateur",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "600/minute"),
        "partenaire": os.environ.get("API_THROTTLE_PARTENAIRE", "6000/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    # The title names the served regions; the served schema and documentation name them at each request
    # (portail.documentation_api), as PAPS_REGIONS then is.
    "TITLE": f"API {NOM_PORTAIL}",
    "DESCRIPTION": (
        "API publique du portail d'accompagnement des professionnels de santé (PAPS) : communes, zonages, aides. "
        "Lecture anonyme, limitée en débit. Les noms de champs sont en français."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the project's own static files (no CDN at run time).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "DEFAULT_GENERATOR_CLASS": "noyau.schema_api.GenerateurSchemaApi",
    # Without deep links, Swagger UI does not nest a link inside each operation's button (axe: nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    # "type" and "statut" are field names in several apps: name their enums explicitly.
    "ENUM_NAME_OVERRIDES": {"TypeStructureEnum": "structures.models.Type", "StatutStructureEnum": "structures.models.Statut",
                            "TypeOffreEnum": "structures.models.TypeOffre", "ZonageTypeEnum": "zonages.niveaux.CHOIX_TYPES",
                            "ZonageStatutEnum": "zonages.models.Zonage.Statut"},
}

# Maps open on the served regions' extent, computed from their data (territoires.etendue), not on a set centre.
LEAFLET_CONFIG = {
    "TILES": [("OpenStreetMap", "https://tile.openstreetmap.org/{z}/{x}/{y}.png", {"attribution": "© OpenStreetMap"})],
}

# Content-Security-Policy: every script, style and font comes from the portal itself; map tiles from OpenStreetMap.
# Pages pass data through json_script (type="application/json", not executed) and set no inline style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# Logs go to stdout; one JSON object per line in production (LOG_FORMAT=json) for the log collector.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "texte" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "texte": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(process)d",
            "rename_fields": {"asctime": "horodatage", "levelname": "niveau", "name": "journal"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
