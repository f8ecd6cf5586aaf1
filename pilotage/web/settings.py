"""Django settings, read from the environment (every variable is listed in docs/web.md).

SQLite by default (WAL, busy timeout, immediate write transactions);
``PILOTAGE_DB=postgres`` switches to PostgreSQL with the libpq variables
``PGHOST``, ``PGPORT``, ``PGDATABASE``, ``PGUSER`` and ``PGPASSWORD``.  The
process keeps no state of its own: sessions, login throttling, uploads and the
task queue live in the database (or Redis), so several servers can run behind
a load balancer.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    """A string variable; ``NAME_FILE`` names a file holding it (for secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """``true``/``false`` (or ``1``/``0``); anything else is a configuration error."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    """An integer variable; anything else is a configuration error."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("PILOTAGE_DATA_DIR", "var")).resolve()
"""Where the SQLite database, the task queue, uploads and the generated key live."""


def _ensure_data_dir() -> None:
    """Create the data folder, ignored by version control (it holds data and keys)."""
    if not DATA_DIR.exists():
        DATA_DIR.mkdir(parents=True)
        (DATA_DIR / ".gitignore").write_text("*\n", encoding="utf-8")


def _secret_key() -> str:
    """``PILOTAGE_SECRET_KEY``, or a key generated once into the data folder.

    The generated key suits one machine; several servers must share the variable.
    """
    key = env_str("PILOTAGE_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        _ensure_data_dir()
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


DEBUG = env_bool("PILOTAGE_DEBUG", False)
SECRET_KEY = _secret_key()
FIELD_KEYS = env_list("PILOTAGE_FIELD_KEY")
"""Fernet keys for secrets stored in the database, newest first (rotation);
when empty, one key is derived from ``SECRET_KEY``."""
ALLOWED_HOSTS = env_list("PILOTAGE_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("PILOTAGE_CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("PILOTAGE_SITE_URL", "http://127.0.0.1:8000")
BEHIND_PROXY = env_bool("PILOTAGE_BEHIND_PROXY", False)
"""Trust ``X-Forwarded-Proto``/``-Host``/``-For`` from the reverse proxy."""
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SITE_URL.startswith("https://")
SESSION_COOKIE_AGE = env_int("PILOTAGE_SESSION_HOURS", 12) * 3600

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "pilotage.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "pilotage.web.scoping.ApiTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pilotage.web.scoping.UserLanguageMiddleware",
    "pilotage.web.scoping.OrganizationMiddleware",
]

ROOT_URLCONF = "pilotage.web.urls"
WSGI_APPLICATION = "pilotage.web.wsgi.application"
AUTH_USER_MODEL = "web.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pilotage.web.scoping.context",
            ],
            "builtins": ["pilotage.web.templatetags.pilotage_tags"],
        },
    }
]


def _databases() -> dict[str, Any]:
    engine = env_str("PILOTAGE_DB", "sqlite")
    if engine == "sqlite":
        _ensure_data_dir()
        return {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": env_str("PILOTAGE_SQLITE_PATH", str(DATA_DIR / "pilotage.sqlite3")),
                "OPTIONS": {
                    "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON",
                    "transaction_mode": "IMMEDIATE",
                    "timeout": env_int("PILOTAGE_SQLITE_TIMEOUT", 20),
                },
            }
        }
    if engine == "postgres":
        return {
            "default": {
                "ENGINE": "django.db.backends.postgresql",
                "NAME": env_str("PGDATABASE", "pilotage"),
                "USER": env_str("PGUSER"),
                "PASSWORD": env_str("PGPASSWORD"),
                "HOST": env_str("PGHOST"),
                "PORT": env_str("PGPORT"),
                "CONN_MAX_AGE": env_int("PILOTAGE_DB_CONN_MAX_AGE", 60),
                "CONN_HEALTH_CHECKS": True,
            }
        }
    raise ImproperlyConfigured(f"PILOTAGE_DB must be sqlite or postgres, not {engine!r}")


DATABASES = _databases()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _huey() -> dict[str, Any]:
    """The background queue: SQLite file by default, Redis or PostgreSQL to scale out."""
    queue = env_str("PILOTAGE_QUEUE", "sqlite")
    workers = env_int("PILOTAGE_QUEUE_WORKERS", 1)
    consumer = {"workers": workers, "worker_type": "thread"}
    if queue == "sqlite":
        _ensure_data_dir()
        return {
            "name": "pilotage",
            "huey_class": "huey.SqliteHuey",
            "filename": str(DATA_DIR / "queue.sqlite3"),
            "immediate": False,
            "consumer": consumer,
        }
    if queue == "redis":
        return {
            "name": "pilotage",
            "huey_class": "huey.RedisHuey",
            "url": env_str("PILOTAGE_REDIS_URL", "redis://127.0.0.1:6379/0"),
            "immediate": False,
            "consumer": consumer,
        }
    if queue == "postgres":
        db = DATABASES["default"]
        return {
            "name": "pilotage",
            "huey_class": "huey.PostgresHuey",
            "immediate": False,
            "connection": {
                "dbname": db["NAME"],
                "user": db["USER"] or None,
                "password": db["PASSWORD"] or None,
                "host": db["HOST"] or None,
                "port": db["PORT"] or None,
            },
            "consumer": consumer,
        }
    if queue == "immediate":
        return {"name": "pilotage", "huey_class": "huey.MemoryHuey", "immediate": True}
    raise ImproperlyConfigured(
        f"PILOTAGE_QUEUE must be sqlite, redis, postgres or immediate, not {queue!r}"
    )


HUEY = _huey()

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

LOGIN_MAX_FAILURES = env_int("PILOTAGE_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("PILOTAGE_LOGIN_LOCKOUT_MINUTES", 15)
INVITATION_DAYS = env_int("PILOTAGE_INVITATION_DAYS", 7)
MAX_UPLOAD_MB = env_int("PILOTAGE_MAX_UPLOAD_MB", 50)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
BLOB_STORE = env_str("PILOTAGE_BLOB_STORE", "database")
"""Where import snapshot bytes go: ``database`` or ``files`` (under ``MEDIA_ROOT``)."""
MEDIA_ROOT = env_str("PILOTAGE_MEDIA_ROOT", str(DATA_DIR / "media"))


def _caches() -> dict[str, Any]:
    """The cache of read models (a finished run's dashboard): ``files`` under the data folder
    (default; shared by the processes of one machine), ``database`` (a table created by
    ``pilotage serve`` or ``createcachetable``; shared by every server of the database),
    ``memory`` (per process) or ``none``."""
    kind = env_str("PILOTAGE_CACHE", "files")
    backends = {
        "files": "django.core.cache.backends.filebased.FileBasedCache",
        "database": "django.core.cache.backends.db.DatabaseCache",
        "memory": "django.core.cache.backends.locmem.LocMemCache",
        "none": "django.core.cache.backends.dummy.DummyCache",
    }
    if kind not in backends:
        raise ImproperlyConfigured(
            f"PILOTAGE_CACHE must be files, database, memory or none, not {kind!r}"
        )
    location = {"files": str(DATA_DIR / "cache"), "database": "pilotage_cache"}.get(kind, "")
    if kind == "files":
        _ensure_data_dir()
    timeout = env_int("PILOTAGE_CACHE_SECONDS", 7 * 24 * 3600)
    return {
        "default": {
            "BACKEND": backends[kind],
            "LOCATION": location,
            "TIMEOUT": timeout,
            "OPTIONS": {"MAX_ENTRIES": env_int("PILOTAGE_CACHE_ENTRIES", 2000)},
        }
    }


CACHES = _caches()

# OpenID Connect: configured only when the provider's endpoints and client are given.
OIDC_RP_CLIENT_ID = env_str("PILOTAGE_OIDC_CLIENT_ID")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
if OIDC_ENABLED:
    INSTALLED_APPS.append("mozilla_django_oidc")
    AUTHENTICATION_BACKENDS.append("pilotage.web.auth.OIDCBackend")
    OIDC_RP_CLIENT_SECRET = env_str("PILOTAGE_OIDC_CLIENT_SECRET")
    OIDC_RP_SIGN_ALGO = env_str("PILOTAGE_OIDC_SIGN_ALGO", "RS256")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("PILOTAGE_OIDC_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env_str("PILOTAGE_OIDC_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env_str("PILOTAGE_OIDC_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env_str("PILOTAGE_OIDC_JWKS_ENDPOINT")
    OIDC_CREATE_USER = env_bool("PILOTAGE_OIDC_CREATE_USER", False)
    # Providers that send no email_verified claim (Microsoft Entra ID) manage their
    # users' addresses themselves: trust them only when told to.
    OIDC_TRUST_PROVIDER_EMAILS = env_bool("PILOTAGE_OIDC_TRUST_PROVIDER_EMAILS", False)
    OIDC_RP_SCOPES = "openid email profile"
    missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
        )
        if not globals()[name]
    ]
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")) and not OIDC_OP_JWKS_ENDPOINT:
        missing.append("OIDC_OP_JWKS_ENDPOINT")
    if missing:
        raise ImproperlyConfigured(
            "PILOTAGE_OIDC_CLIENT_ID is set but not: "
            + ", ".join("PILOTAGE_" + m.replace("_RP_", "_").replace("_OP_", "_") for m in missing)
        )
OIDC_BUTTON_LABEL = env_str("PILOTAGE_OIDC_BUTTON_LABEL", "")

EMAIL_BACKEND = env_str("PILOTAGE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("PILOTAGE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("PILOTAGE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("PILOTAGE_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("PILOTAGE_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("PILOTAGE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("PILOTAGE_EMAIL_FROM", "pilotage@localhost")

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_str("PILOTAGE_STATIC_ROOT") or None
"""Only for ``collectstatic`` when a front proxy serves the files."""
WHITENOISE_USE_FINDERS = True
"""Static files are served from the packages without ``collectstatic`` (one process
serves them all; a large deployment may still collect them for a front proxy)."""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "pilotage": {"handlers": ["console"], "level": env_str("PILOTAGE_LOG_LEVEL", "INFO")},
        "huey": {"handlers": ["console"], "level": "INFO"},
    },
}
