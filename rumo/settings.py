"""Rumo settings: one file, every machine-specific value from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
INSECURE_KEY = "django-insecure-rumo-local-development-key"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


DURATION_UNITS = {"d": 24 * 60, "h": 60, "m": 1}


def env_durations(name: str, default: str) -> list[timedelta]:
    """Read durations like ``7d,1d,2h,30m`` (or ``none``); return them longest first."""
    raw = os.environ.get(name) or default
    if raw.strip().lower() == "none":
        return []
    found = set()
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        number, unit = part[:-1], part[-1:].lower()
        if unit not in DURATION_UNITS or not number.isdigit() or int(number) == 0:
            raise ImproperlyConfigured(
                f"{name} must be a comma-separated list like 7d,1d,2h,30m; got {part!r}"
            )
        found.add(timedelta(minutes=int(number) * DURATION_UNITS[unit]))
    return sorted(found, reverse=True)


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", INSECURE_KEY if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")

if not DEBUG:
    if not SECRET_KEY or SECRET_KEY == INSECURE_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters "
            "when DJANGO_DEBUG is false."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_DEBUG is false.")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
VAR_DIR = Path(env_str("RUMO_VAR_DIR", str(BASE_DIR / "var")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "rumo",
    "members",
    "meetings",
    "contests",
    "plans",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A request body over RUMO_MAX_REQUEST_BYTES is refused before it is read.
    "rumo.uploads.RequestSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A logged-out htmx request is sent to the login page as a whole page.
    "rumo.middleware.HtmxLoginRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "rumo.urls"
WSGI_APPLICATION = "rumo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rumo.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # A connection per request costs 17-35 ms on PostgreSQL (issue 7): keep
        # it for a minute, and check it before reuse so a restarted server is
        # noticed by the next request rather than failing it.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The local default runs the web server and two worker processes on one
    # file: write-ahead logging, immediate write locks and a patient timeout
    # keep them from failing each other with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database cloned from a template with a Russian ICU collation
    # sorts member and organisation names the Russian way.
    DATABASES["default"]["TEST"] = {"TEMPLATE": env_str("DATABASE_TEST_TEMPLATE") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# A login is locked for 15 minutes after 5 failed attempts from one client
# address; failures from anywhere only slow the account down (rumo/accounts.py),
# so nobody can lock the chair out by knowing her login, and a college behind one
# NAT address is not locked out as a whole.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# One row per failure: what the slow-down by account or by address counts.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", "Русский")]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
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
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest request body Rumo reads: the biggest file a form accepts (20 MB)
# plus the form around it. Larger requests get 413 unread (rumo/uploads.py);
# the proxy in front should refuse them too (README, "Production").
RUMO_MAX_REQUEST_BYTES = env_int("RUMO_MAX_REQUEST_BYTES", 21 * 1024 * 1024)

# Signing of issued documents (PAdES, rumo/signing.py). Without a key and a
# certificate documents are issued unsigned; `manage.py
# create_signing_certificate` writes a self-signed pair into RUMO_SIGNING_DIR.
RUMO_SIGNING_DIR = VAR_DIR / "signing"


def existing_file(path: Path) -> str:
    return str(path) if path.is_file() else ""


RUMO_SIGNING_KEY_FILE = env_str("RUMO_SIGNING_KEY_FILE") or existing_file(
    RUMO_SIGNING_DIR / "rumo-key.pem"
)
RUMO_SIGNING_CERT_FILE = env_str("RUMO_SIGNING_CERT_FILE") or existing_file(
    RUMO_SIGNING_DIR / "rumo-cert.pem"
)
RUMO_SIGNING_KEY_PASSWORD = env_str("RUMO_SIGNING_KEY_PASSWORD")
# Certificates that signed earlier documents: they stay trusted after a key change.
RUMO_SIGNING_TRUSTED_CERT_FILES = env_list("RUMO_SIGNING_TRUSTED_CERT_FILES")
# An RFC 3161 time-stamping authority (http://...): with it, signatures carry a
# trusted signing time (PAdES B-T); without it, the time is the server's own.
RUMO_TSA_URL = env_str("RUMO_TSA_URL")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: printed to the console locally, sent over SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "use_ssl": env_bool("EMAIL_USE_SSL", False),
                "timeout": env_int("EMAIL_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Rumo <rumo@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# An address a person reads: Reply-To of notifications and the ORGANIZER of calendar
# invitations when an association has no chair with an e-mail address.
RUMO_REPLY_TO_EMAIL = env_str("RUMO_REPLY_TO_EMAIL")

# The cache (rendered approved revisions, feeds, the per-user dashboard):
# Redis when REDIS_URL (or CACHE_URL) is set, shared by the web and worker
# processes; otherwise files under var/. Entries are keyed by the version of
# what they show (rumo/page_cache.py).
CACHES = {
    "default": (
        {
            # Django's RedisCache, one client per pool (a client's setup cost more than
            # a round trip: rumo/cache.py).
            "BACKEND": "rumo.cache.RedisCache",
            "LOCATION": env_str("CACHE_URL") or env_str("REDIS_URL"),
            "KEY_PREFIX": "rumo",
            "TIMEOUT": 24 * 60 * 60,
            # A Redis that is down slows no page: rumo/page_cache.py renders anew.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if env_str("CACHE_URL") or env_str("REDIS_URL")
        # Without Redis the web server and the worker still share one cache.
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "TIMEOUT": 24 * 60 * 60,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    )
}

# Background work: Redis when REDIS_URL is set, otherwise a filesystem
# broker under var/ so a checkout without services still runs real workers.
REDIS_URL = env_str("REDIS_URL")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
else:
    CELERY_BROKER_URL = "filesystem://"
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 240)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE: dict = {
    # Send again the document builds no worker took (broker down) or finished (rumo.pipeline).
    "sweep-documents": {"task": "rumo.tasks.sweep_documents_task", "schedule": 60},
    # Send the due outbox rows: those the broker missed, retries, leases of dead workers.
    "sweep-outbox": {"task": "rumo.tasks.sweep_outbox_task", "schedule": 60},
    # Record the due meeting reminders in the outbox (meetings/services/notices.py).
    "sweep-meeting-reminders": {
        "task": "meetings.tasks.sweep_reminders_task",
        "schedule": 2 * 60,
    },
    # Record the month's plan digests in the outbox, one per person a month.
    "send-plan-month-digests": {
        "task": "plans.tasks.send_month_digests_task",
        "schedule": 60 * 60,
    },
    # Record the data-bank campaign reminders, one per member and reminder day.
    "send-campaign-reminders": {
        "task": "members.tasks.send_campaign_reminders_task",
        "schedule": 60 * 60,
    },
    # Remind council members who have not voted; close votes past their deadline.
    "sweep-contest-votes": {
        "task": "contests.tasks.sweep_council_votes_task",
        "schedule": 15 * 60,
    },
}

# How long before a meeting its reminders go out (members who have not declined).
MEETING_REMINDER_OFFSETS = env_durations("MEETING_REMINDER_OFFSETS", "7d,1d")

# Security. Production (DEBUG off) runs behind HTTPS.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

ADMINS = [("Rumo", a) for a in env_list("ADMIN_EMAILS")]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools report every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
