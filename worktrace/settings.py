"""Django settings for worktrace, read from the environment (see docs/configuration.md)."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from worktrace.env import envbool, envint, envlist, envrate, envstr

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(envstr("WORKTRACE_VAR_DIR") or (PROJECT_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A given key wins; otherwise one is generated once and kept under var/ so sessions survive restarts."""
    given = envstr("SECRET_KEY")
    if given:
        return given
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "worktrace.admin_site.WorktraceAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "worktrace.accounts",
    "worktrace.audit",
    "worktrace.registry",
    "worktrace.front",
    "worktrace.demo",
    "worktrace.rosters",
    "worktrace.tracing",
    "worktrace.api",
    "worktrace.notifications",
    "worktrace.bench",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their cache lifetimes.
    "worktrace.headers.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "worktrace.locale_middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, which reads the POST body: an oversized upload is refused by its Content-Length unread.
    "worktrace.rosters.uploads.UploadSizeMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "worktrace.ratelimits.RateLimitMiddleware",
    # Last, so that a locked-out login is answered after authentication has been tried.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "worktrace.urls"
WSGI_APPLICATION = "worktrace.wsgi.application"

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
                "django.template.context_processors.i18n",
                "worktrace.accounts.context.access",
            ],
        },
    }
]


def _databases() -> dict:
    url = envstr("DATABASE_URL")
    if not url:
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": VAR_DIR / "worktrace.sqlite3",
                # WAL lets the web server read while an import writes; IMMEDIATE avoids
                # "database is locked" on the upgrade from a read to a write lock.
                "OPTIONS": {
                    "transaction_mode": "IMMEDIATE",
                    "timeout": 20,
                    "init_command": (
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                        " PRAGMA cache_size=-64000;"
                    ),
                },
                "TEST": {"NAME": envstr("WORKTRACE_SQLITE_TEST_NAME")},
            }
        }
    try:
        config = dj_database_url.parse(url, conn_max_age=envint("CONN_MAX_AGE", 60))
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL must be a postgres:// URL (or unset for SQLite)")
    # The trace queries are short and planned afresh each time: JIT only adds to them (docs/performance.md).
    config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return {"default": config}


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one address the
# account is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Served over HTTPS (HTTPS=true): secure cookies, redirect from http://, HSTS. Behind a reverse proxy that
# terminates TLS, SECURE_PROXY_SSL_HEADER=true trusts its X-Forwarded-Proto (only if the proxy sets it).
HTTPS = envbool("HTTPS", False)
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", HTTPS)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's health check speaks plain HTTP
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp): scripts, styles and images from this site only; no inline script or
# style attribute (data for scripts travels in json_script blocks and data- attributes), no frames, no plugins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Rate limits (django-ratelimit, worktrace/ratelimits.py), per user (or API token) and per address. Sign-in
# counts failed attempts only. The counters live in the cache: see CACHE_URL.
RATELIMITS = {
    "login": {
        "user": envrate("RATELIMIT_LOGIN_USER", "10/h"),
        "address": envrate("RATELIMIT_LOGIN_ADDRESS", "30/h"),
    },
    "search": {
        "user": envrate("RATELIMIT_SEARCH_USER", "60/m"),
        "address": envrate("RATELIMIT_SEARCH_ADDRESS", "300/m"),
    },
    "trace": {
        "user": envrate("RATELIMIT_TRACE_USER", "10/m"),
        "address": envrate("RATELIMIT_TRACE_ADDRESS", "60/m"),
    },
    "api": {
        "user": envrate("RATELIMIT_API_USER", "120/m"),
        "address": envrate("RATELIMIT_API_ADDRESS", "600/m"),
    },
}
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
# Behind a reverse proxy every request comes from the proxy: name the header carrying the client's address.
# (A request header X-Real-IP is HTTP_X_REAL_IP.) axes and the rate limits read the address the same way.
CLIENT_IP_HEADER = envstr("CLIENT_IP_HEADER") or "REMOTE_ADDR"
AXES_CLIENT_IP_CALLABLE = "worktrace.ratelimits.client_address"


def _caches() -> dict:
    """Rate-limit counters must be shared by every web process: Redis in production, memory for one process."""
    url = envstr("CACHE_URL")
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("CACHE_URL must be a redis:// URL (or unset for one process's memory)")
    return {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}


CACHES = _caches()

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
# Vietnamese dates are dd/mm/yyyy whatever the interface language.
FORMAT_MODULE_PATH = ["worktrace.formats"]
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
NODE_MODULES = PROJECT_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/cytoscape", NODE_MODULES / "cytoscape" / "dist"),
    # The graph's compound layout (fcose) and the two libraries it is built on.
    ("vendor/cytoscape-fcose", NODE_MODULES / "cytoscape-fcose"),
    ("vendor/cose-base", NODE_MODULES / "cose-base"),
    ("vendor/layout-base", NODE_MODULES / "layout-base"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and DEBUG find files without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

PAGE_SIZE = envint("PAGE_SIZE", 50)

# A company's or zone board's access to a person through a job that has ended lasts this many days after the end
# date, then stops (docs/architecture.md, "Access"): as long as the longest trace lookback (28 days) can still
# reach the job and health officers may ask the employer about that worker.
ENDED_JOB_ACCESS_DAYS = envint("ENDED_JOB_ACCESS_DAYS", 28)

# Roster workbooks (docs/rosters.md): refused above the size limits, before any parser inflates them.
ROSTER_MAX_UPLOAD_MB = envint("ROSTER_MAX_UPLOAD_MB", 50)
ROSTER_MAX_INFLATED_MB = envint("ROSTER_MAX_INFLATED_MB", 400)  # .xlsx/.ods: all parts once unzipped
ROSTER_MAX_XLS_MB = envint("ROSTER_MAX_XLS_MB", 20)  # .xls is not compressed; 65,536 rows fit in ~15 MB
ROSTER_FILE_RETENTION_DAYS = envint("ROSTER_FILE_RETENTION_DAYS", 30)
ROSTER_API_WAIT_SECONDS = envint("ROSTER_API_WAIT_SECONDS", 120)
ROSTER_LARGE_LEAVE_PERCENT = envint("ROSTER_LARGE_LEAVE_PERCENT", 20)  # leavers over this share: confirm twice
# Uploaded files go to a temporary file beyond this (Django's default, said here): only the handler's chunks are
# held in memory, and the upload handler below stops a body that grows past the roster limit.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "worktrace.rosters.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Notifications (docs/architecture.md, "Notifications"). E-mail goes through Django's SMTP backend with the
# standard settings; it is used only when EMAIL_HOST is set (NOTIFY_EMAIL), so an install without a mail server
# does not fill the failure list. SMS goes to an HTTP gateway (contract: docs/configuration.md, "SMS gateway")
# when SMS_GATEWAY_URL is set. SITE_URL is how links in e-mails and SMS reach the site.
EMAIL_BACKEND = envstr("EMAIL_BACKEND") or "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = envstr("EMAIL_HOST") or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL") or "worktrace@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFY_EMAIL = envbool("NOTIFY_EMAIL", bool(envstr("EMAIL_HOST")))
SMS_GATEWAY_URL = envstr("SMS_GATEWAY_URL") or ""
SMS_GATEWAY_TOKEN = envstr("SMS_GATEWAY_TOKEN") or ""
SMS_GATEWAY_USER = envstr("SMS_GATEWAY_USER") or ""
SMS_GATEWAY_PASSWORD = envstr("SMS_GATEWAY_PASSWORD") or ""
SMS_GATEWAY_TIMEOUT = envint("SMS_GATEWAY_TIMEOUT", 10)
SMS_SENDER = envstr("SMS_SENDER") or ""
SMS_MAX_LENGTH = envint("SMS_MAX_LENGTH", 320)
SITE_URL = envstr("SITE_URL") or "http://127.0.0.1:8000"
# A company whose roster was last updated longer ago than this is reminded (and listed in its zone's digest).
ROSTER_STALE_DAYS = envint("ROSTER_STALE_DAYS", 3)

# Background work (docs/architecture.md, "Background work"): huey. Its queue is a SQLite file under var/ by
# default, Redis when HUEY_REDIS_URL is set (several consumers on several machines); `worktrace run_huey` is
# the consumer, started by `worktrace demo`. HUEY_WORKERS bounds how many imports run at once per consumer.
# On SQLite one writer holds the database at a time: a second import would wait on the first one's long write
# transaction past the busy timeout, so the embedded default runs one import at a time.
HUEY_WORKERS = envint("HUEY_WORKERS", 1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 2)


def _huey() -> dict:
    config = {
        "name": "worktrace",
        "immediate": envbool("HUEY_IMMEDIATE", False),  # tests: tasks run at once, in the caller
        "results": False,  # callers read an ImportRun, not a task result
        "utc": True,
        "consumer": {
            "workers": HUEY_WORKERS,
            # Processes: parsing is CPU-bound, and one import's memory is returned to the system when it ends.
            "worker_type": envstr("HUEY_WORKER_TYPE", "process"),
            "periodic": True,
            "check_worker_health": True,
        },
    }
    redis_url = envstr("HUEY_REDIS_URL")
    if redis_url:
        return {**config, "huey_class": "huey.RedisHuey", "url": redis_url}
    return {**config, "huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "huey.sqlite3")}


HUEY = _huey()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
    # The queue consumer says which tasks it runs; configured here so run_huey adds no second handler.
    "loggers": {"huey": {"handlers": ["console"], "level": envstr("HUEY_LOG_LEVEL", "INFO"), "propagate": False}},
}
