"""Django settings for Xanh. Everything that differs between machines comes from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("XANH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# XANH_ENV=production switches on HTTPS-only cookies, HSTS and redirects; development is the default for local use.
XANH_ENV = os.environ.get("XANH_ENV", "development")
PRODUCTION = XANH_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)
# The fallback key is for development only: `xanh check --deploy` flags it, so production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-xanh-development-key"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "simple_history",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "xanh.core",
    "xanh.accounts",
    "xanh.geo",
    "xanh.agencies",
    "xanh.documents",
    "xanh.plans",
    "xanh.indicators",
    "xanh.reporting",
    "xanh.evaluation",
    "xanh.reports",
    "xanh.monitoring",
    "xanh.ghg",
    "xanh.api",
    "xanh.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xanh.core.middleware.XanhLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "xanh.urls"
WSGI_APPLICATION = "xanh.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xanh" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "xanh.core.context_processors.navigation",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'xanh.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker and the web process use the file together.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
# Lets concurrent test runs on one PostgreSQL server use distinct test databases.
if os.environ.get("XANH_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["XANH_TEST_DB_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "xanh" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Numbers shown to people go through the `vnum` filter (xanh.core.numbers: 1.234,5). Automatic grouping stays off so
# that years and codes are never grouped ("2030", not "2.030").
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Uploads: plan documents up to 20 MB by default (issue 3), evidence files likewise.
XANH_UPLOAD_MAX_BYTES = int(os.environ.get("XANH_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = XANH_UPLOAD_MAX_BYTES + 1024 * 1024
# Retention of generated synthesis reports (`xanh report prune`, run nightly): per plan, period, kind and format the
# newest XANH_REPORT_KEEP_LATEST files are always kept; older ones are removed once XANH_REPORT_KEEP_DAYS old.
XANH_REPORT_KEEP_LATEST = int(os.environ.get("XANH_REPORT_KEEP_LATEST", "3"))
XANH_REPORT_KEEP_DAYS = int(os.environ.get("XANH_REPORT_KEEP_DAYS", "30"))
# A report job still waiting or running this many minutes after it was requested is marked failed by the prune run
# (the worker was stopped mid-job); the user can then ask again.
XANH_REPORT_STALE_MINUTES = int(os.environ.get("XANH_REPORT_STALE_MINUTES", "120"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Security. Production (DEBUG off) gets the strict set so that `xanh check --deploy` is clean.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; keep default behaviour
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "xanh@localhost")

TASKS = {
    "default": {
        "BACKEND": os.environ.get("XANH_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# API (issue 6): Bearer tokens + session; JSON and CSV; one error shape; rate limits per token and per IP address.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "xanh.api.schema.XanhAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xanh.api.authentication.BearerTokenAuthentication",
        "xanh.api.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["xanh.api.permissions.ReadAnyoneWriteAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "xanh.api.renderers.CSVRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "xanh.api.pagination.XanhPagination",
    "EXCEPTION_HANDLER": "xanh.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["xanh.api.throttling.AnonIpRateThrottle", "xanh.api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("XANH_API_RATE_ANON", "120/min"),
        "token": os.environ.get("XANH_API_RATE_TOKEN", "600/min"),
        "import": os.environ.get("XANH_API_RATE_IMPORT", "30/hour"),
    },
    # Behind a reverse proxy set XANH_NUM_PROXIES=1 so that the client address comes from X-Forwarded-For.
    "NUM_PROXIES": int(os.environ["XANH_NUM_PROXIES"]) if os.environ.get("XANH_NUM_PROXIES") else None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "COERCE_DECIMAL_TO_STRING": False,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xanh API",
    "DESCRIPTION": "API mở của Xanh: kế hoạch tăng trưởng xanh, chỉ tiêu, báo cáo và dữ liệu môi trường.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",  # served from our own static files: no CDN
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "LICENSE": {"name": "Dữ liệu: CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "ENUM_NAME_OVERRIDES": {"WritableValueStatusEnum": ["draft", "submitted"]},
}
# Rate-limit counters live in the cache. The default is per process; with several gunicorn workers on one machine
# set XANH_CACHE_DIR to share them through files (or point CACHES at a shared cache server).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "xanh"}
    if not os.environ.get("XANH_CACHE_DIR")
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": os.environ["XANH_CACHE_DIR"]}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Path of the shared domain pack, used only by dev tooling and tests that check against the seeds.
XANH_SHARED_DIR = Path(os.environ.get("XANH_SHARED_DIR", BASE_DIR.parent / "shared"))
