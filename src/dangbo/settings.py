"""One settings file driven by environment variables (healthchecks' pattern).

DATABASE_URL   default sqlite:///var/dangbo.sqlite3 (relative to the working directory)
DATABASE_REPLICA_URL  optional PostgreSQL streaming replica for heavy reports (core/dbrouter.py)
DANGBO_DEBUG   "1" for development
DANGBO_SECRET_KEY  otherwise a key is generated once into var/secret_key (never committed)
DANGBO_ALLOWED_HOSTS  comma-separated, default 127.0.0.1,localhost
DANGBO_HTTPS   "1" in production behind an HTTPS reverse proxy: secure cookies, HSTS, redirect to
               HTTPS, the proxy's X-Forwarded-Proto trusted (each overridable, see README.md)
Every variable is listed in README.md's configuration table.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from dangbo.ops.files import create_owner_only, owner_only_dir, secret_key_file, sqlite_files
from dangbo.ops.proxy import client_address_settings

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = owner_only_dir(Path(os.environ.get("DANGBO_VAR", "var")).resolve())


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"Biến môi trường {name} phải là số nguyên, không phải «{raw}».") from None


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    if os.environ.get("DANGBO_SECRET_KEY"):
        return os.environ["DANGBO_SECRET_KEY"]
    return secret_key_file(VAR_DIR / "secret_key")


DEBUG = _env_bool("DANGBO_DEBUG")
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("DANGBO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs page from local static files, not a CDN
    "axes",
    "dangbo.audit",
    "dangbo.orgs",
    "dangbo.members",
    "dangbo.accounts",
    "dangbo.jobs",
    "dangbo.registry",
    "dangbo.congress",
    "dangbo.elections",
    "dangbo.votes",
    "dangbo.appraisal",
    "dangbo.documents",
    "dangbo.workdays",
    "dangbo.procedures",
    "dangbo.reports",
    "dangbo.meetings",
    "dangbo.programme",
    "dangbo.fees",
    "dangbo.ops",
    "dangbo.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): 5 failures for one username from one address lock that pair, and
# 20 failures from one address whatever the usernames lock the address (web/throttle.py), for 15
# minutes. Behind reverse proxies the client address is read from X-Forwarded-For only when
# DANGBO_TRUSTED_PROXIES says how many proxies append to it; otherwise every request's address is the
# connection's (behind a proxy: the proxy's, one address for everybody — so set it there).
AXES_FAILURE_LIMIT = _env_int("DANGBO_LOGIN_FAILURE_LIMIT", 5)
DANGBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS = _env_int("DANGBO_LOGIN_FAILURE_LIMIT_PER_ADDRESS", 20)
AXES_HANDLER = "dangbo.web.throttle.AddressLimitHandler"
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True  # resets the username+address pair only, never the address's count
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
AXES_VERBOSE = False
TRUSTED_PROXIES = _env_int("DANGBO_TRUSTED_PROXIES", 0)  # reverse proxies in front that append X-Forwarded-For
globals().update(client_address_settings(TRUSTED_PROXIES))  # AXES_IPWARE_* (ops/proxy.py)

# HTTPS behind a reverse proxy: DANGBO_HTTPS=1 turns on the secure set; each part can be overridden.
# Development (make demo on http://127.0.0.1) leaves it off.
HTTPS = _env_bool("DANGBO_HTTPS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if _env_bool("DANGBO_PROXY_SSL_HEADER", HTTPS) else None
SECURE_SSL_REDIRECT = _env_bool("DANGBO_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("DANGBO_SECURE_COOKIES", HTTPS)
SECURE_HSTS_SECONDS = _env_int("DANGBO_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("DANGBO_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _env_bool("DANGBO_HSTS_PRELOAD", HTTPS)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = _env_list("DANGBO_CSRF_TRUSTED_ORIGINS")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"DANGBO_CSRF_TRUSTED_ORIGINS: «{_origin}» phải có dạng https://tên-miền (kèm https://).")
CSRF_FAILURE_VIEW = "dangbo.web.errors.csrf_failure"

ROOT_URLCONF = "dangbo.urls"
WSGI_APPLICATION = "dangbo.wsgi.application"

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
                "dangbo.accounts.selectors.account_context",
            ],
        },
    }
]

_default_db = f"sqlite:///{VAR_DIR / 'dangbo.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at BEGIN so
        # concurrent writers queue on busy_timeout instead of failing with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    _db_name = str(DATABASES["default"]["NAME"])
    if _db_name and not _db_name.startswith((":memory:", "file:")):
        # created empty and 0600 before Django connects; SQLite gives its -wal/-shm the database's mode
        _db = Path(_db_name)
        _db.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        create_owner_only(_db)
        for _extra in sqlite_files(_db)[1:]:
            if _extra.exists():
                create_owner_only(_extra)  # tightens the -wal/-shm an older version left readable

if os.environ.get("DATABASE_REPLICA_URL"):  # heavy reports read off a streaming replica (core/dbrouter.py)
    DATABASES["replica"] = dj_database_url.parse(os.environ["DATABASE_REPLICA_URL"], conn_max_age=60)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["dangbo.core.dbrouter.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps' static folders, no collectstatic step

LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SESSION_COOKIE_AGE = 8 * 3600

# Errors: a 5xx keeps its traceback; a 4xx (403 permission denied, 400 bad host, 404) is one line —
# Django's django.request logger attaches the PermissionDenied traceback to its WARNING otherwise.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_4xx": {"()": "dangbo.web.logfilters.OneLineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["one_line_4xx"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGBO_LOG_LEVEL", "WARNING")},
}

# Settings for rules DOMAIN.md marks med/low: shown in the UI as settings, with these defaults.
DANGBO_RULES = {
    "temp_transfer_min_months": 3,
    "temp_transfer_max_months": 12,
    "temp_transfer_study_max_months": 24,
}
