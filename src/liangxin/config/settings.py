"""Liangxin settings: one module, every deployment choice read from the environment."""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_database, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = Path(env_str("LIANGXIN_HOME", str(Path.cwd())))
VAR_DIR = BASE_DIR / "var"

DEBUG = env_bool("LIANGXIN_DEBUG", False)
SECRET_KEY = env_str("LIANGXIN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("LIANGXIN_SECRET_KEY is not set; set it, or set LIANGXIN_DEBUG=1 for development.")
    SECRET_KEY = "liangxin-development-only-key-not-for-production"
ALLOWED_HOSTS = env_list("LIANGXIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

DATABASES = {"default": env_database("LIANGXIN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'liangxin.sqlite3'}")}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Writers take the lock when their transaction begins (not halfway through, where SQLite could
    # only refuse them) and wait up to 20 s for it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")
    # The test database is a file, not shared-cache memory, so that concurrent writers in the
    # tests wait for the lock as they do in production instead of failing at once.
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"liangxin-test-{os.getpid()}.sqlite3")}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "liangxin.core",
    "liangxin.plans",
    "liangxin.imports",
    "liangxin.dispatch",
    "liangxin.reports",
    "liangxin.registry",
    "liangxin.tradein",
    "liangxin.recycling",
    "liangxin.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "liangxin.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "liangxin.config.urls"
WSGI_APPLICATION = "liangxin.config.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "liangxin.dispatch.selectors_supervision.notification_count",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("LIANGXIN_MEDIA_ROOT", str(VAR_DIR / "media")))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploaded documents are kept under MEDIA_ROOT, which is never served directly: files go out
# only through views that check who asks.
LIANGXIN_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "liangxin.core.files.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Liangxin API",
    "DESCRIPTION": "两新 plan registry API",
    "VERSION": "1",
    # Swagger UI's files are served from the project's static files, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Fields called "state" mean different things in different apps; name their enums apart.
    "ENUM_NAME_OVERRIDES": {
        "MatchOutcomeStateEnum": "liangxin.registry.enums.OutcomeState",
        "PolicyPushStateEnum": ["usable", "near"],
    },
}

# Reminders go out by e-mail through Django's mail framework; development prints them.
EMAIL_BACKEND = env_str(
    "LIANGXIN_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("LIANGXIN_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env_str("LIANGXIN_FROM_EMAIL", "liangxin@localhost")
# The site's address as people reach it, so that links in e-mails are absolute.
LIANGXIN_BASE_URL = env_str("LIANGXIN_BASE_URL", "")

# The key personal identifiers (身份证号, phone numbers) are encrypted and hashed with. Set it in
# production and keep it apart from the secret key: changing either makes stored identifiers
# unreadable. Empty: derived from LIANGXIN_SECRET_KEY (development and tests).
LIANGXIN_PII_KEY = env_str("LIANGXIN_PII_KEY", "")

# The public map's tile server (a Leaflet URL template such as https://…/{z}/{x}/{y}.png; empty: no
# tiles, the sites on a plain background), the datum its tiles are drawn in (gcj02 for most Chinese
# providers, wgs84 for 天地图 and OpenStreetMap) and the provider's attribution.
LIANGXIN_MAP_TILES = env_str("LIANGXIN_MAP_TILES", "")
LIANGXIN_MAP_DATUM = env_str("LIANGXIN_MAP_DATUM", "gcj02")
if LIANGXIN_MAP_DATUM not in ("gcj02", "wgs84"):
    raise ImproperlyConfigured("LIANGXIN_MAP_DATUM must be gcj02 or wgs84.")
LIANGXIN_MAP_ATTRIBUTION = env_str("LIANGXIN_MAP_ATTRIBUTION", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
