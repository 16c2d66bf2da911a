"""
Settings for the Todo project, read from the environment (twelve-factor).

Every variable has a local default that works with nothing installed (SQLite, console
email, the database cache). With DEBUG off the settings are strict: a missing SECRET_KEY
stops the process at start with a clear message. The README lists every variable.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as default_cors_headers
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Return the boolean value of environment variable `name` (1/true/yes/on)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Return the comma-separated variable `name` as a list, blanks dropped."""
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def env_int(name: str, default: int) -> int:
    """Return the integer value of environment variable `name`."""
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name} must be an integer, got {value!r}."
        ) from exc


# GENERAL
# ------------------------------------------------------------------------------
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))' makes one), "
            "or set DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
# The site's public address, for links made outside a request (digest mails, the
# calendar feed), e.g. https://todo.example.com.
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# The local hour (in each user's time zone) from which their daily digest is sent.
DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# The product speaks English only; without the translation machinery every page renders
# with less work (Django's advice for sites that do not translate).
USE_I18N = False
USE_TZ = True

ROOT_URLCONF = "todoproject.urls"
WSGI_APPLICATION = "todoproject.wsgi.application"

# APPS
# ------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # third party
    "axes",
    "corsheaders",
    "csp",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "knox",
    "rest_framework",
    # Accounts: sign-up with a verified email, log-in, two-factor (README "Accounts").
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # ours, lowest layer first: each may import the ones listed before it, never after.
    "serving",
    "api",
    "adoption",
    "accounts",
    "tasks",
]

MIDDLEWARE = [
    "serving.request_log.RequestLogMiddleware",
    # JSON bodies for the errors Django itself renders under /api/ (404, 500, ...).
    "api.middleware.ApiJSONErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before the CSRF check, which would parse a multipart body to find its token.
    "serving.uploads.RefuseUnexpectedUploadsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store, private on every response to a signed-in user.
    "serving.private.PrivateResponsesMiddleware",
    # The signed-in user is the actor of the task changes the request makes (history).
    "tasks.history.ActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Records each signed-in session, so that a password change or turning two-factor
    # on can end the user's other sessions (accounts.credentials).
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # django-csp's, with the policy built once per process.
    "serving.csp.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout in authenticate() into a response.
    "axes.middleware.AxesMiddleware",
]

# Requests to the API that carry a token skip what only the site's pages use: static
# files, the session and its user, CSRF, messages, htmx, allauth's session tracking.
# serving.handlers gives them the rest of MIDDLEWARE, in its order.
SITE_ONLY_MIDDLEWARE = frozenset(
    {
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django_htmx.middleware.HtmxMiddleware",
        "allauth.usersessions.middleware.UserSessionsMiddleware",
    }
)
API_MIDDLEWARE = [path for path in MIDDLEWARE if path not in SITE_ONLY_MIDDLEWARE]

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
                "tasks.undo.undo_offer",
            ],
        },
    },
]

# DATABASES
# ------------------------------------------------------------------------------
# Persistent connections with health checks: Neon closes idle connections after about
# five minutes and suspends the compute, so a reused connection is pinged before use and
# re-opened when the server has gone away. Keep DB_CONN_MAX_AGE under 300 s for Neon.
# DB_POOL=1 switches to psycopg's pool instead (Django requires CONN_MAX_AGE=0 then); it
# suits threaded or ASGI workers more than gunicorn's sync workers (see README).


def database_settings(url: str) -> dict:
    """Return Django's settings for one database URL, tuned for Neon when PostgreSQL."""
    db = dj_database_url.parse(
        url,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if db["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, plus a bounded retry of connection setup (Neon cold start).
        db["ENGINE"] = "serving.db_backend"
        options = db.setdefault("OPTIONS", {})
        # Bounded, so a request never hangs on an unreachable or waking host; the
        # bound covers every attempt of the retry in serving.db_backend.
        options.setdefault("connect_timeout", env_int("DB_CONNECT_TIMEOUT", 10))
        # PgBouncer in transaction mode (Neon's "-pooler" host) breaks named cursors.
        pooled = env_bool("DB_POOLED", "-pooler" in (db.get("HOST") or ""))
        if pooled:
            db["DISABLE_SERVER_SIDE_CURSORS"] = True
        # Prepared statements: parameters bound by the server, and a statement a
        # connection has run DB_PREPARE_THRESHOLD times is planned once and reused
        # (the token lookup and the API list's query run on every request). Off
        # behind a transaction-mode pooler, where the next statement may reach
        # another server connection that never saw the preparation.
        if env_bool("DB_PREPARED_STATEMENTS", not pooled):
            options.setdefault("server_side_binding", True)
            options.setdefault("prepare_threshold", env_int("DB_PREPARE_THRESHOLD", 5))
        if env_bool("DB_POOL", False):
            db["CONN_MAX_AGE"] = 0
            options["pool"] = {
                "min_size": env_int("DB_POOL_MIN_SIZE", 1),
                "max_size": env_int("DB_POOL_MAX_SIZE", 4),
                "timeout": env_int("DB_POOL_TIMEOUT", 10),
            }
    return db


DATABASES = {
    "default": database_settings(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

# CACHES
# ------------------------------------------------------------------------------
# Shared by every process and machine: log-in lock-outs live here (API rate limits
# have their own table, api_rate_counters).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            # Never evicts live entries, so throttle and lock-out counters hold.
            "BACKEND": "serving.cache.DatabaseCache",
            "LOCATION": "django_cache",
            "OPTIONS": {"MAX_ENTRIES": 1000},
        }
    }

# With REDIS_URL, the API's rate-limit counters live in Redis under this prefix
# (api.throttling); without it, in the api_rate_counters table.
API_THROTTLE_REDIS_PREFIX = os.environ.get("API_THROTTLE_REDIS_PREFIX", "ratelimit:")

SESSION_ENGINE = "django.contrib.sessions.backends.db"

# AUTH
# ------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Marks the sessions allauth opens itself (after sign-up, verification, passkeys);
    # it checks no password, so a wrong one is hashed once, by ModelBackend.
    "accounts.auth_backends.AllauthLoginBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "tasks:list"
LOGOUT_REDIRECT_URL = "home"

# The first hasher hashes new passwords; the others verify older hashes, which Django
# upgrades to the first on the next successful log-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "accounts.hashers.LegacyBCryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

# Log-in throttling (django-axes): failures are counted per account and per client in
# the shared cache, on every log-in path that calls authenticate().
# A success clears that account's failures only, not its client's (accounts.lockout).
AXES_HANDLER = "accounts.lockout.AccountResetCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
# Django's log-in forms pass the email as `username`, the API may pass `email`: both
# count against one account, whatever the letter case, so case cannot dodge the limit.
AXES_USERNAME_CALLABLE = "accounts.lockout.client_username"
# Behind the platform's proxy every request comes from the proxy's address; the client
# is the address that proxy put in X-Forwarded-For (TRUSTED_PROXY_COUNT proxies deep).
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# A page (HTTP 429) that says why and for how long; JSON under /api/.
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# SECURITY
# ------------------------------------------------------------------------------
# TLS is terminated by the platform's proxy, which says so in X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# On by default in production; SECURE_SSL_REDIRECT=0 serves plain HTTP (local testing
# with DEBUG off) and then also drops HSTS and the Secure flag on cookies.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE_SSL_REDIRECT else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL_REDIRECT
SECURE_HSTS_PRELOAD = SECURE_SSL_REDIRECT
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = SECURE_SSL_REDIRECT
CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

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

# Browser front ends on other origins may call the API, and nothing else.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_CREDENTIALS = env_bool("CORS_ALLOW_CREDENTIALS", False)
CORS_ALLOW_HEADERS = (*default_cors_headers, "if-match", "if-none-match")
CORS_EXPOSE_HEADERS = ("etag", "location", "retry-after")

# ACCOUNTS (django-allauth: account + mfa)
# ------------------------------------------------------------------------------
# Email is the only identifier; every address is verified by a link before the account
# can be used; sign-up, log-in and password reset never reveal who has an account.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"reset_password": "accounts.forms.ResetPasswordForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_USER_MODEL_EMAIL_FIELD = "email"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a "Confirm" button
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int(
    "ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS", 3
)
ACCOUNT_PREVENT_ENUMERATION = True
# A reset asked for an unknown address sends nothing (no mail to strangers).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_CHANGE_EMAIL = (
    True  # one address per account; a new one replaces it once verified
)
ACCOUNT_EMAIL_NOTIFICATIONS = True  # the old address hears of a change
ACCOUNT_EMAIL_SUBJECT_PREFIX = os.environ.get("ACCOUNT_EMAIL_SUBJECT_PREFIX", "[Todo] ")
# Links in mails: https wherever the site redirects to https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_SSL_REDIRECT else "http"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None  # the log-in form asks "Remember me"
# Per client (ip) and per address (key), counted in the shared cache (CACHES): every
# process and machine counts together. login_failed is looser than django-axes'
# lock-out (LOGIN_FAILURE_LIMIT), which stays the one answer to password guessing.
ACCOUNT_RATE_LIMITS = {
    "signup": os.environ.get("ACCOUNT_RATE_SIGNUP", "10/m/ip"),
    "login": os.environ.get("ACCOUNT_RATE_LOGIN", "30/m/ip"),
    "login_failed": "50/m/ip,20/300s/key",
    "reset_password": os.environ.get(
        "ACCOUNT_RATE_RESET_PASSWORD", "10/m/ip,3/15m/key"
    ),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": os.environ.get("ACCOUNT_RATE_CONFIRM_EMAIL", "1/3m/key"),
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# The two-factor step refuses codes while django-axes has the account locked out.
MFA_FORMS = {"authenticate": "accounts.forms.TwoFactorCodeForm"}
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "Todo")
# WebAuthn needs https, except on localhost (development and the browser tests).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or env_bool(
    "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN"
)
# Sessions are recorded at log-in (allauth.usersessions), so that a password change or
# reset and turning two-factor on end the user's other sessions (accounts.credentials).
USERSESSIONS_TRACK_ACTIVITY = False

# STATIC FILES
# ------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# EMAIL
# ------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Todo <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# REST FRAMEWORK
# ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.TokenAuthentication",
        # For the browsable API in a signed-in browser (CSRF-checked).
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "api.renderers.OrjsonRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON in: any other body is a 415; one over DATA_UPLOAD_MAX_MEMORY_SIZE a 413.
    "DEFAULT_PARSER_CLASSES": ["api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    # DRF's throttles, counted in the database table `api_rate_counters` (one statement
    # a request), shared by every process. "auth" is the stricter scope of register and
    # token creation.
    "DEFAULT_THROTTLE_CLASSES": [
        "api.throttling.AnonRateThrottle",
        "api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "60/min"),
        "user": os.environ.get("API_THROTTLE_USER", "600/min"),
        "auth": os.environ.get("API_THROTTLE_AUTH", "10/min"),
    },
    # The client address, for anonymous rates: as django-axes reads it (# AUTH).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# The most live API tokens one account may hold (one per integration is the idea).
API_TOKEN_LIMIT = env_int("API_TOKEN_LIMIT", 20)

REST_KNOX = {
    "AUTH_HEADER_PREFIX": "Token",
    # API_TOKEN_TTL_DAYS=0: tokens that never expire.
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 90)) or None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Todo API",
    "DESCRIPTION": (
        "Tasks of the signed-in user, for integrations. Authenticate with "
        "`Authorization: Token <key>` (from `POST /api/v1/auth/token/`). Errors are "
        'JSON: `{"detail": "..."}`, or one list of messages per field for a 400.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Separate request and response components, so read-only fields are not inputs.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No badge from validator.swagger.io: the docs page loads nothing from elsewhere.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Blank-allowed text: "" matches both branches of the generated oneOf.
        "api.schema.blank_text_any_of",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# LOGGING
# ------------------------------------------------------------------------------
# Everything to stdout, where the platform collects it. One line per request comes from
# serving.request_log; Django's own 4xx warnings would repeat it: only errors pass.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # serving.log_format.OneLineFormatter escapes control characters: a request cannot
    # forge a log line. gunicorn.conf.py uses the same formatter.
    "formatters": {"plain": {"()": "serving.log_format.OneLineFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        # SQL with its parameters (password hashes, token digests) stays out of the
        # logs even at LOG_LEVEL=DEBUG.
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
