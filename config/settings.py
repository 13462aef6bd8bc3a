"""Settings for the hub, read once from the environment (django-environ; ``.env`` supported).

Every variable is documented in ``.env.example``. With ``DEBUG`` off the hub refuses to start
without a real ``SECRET_KEY`` and real ``TOKEN_ENCRYPTION_KEYS``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from config import devsecrets
from config.csp import content_security_policy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# --- Secrets -------------------------------------------------------------------------------------

SECRET_KEY = env.str("SECRET_KEY", default="")
# Fernet keys, comma separated, newest first: the first encrypts, all of them decrypt.
TOKEN_ENCRYPTION_KEYS = env.list("TOKEN_ENCRYPTION_KEYS", default=[])

if DEBUG:
    _dev_secrets = Path(env.str("DEV_SECRETS_DIR", default=str(VAR_DIR / "dev")))
    SECRET_KEY = SECRET_KEY or devsecrets.secret_key(_dev_secrets)
    TOKEN_ENCRYPTION_KEYS = TOKEN_ENCRYPTION_KEYS or [devsecrets.token_encryption_key(_dev_secrets)]
else:
    if (
        len(SECRET_KEY) < 50
        or SECRET_KEY.startswith("django-insecure")
        or "change-me" in SECRET_KEY
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
        )
    if not TOKEN_ENCRYPTION_KEYS:
        raise ImproperlyConfigured(
            "TOKEN_ENCRYPTION_KEYS must be set (comma-separated Fernet keys) when DEBUG is off. "
            "Generate one with: python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'"
        )

# Validated here so a malformed key stops the start, not the first token write.
devsecrets.validate_token_encryption_keys(TOKEN_ENCRYPTION_KEYS)

# --- Core ----------------------------------------------------------------------------------------

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "hub.admin_site.HubAdminConfig",  # django.contrib.admin with the hub's site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # OpClass in the definitions of the admin search's trigram indexes (PostgreSQL only; the
    # migrations skip them on SQLite).
    "django.contrib.postgres",
    "axes",
    "hub",
    "integrations",
    "integrations.orders",
    "integrations.notices",
    "integrations.push",
    "observe",
    "rest_framework",
    "drf_spectacular",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, so its 400 page knows the user; before any view reads the input.
    "hub.middleware.RejectNulInput",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "integrations.middleware.ConsentPagesCSPMiddleware",
    # Last, as django-axes requires: refuses logins once an account or address is locked out.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
                "integrations.context_processors.seller",
                "hub.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and the in-process token keeper share the file.
    # IMMEDIATE: a transaction that reads and then writes takes the write lock at BEGIN, so it
    # waits out the busy timeout; a deferred one that must upgrade its lock is refused at once
    # (SQLITE_BUSY_SNAPSHOT, https://www.sqlite.org/lang_transaction.html).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
    )
    if not DATABASES["default"]["NAME"].startswith(":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute force: 5 failures for one username from one address lock it for 15 minutes (429 page).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "hub/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int(
    "AXES_PROXY_COUNT", default=1 if env.bool("BEHIND_TLS_PROXY", default=False) else 0
)
AXES_VERBOSE = False

# "Esqueci minha senha": a link works once and for this long; mail stops for the hour after
# this many requests for one address or from one client.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT_MINUTES", default=120) * 60
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=20)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "integrations:marketplaces"
LOGOUT_REDIRECT_URL = "login"

# --- Locale: screens in pt-BR, times stored in UTC and shown in São Paulo -------------------------

LANGUAGE_CODE = "pt-br"
LANGUAGES = [("pt-br", "Português (Brasil)")]
TIME_ZONE = env.str("TIME_ZONE", default="America/Sao_Paulo")
USE_I18N = True
USE_TZ = True

# --- Static files (WhiteNoise in production) ------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Each marketplace package's own files (its logo): marketplaces/<key>/static/.
    *sorted(path for path in (BASE_DIR / "marketplaces").glob("*/static") if path.is_dir()),
]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root
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

# --- E-mail --------------------------------------------------------------------------------------

from config.email_settings import counted, mailer_from_url  # noqa: E402

MAILERS = {
    "default": counted(  # every e-mail sent is counted for the metrics (observe.mail)
        mailer_from_url(
            env.str("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25"),
            base_dir=BASE_DIR,
        )
    )
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hub <nao-responda@hub.localhost>")
# Absolute links in e-mails (the reactivation page) are built from this, never from a request.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000").rstrip("/")
# Where the footer's "Fale com o nosso suporte" leads: a help page or a mailto: address.
SUPPORT_URL = env.str("SUPPORT_URL", default="mailto:suporte@hub.localhost")
if not SUPPORT_URL.startswith(("https://", "http://", "mailto:")):
    raise ImproperlyConfigured("SUPPORT_URL must be an http(s):// address or a mailto: address.")

# --- Security ------------------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# Lax, not Strict: the return from a marketplace's consent page is a cross-site top-level
# navigation.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Probes talk plain HTTP inside the deployment (container health checks, monitoring).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Preloading commits the whole domain to HTTPS in browsers: the operator's call, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see README, "Deploying").
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False


# --- Celery (Redis broker; without Redis in development tasks run inline) -------------------------

# kombu warns about a broker URL without a host, the in-memory one too: it names one.
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Acknowledged when a worker starts the task (Celery's default), not when it ends. Every task here
# is periodic or re-queued by a sweep within minutes (an interrupted refresh is then recognised by
# the lease it left on its integration, in the database), so redelivering it an hour later
# (Redis's visibility timeout) adds nothing; acknowledging early lets the worker fetch the next
# message meanwhile (BENCHMARKS.md).
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
# Workers keep the LOGGING below (structured, ids kept, secrets redacted) instead of replacing the
# root logger's handler with Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Each app's periodic tasks (one schedule for beat and the in-process keeper) and the modules
# holding Celery signal receivers (beat's heartbeat), by name.
CELERY_BEAT_SCHEDULES = [
    "integrations.schedule.beat_schedule",
    "integrations.push.schedule.beat_schedule",
    "api.schedule.beat_schedule",
]
CELERY_SIGNAL_MODULES = ["observe.heartbeat"]

# --- Marketplaces (production hosts by default; the local stand-ins in development) --------------
# Each marketplace's own settings, <PREFIX>_<FIELD> for each field of its provider's config
# (.env.example lists them all), are read by the marketplace's package when it is built
# (marketplaces/base/configuration.py), not here: the configuration imports no app.

# The marketplaces offered (keys, comma separated); empty: every marketplace the hub knows.
MARKETPLACES = env.list("MARKETPLACES", default=[])
MARKETPLACE_SANDBOX = env.bool("MARKETPLACE_SANDBOX", default=DEBUG)
if MARKETPLACE_SANDBOX and not DEBUG:
    raise ImproperlyConfigured(
        "MARKETPLACE_SANDBOX (the local marketplace stand-ins) can only be enabled with DEBUG on."
    )
if MARKETPLACE_SANDBOX:
    MARKETPLACE_SANDBOX_BASE_URL = env.str(
        "MARKETPLACE_SANDBOX_BASE_URL", default="http://127.0.0.1:8000"
    ).rstrip("/")
    INSTALLED_APPS.append("marketplaces.sandbox")
    MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
                      "marketplaces.sandbox.middleware.HubOnItsOwnOrigin")  # fmt: skip
    # The stand-ins push order notifications to the hub (SITE_URL/push/<key>/) as the real
    # marketplaces do, every SANDBOX_PUSH_INTERVAL_SECONDS, from beat or the in-process keeper.
    SANDBOX_PUSH = env.bool("SANDBOX_PUSH", default=True)
    SANDBOX_PUSH_INTERVAL_SECONDS = env.float("SANDBOX_PUSH_INTERVAL_SECONDS", default=5.0)
    CELERY_BEAT_SCHEDULES.append("marketplaces.sandbox.schedule.beat_schedule")
    # Each stand-in's pages live in its marketplace's package: marketplaces/<key>/standin/.
    TEMPLATES[0]["DIRS"].extend(
        sorted(p for p in (BASE_DIR / "marketplaces").glob("*/standin/templates") if p.is_dir())
    )

# The marketplaces' consent pages join form-action per response (integrations.middleware).
SECURE_CSP = content_security_policy(oauth_urls=[])

# Webhooks to loopback and private addresses (a local receiver) are for development only.
if env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False) and not DEBUG:
    raise ImproperlyConfigured(
        "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES can only be enabled with DEBUG on."
    )

# --- The REST API (api/): Django REST Framework, drf-spectacular for the OpenAPI 3 schema -------

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API do hub",
    "DESCRIPTION": "Contas, saúde, pedidos e histórico de uma empresa; erros em RFC 9457.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Observability (README, "Operating"): metrics, readiness, error tracking ---------------------

# /metrics answers only with "Authorization: Bearer <METRICS_TOKEN>"; unset, it is off (404).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# The window of the *_recent metrics (refresh outcomes counted from the history).
METRICS_WINDOW_SECONDS = env.int("METRICS_WINDOW_SECONDS", default=3600)
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from config.error_tracking import error_tracking_init

    error_tracking_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        release=env.str("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )

# --- Logging: dotted event names, never token material --------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# "keyvalue" (event name then key=value per extra field) or "json" (one object per line).
LOG_FORMAT = env.str("LOG_FORMAT", default="keyvalue")

from config.logging import formatter_config  # noqa: E402

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"hub": formatter_config(LOG_FORMAT)},
    "filters": {
        "strip_query_strings": {"()": "config.logging.StripQueryStrings"},
        "client_errors_without_traceback": {"()": "config.logging.ClientErrorsWithoutTraceback"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "hub",
            "filters": ["strip_query_strings"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own lines through our handler only (its default console handler would print
        # each a second time in development), a refused request's without its traceback.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"filters": ["client_errors_without_traceback"]},
        # urllib3 logs request lines at DEBUG; a query string may hold a code or a state.
        "urllib3": {"level": "WARNING"},
        # The dev server's access log: request lines through our handler, queries stripped.
        "django.server": {
            "handlers": ["console"],
            "filters": ["strip_query_strings"],
            "level": "INFO",
            "propagate": False,
        },
    },
}
