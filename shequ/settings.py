"""Shequ settings: one file, every knob from the environment (see docs/operations.md)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from shequ.lib.env import env_bool, env_int, env_list, env_str
from shequ.lib.secrets import read_or_create_secret

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SHEQU_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "") or read_or_create_secret(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
HTTPS = env_bool("SHEQU_HTTPS", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "axes",
    "shequ.orgs",
    "shequ.notify",
    "shequ.people",
    "shequ.services",
    "shequ.insights",
    "shequ.demo",
    "shequ",  # the project level: the worker command (shequ/management)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "shequ.orgs.middleware.RecentConnectionMiddleware",
    "shequ.orgs.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shequ.urls"
WSGI_APPLICATION = "shequ.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shequ.orgs.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in WAL mode under the data directory unless DATABASE_URL says otherwise.
_default_db = f"sqlite:///{DATA_DIR / 'shequ.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "") or _default_db,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
# A connection used within this many seconds is not pinged before a request's first
# query (orgs.middleware.RecentConnectionMiddleware); one idle longer is. 0: every request.
SHEQU_DB_CHECK_IDLE_SECONDS = env_int("SHEQU_DB_CHECK_IDLE_SECONDS", 5, minimum=0, maximum=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "login"

# Lockout: ten failed logins for one username from one client address lock that pair for
# a while (django-axes' combined parameters, issue 11). By username alone anyone could lock
# any known account with ten POSTs; by address alone one person's typos would lock a whole
# hall that shares one address. Together: a clerk is locked only from where the guessing
# came from, and colleagues behind the same address keep working.
AXES_FAILURE_LIMIT = env_int("SHEQU_LOGIN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SHEQU_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS: list[str | list[str]] = [["username", "ip_address"]]
SILENCED_SYSTEM_CHECKS: list[str] = []
# The admin lists attempts (who, from where, how many failures, locked or not) and each
# failure; passwords are never recorded (axes masks them).
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shequ.orgs.views.locked_out"
AXES_VERBOSE = False

# Sessions expire after a working day, and when the browser closes.
SESSION_COOKIE_AGE = env_int("SHEQU_SESSION_SECONDS", 8 * 3600, minimum=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# Cookies ignore ports: copies side by side on one host (make run sets these per PORT)
# would otherwise sign each other out.
SESSION_COOKIE_NAME = env_str("SHEQU_SESSION_COOKIE", "shequ_session")
CSRF_COOKIE_NAME = env_str("SHEQU_CSRF_COOKIE", "shequ_csrftoken")
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SHEQU_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SHEQU_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["shequ.formats"]  # English dates, British style
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up without it
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
MEDIA_ROOT = DATA_DIR / "media"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# The worker's heartbeat is reported stale by /healthz after this many seconds.
SHEQU_WORKER_STALE_SECONDS = env_int("SHEQU_WORKER_STALE_SECONDS", 120, minimum=5)
SHEQU_WORKER_POLL_SECONDS = env_int("SHEQU_WORKER_POLL_SECONDS", 5, minimum=1)
SHEQU_DEMO_PASSWORD = env_str("SHEQU_DEMO_PASSWORD", "enshi-433-demo")

# --- people (issue 3): field encryption keys -------------------------------------------
# SHEQU_FIELD_KEYS: comma-separated Fernet keys, the first one current; older keys stay
# listed until `manage.py rotate_field_keys` has re-encrypted every row. Without it, a
# local key is generated into the data directory (what `make run` uses).
# SHEQU_BLIND_INDEX_KEY: the HMAC key of the lookup index. It is NOT rotated with the
# field keys: changing it breaks every exact lookup and the uniqueness of ID numbers.
SHEQU_FIELD_KEYS = env_list("SHEQU_FIELD_KEYS", []) or [
    read_or_create_secret(DATA_DIR / "field_key", nbytes=32)
]
SHEQU_BLIND_INDEX_KEY = env_str("SHEQU_BLIND_INDEX_KEY", "") or read_or_create_secret(
    DATA_DIR / "blind_index_key"
)
# --- end people --------------------------------------------------------------------------

# --- Services and notifications (issue 4) -------------------------------------------------
from shequ.lib.env import EnvError  # noqa: E402

# The quarter-hour rule (一刻钟): minutes a window has to complete, reply or be on site.
SHEQU_QUARTER_HOUR_MINUTES = env_int("SHEQU_QUARTER_HOUR_MINUTES", 15, minimum=1, maximum=240)
# Outbox delivery: "log" records messages in the database (default, for a newcomer and the
# demo); "http" posts text messages to an SMS gateway at SHEQU_SMS_GATEWAY_URL.
SHEQU_NOTIFY_BACKEND = env_str("SHEQU_NOTIFY_BACKEND", "log")
if SHEQU_NOTIFY_BACKEND not in {"log", "http"}:
    raise EnvError(f"SHEQU_NOTIFY_BACKEND={SHEQU_NOTIFY_BACKEND!r}: expected log or http")
SHEQU_SMS_GATEWAY_URL = env_str("SHEQU_SMS_GATEWAY_URL", "")
SHEQU_SMS_GATEWAY_TOKEN = env_str("SHEQU_SMS_GATEWAY_TOKEN", "")
SHEQU_SMS_GATEWAY_TIMEOUT = env_int("SHEQU_SMS_GATEWAY_TIMEOUT", 10, minimum=1, maximum=120)
if SHEQU_NOTIFY_BACKEND == "http" and not SHEQU_SMS_GATEWAY_URL.startswith(("https://", "http://")):
    raise EnvError("SHEQU_NOTIFY_BACKEND=http needs SHEQU_SMS_GATEWAY_URL (http:// or https://)")
SHEQU_NOTIFY_MAX_ATTEMPTS = env_int("SHEQU_NOTIFY_MAX_ATTEMPTS", 8, minimum=1)
SHEQU_NOTIFY_RETRY_BASE_SECONDS = env_int("SHEQU_NOTIFY_RETRY_BASE_SECONDS", 30, minimum=1)
SHEQU_NOTIFY_RETRY_MAX_SECONDS = env_int("SHEQU_NOTIFY_RETRY_MAX_SECONDS", 6 * 3600, minimum=1)
# A claimed message whose worker died is claimed again after this many seconds; it must
# outlast one gateway call.
SHEQU_NOTIFY_LEASE_SECONDS = env_int(
    "SHEQU_NOTIFY_LEASE_SECONDS", 300, minimum=2 * SHEQU_SMS_GATEWAY_TIMEOUT
)
SHEQU_NOTIFY_BATCH = env_int("SHEQU_NOTIFY_BATCH", 20, minimum=1, maximum=1000)
# Simulated gateway latency of the log backend (demos and the crash test), milliseconds.
SHEQU_NOTIFY_LOG_DELAY_MS = env_int("SHEQU_NOTIFY_LOG_DELAY_MS", 0, minimum=0, maximum=10000)
# Staff are reminded of a case this many hours before it falls due (escalation follows
# as soon as it is overdue).
SHEQU_DUE_REMINDER_HOURS = env_int("SHEQU_DUE_REMINDER_HOURS", 24, minimum=1, maximum=24 * 14)
# Where residents reach the site (https://shequ.example.cn): the completion message then
# carries a signed link to rate the case online. Empty: no rating link is sent.
SHEQU_PUBLIC_URL = env_str("SHEQU_PUBLIC_URL", "")
if SHEQU_PUBLIC_URL and not SHEQU_PUBLIC_URL.startswith(("https://", "http://")):
    raise EnvError(f"SHEQU_PUBLIC_URL={SHEQU_PUBLIC_URL!r}: expected http:// or https://")
# Rectification (整改) of a bad rating is due this many working days after the rating.
SHEQU_RECTIFICATION_DAYS = env_int("SHEQU_RECTIFICATION_DAYS", 5, minimum=1, maximum=60)
# A case outside the quarter-hour rule (online, API) is responded to in time when it is
# accepted, returned, refused or completed within this many hours.
SHEQU_RESPONSE_HOURS = env_int("SHEQU_RESPONSE_HOURS", 24, minimum=1, maximum=24 * 14)
# Weights of the three rates in the composite score: response, resolution, satisfaction.
SHEQU_RATE_WEIGHTS = tuple(
    int(w) for w in env_str("SHEQU_RATE_WEIGHTS", "30,35,35").replace(" ", "").split(",")
)
if len(SHEQU_RATE_WEIGHTS) != 3 or min(SHEQU_RATE_WEIGHTS) < 0 or sum(SHEQU_RATE_WEIGHTS) <= 0:
    raise EnvError(
        f"SHEQU_RATE_WEIGHTS={SHEQU_RATE_WEIGHTS!r}: expected three weights, e.g. 30,35,35"
    )
# --- end services and notifications ---------------------------------------------------

# --- Open APIs (issue 7): tokens, Open311, abuse limits ------------------------------------
# The cache holds the rate-limit counters. The default (per-process memory) is right for
# one web process; with several, point SHEQU_CACHE_URL at a shared Redis
# (redis://host:6379/1, Django's built-in backend, needs the `redis` package) or use
# "db" for the database cache table (`manage.py createcachetable`).
SHEQU_CACHE_URL = env_str("SHEQU_CACHE_URL", "")
if SHEQU_CACHE_URL.startswith(("redis://", "rediss://")):
    import importlib.util

    if importlib.util.find_spec("redis") is None:
        raise EnvError("SHEQU_CACHE_URL=redis://…: install the `redis` package first")
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": SHEQU_CACHE_URL,
        }
    }
elif SHEQU_CACHE_URL == "db":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "shequ_cache",
        }
    }
elif SHEQU_CACHE_URL in {"", "locmem"}:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise EnvError(f"SHEQU_CACHE_URL={SHEQU_CACHE_URL!r}: expected redis://…, db or locmem")
# Requests per minute: per personal token on /api/v1/, per partner key on Open311 POSTs,
# per client address on every Open311 call (0 switches a limit off).
SHEQU_API_TOKEN_RATE_PER_MINUTE = env_int("SHEQU_API_TOKEN_RATE_PER_MINUTE", 120, minimum=0)
# How long a web process remembers a token it has just seen, with its user and posts
# (orgs/tokencache.py): a token revoked or a post ended elsewhere takes effect in the
# other processes within this many seconds. 0: every request reads them (two queries).
SHEQU_API_TOKEN_CACHE_SECONDS = env_int("SHEQU_API_TOKEN_CACHE_SECONDS", 5, minimum=0, maximum=300)
SHEQU_OPEN311_KEY_RATE_PER_MINUTE = env_int("SHEQU_OPEN311_KEY_RATE_PER_MINUTE", 60, minimum=0)
SHEQU_OPEN311_ADDRESS_RATE_PER_MINUTE = env_int(
    "SHEQU_OPEN311_ADDRESS_RATE_PER_MINUTE", 300, minimum=0
)
# Request bodies: every form and the JSON API (Django's limit, default 2.5 MiB lowered
# to 1 MiB; file uploads are not counted), and Open311 POSTs (a 4,000-character
# description and its attributes fit easily).
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SHEQU_MAX_REQUEST_BYTES", 1024 * 1024, minimum=64 * 1024)
SHEQU_OPEN311_MAX_BODY_BYTES = env_int("SHEQU_OPEN311_MAX_BODY_BYTES", 32 * 1024, minimum=4 * 1024)
# Open311 service discovery: who partners contact, and how they get a key.
SHEQU_OPEN311_CONTACT = env_str(
    "SHEQU_OPEN311_CONTACT", "恩施州民政局 社区服务平台 (Enshi prefecture civil affairs bureau)"
)
SHEQU_OPEN311_KEY_SERVICE = env_str(
    "SHEQU_OPEN311_KEY_SERVICE",
    "Partner systems get an api_key from the platform administrators (see docs/api.md).",
)
SHEQU_OPEN311_CHANGESET = env_str("SHEQU_OPEN311_CHANGESET", "2026-11-27 00:00")
# --- end open APIs --------------------------------------------------------------------------

# --- Open311 app (issue 7) ----------------------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.insights"), "shequ.open311")
# --- end Open311 app -------------------------------------------------------------------------

# --- agency and village points (issue 6) ----------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.insights"), "shequ.agency")
# The help categories (people.Category codes) whose members may authorise full agency.
SHEQU_AGENCY_CATEGORIES = [
    c.strip()
    for c in env_str("SHEQU_AGENCY_CATEGORIES", "extreme_hardship,disabled,elderly_alone").split(
        ","
    )
    if c.strip()
]
# Scans of signed forms and materials: the largest size accepted, in bytes.
SHEQU_AGENCY_MAX_SCAN_BYTES = env_int("SHEQU_AGENCY_MAX_SCAN_BYTES", 5 * 1024 * 1024, minimum=1024)
# --- end agency --------------------------------------------------------------------------------

# --- jobs and group services (issue 17) ----------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.insights"), "shequ.jobs")
# Vacancy reports: each month's vacancies are reported by this day of the month before
# (0 = its last day: the month-end report seen in practice, unconfirmed); the worker
# reminds units that have not reported this many days before it, once a month.
SHEQU_JOBS_REPORT_DAY = env_int("SHEQU_JOBS_REPORT_DAY", 0, minimum=0)
SHEQU_JOBS_REMIND_DAYS_BEFORE = env_int("SHEQU_JOBS_REMIND_DAYS_BEFORE", 5, minimum=0)
# Working age for the zero-employment household (from 16 to the retirement age; the 2025
# reform raises retirement gradually, so the ages are settings, not truths).
SHEQU_JOBS_WORKING_AGE_FROM = env_int("SHEQU_JOBS_WORKING_AGE_FROM", 16, minimum=14)
SHEQU_JOBS_RETIRE_AGE_MALE = env_int("SHEQU_JOBS_RETIRE_AGE_MALE", 60, minimum=40)
SHEQU_JOBS_RETIRE_AGE_FEMALE = env_int("SHEQU_JOBS_RETIRE_AGE_FEMALE", 55, minimum=40)
# Training: attendance share (percent) needed to complete; months after the class in
# which a job counts as "employed after training".
SHEQU_JOBS_COMPLETION_ATTENDANCE = env_int("SHEQU_JOBS_COMPLETION_ATTENDANCE", 80, minimum=0)
SHEQU_JOBS_FOLLOW_UP_MONTHS = env_int("SHEQU_JOBS_FOLLOW_UP_MONTHS", 6, minimum=1)
# The services item a child's school-enrolment help is filed as (居住情况证明).
SHEQU_JOBS_SCHOOL_ITEM = env_str("SHEQU_JOBS_SCHOOL_ITEM", "SQ-003")
# How long a unit's reporting link stays valid, in days.
SHEQU_JOBS_UNIT_LINK_DAYS = env_int("SHEQU_JOBS_UNIT_LINK_DAYS", 45, minimum=1)
# --- end jobs ------------------------------------------------------------------------------
# --- community building (issue 16) ---------------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.insights"), "shequ.building")
# Photos and documents of facility checks, projects and pledges: the largest size accepted.
SHEQU_BUILDING_MAX_FILE_BYTES = env_int(
    "SHEQU_BUILDING_MAX_FILE_BYTES", 5 * 1024 * 1024, minimum=1024
)
# --- end community building ------------------------------------------------------------------
# --- mediation (issue 15) ---------------------------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.insights"), "shequ.mediation")
# The time to conclude a mediation, in working days from acceptance (generally 30 days:
# 《人民调解工作若干规定》第三十三条 and local rules), and the most it may be extended by.
SHEQU_MEDIATION_LIMIT_DAYS = env_int("SHEQU_MEDIATION_LIMIT_DAYS", 30, minimum=1)
SHEQU_MEDIATION_MAX_EXTENSION_DAYS = env_int("SHEQU_MEDIATION_MAX_EXTENSION_DAYS", 15, minimum=0)
# Mediators are reminded this many days before a mediation's limit and before the last day
# to apply for judicial confirmation.
SHEQU_MEDIATION_REMIND_DAYS = env_int("SHEQU_MEDIATION_REMIND_DAYS", 3, minimum=0)
SHEQU_MEDIATION_CONFIRMATION_REMIND_DAYS = env_int(
    "SHEQU_MEDIATION_CONFIRMATION_REMIND_DAYS", 7, minimum=0
)
# A legal advisor's service plan (一村一法律顾问): how many of each kind per period
# ("month", "quarter", "year"), as kind:count:period items.
SHEQU_MEDIATION_ADVISOR_PLAN = env_list(
    "SHEQU_MEDIATION_ADVISOR_PLAN", ["phone:1:month", "on_site:1:quarter", "lecture:1:year"]
)
# --- end mediation ----------------------------------------------------------------------------
# --- resident self-governance (issue 13) -----------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.insights"), "shequ.governance")
# --- end governance ----------------------------------------------------------------------------
# --- residents' portal (issue 19) -----------------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.insights"), "shequ.portal")
# One-time sign-in codes: life, the pause between two codes to one number, how many codes a
# number and an address may ask for in an hour, and the wrong tries that lock a number.
SHEQU_PORTAL_CODE_SECONDS = env_int("SHEQU_PORTAL_CODE_SECONDS", 300, minimum=60, maximum=900)
SHEQU_PORTAL_CODE_GAP_SECONDS = env_int("SHEQU_PORTAL_CODE_GAP_SECONDS", 60, minimum=0)
SHEQU_PORTAL_CODES_PER_NUMBER = env_int("SHEQU_PORTAL_CODES_PER_NUMBER", 5, minimum=1)
SHEQU_PORTAL_CODES_PER_ADDRESS = env_int("SHEQU_PORTAL_CODES_PER_ADDRESS", 30, minimum=1)
SHEQU_PORTAL_CODE_TRIES = env_int("SHEQU_PORTAL_CODE_TRIES", 5, minimum=1)
SHEQU_PORTAL_LOCK_MINUTES = env_int("SHEQU_PORTAL_LOCK_MINUTES", 30, minimum=1)
# Online requests: per account a day, per address an hour; photos per request and size.
SHEQU_PORTAL_REQUESTS_PER_DAY = env_int("SHEQU_PORTAL_REQUESTS_PER_DAY", 10, minimum=1)
SHEQU_PORTAL_REQUESTS_PER_ADDRESS = env_int("SHEQU_PORTAL_REQUESTS_PER_ADDRESS", 30, minimum=1)
SHEQU_PORTAL_MAX_PHOTOS = env_int("SHEQU_PORTAL_MAX_PHOTOS", 5, minimum=0, maximum=20)
SHEQU_PORTAL_MAX_PHOTO_BYTES = env_int(
    "SHEQU_PORTAL_MAX_PHOTO_BYTES", 5 * 1024 * 1024, minimum=64 * 1024
)
# With the log backend no text message leaves the machine, so the demo shows the code on
# the page (marked as the demo's); never with a real SMS gateway.
SHEQU_PORTAL_DEMO_CODES = (
    env_bool("SHEQU_PORTAL_DEMO_CODES", True) and SHEQU_NOTIFY_BACKEND == "log"
)
# The privacy notice (PIPL art. 17): its version (a new one asks every account again), who
# answers questions, and how long the portal keeps accounts and codes.
SHEQU_PORTAL_PRIVACY_VERSION = env_str("SHEQU_PORTAL_PRIVACY_VERSION", "2026-12")
SHEQU_PORTAL_PRIVACY_CONTACT = env_str(
    "SHEQU_PORTAL_PRIVACY_CONTACT", "恩施州民政局基层政权建设和社区治理科 0718-8222113"
)
SHEQU_PORTAL_KEEP_YEARS = env_int("SHEQU_PORTAL_KEEP_YEARS", 3, minimum=1)
# --- end residents' portal -------------------------------------------------------------------
# --- security and personal data (issue 11) -------------------------------------------------
# Exact lookups of a resident by ID number or phone, per user and minute (0: no limit).
SHEQU_LOOKUP_RATE_PER_MINUTE = env_int("SHEQU_LOOKUP_RATE_PER_MINUTE", 30, minimum=0)
# ID number lookups at a hall kiosk (public), per device and minute.
SHEQU_KIOSK_LOOKUP_RATE_PER_MINUTE = env_int("SHEQU_KIOSK_LOOKUP_RATE_PER_MINUTE", 6, minimum=0)
# Rate-limit counters must be shared by every web process: the database cache by default
# (`manage.py createcachetable`, which prepare_demo and the test runner do), Redis when
# SHEQU_CACHE_URL says so, per-process memory only when asked for ("locmem").
if not SHEQU_CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "shequ_cache",
        }
    }
# Bodies larger than this are refused from their Content-Length before they are read: a
# scan (SHEQU_AGENCY_MAX_SCAN_BYTES) plus the form around it; the resident import takes
# spreadsheets up to 50 MB. Forms and the JSON API keep DATA_UPLOAD_MAX_MEMORY_SIZE.
SHEQU_MAX_BODY_BYTES = env_int(
    "SHEQU_MAX_BODY_BYTES",
    max(DATA_UPLOAD_MAX_MEMORY_SIZE, SHEQU_AGENCY_MAX_SCAN_BYTES + 256 * 1024),
    minimum=64 * 1024,
)
SHEQU_BODY_LIMITS = {"/people/import/": 51 * 1024 * 1024}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.csrf.CsrfViewMiddleware"),
    "shequ.orgs.middleware.BodyGuardMiddleware",
)
# The API docs' Swagger UI is served from django-ninja's own static files (vendored with
# the package, like Bootstrap's), not from a CDN the CSP blocks and these networks may not
# reach: ninja renders its local template when it is an installed app.
INSTALLED_APPS.append("ninja")
# --- end security and personal data ---------------------------------------------------------
# --- insights (issue 18) --------------------------------------------------------------------
# The first year the figure rollups and dashboards cover.
SHEQU_INSIGHTS_FIRST_YEAR = env_int("SHEQU_INSIGHTS_FIRST_YEAR", 2013, minimum=2000)
# A read replica for the dashboards' rollup reads (falls back to the primary when unset).
if env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = dj_database_url.parse(
        env_str("DATABASE_REPLICA_URL", ""), conn_max_age=60, conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = [
    *globals().get("DATABASE_ROUTERS", []),
    "shequ.insights.routers.InsightsReplicaRouter",
]
# --- end insights -----------------------------------------------------------------------------
# --- workbench (issue 12) ---------------------------------------------------------------------
INSTALLED_APPS.insert(INSTALLED_APPS.index("shequ.demo"), "shequ.workbench")
# The three rates rank a unit with fewer cases in the month than this below the units with
# real volume (a unit with 2 cases, both on time, is not the best of the county).
SHEQU_RATES_MIN_CASES = env_int("SHEQU_RATES_MIN_CASES", 10, minimum=0)
# --- end workbench ----------------------------------------------------------------------------
