"""One settings module, driven by the environment.

DATABASE_URL   any dj-database-url URL; unset means the embedded SQLite file db.sqlite3
SECRET_KEY     required to serve unless DEBUG is on (see wsgi.py)
DEBUG          "1", "true" or "yes" turns it on; off by default
ALLOWED_HOSTS  comma-separated host names
SITE_NAME      the organisation readers see, also the author of ClaimReview markup
SITE_URL       the public address (no trailing slash): links in mail, feeds, sitemap, dumps
DATASET_LICENSE, DATASET_LICENSE_URL  the open-data dump's licence (default CC BY 4.0)
DATASET_ARTICLE_TEXT  "1" puts full article texts in the dump (off: the quotes only)
READER_PAGE_CACHE_SECONDS  how long a worker keeps a rendered reader page; 0 turns the cache off
READER_COUNT_CACHE_SECONDS  how long a count the pages show (home figures, page counts) is
               kept for the content it counted; 0 counts on every request
HTTPS          "1" when the site is served only over HTTPS (behind a proxy that sets
               X-Forwarded-Proto): redirects plain HTTP and sends HSTS
HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD  "1" adds includeSubDomains / preload to HSTS
LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_HOURS  admin login lockout (django-axes)
TRUSTED_PROXY_COUNT  reverse proxies of ours in front, for the client address
REDIS_URL      a shared cache for every worker and server, e.g. redis://127.0.0.1:6379/0
DATABASE_REPLICA_URLS  comma-separated read replicas for anonymous readers
TASKS_BACKEND  "immediate" (default: background jobs run at once, in the same process) or
               "database" (jobs wait in PostgreSQL for `manage.py db_worker` processes)
IMPORT_MAX_BYTES  largest file the importer takes, in bytes (default 5 MB)
CLAIM_MATCHING_BACKEND  "lexical" (default) or "lexical+use" (term overlap blended with
               sentence vectors, factcheck/matching/embedding.py)
"""

import os
from pathlib import Path

import dj_database_url
import dj_email_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_flag("DEBUG")

# Without DEBUG the key stays empty when unset: Django then refuses to sign anything, and
# wsgi.py refuses to start, while management commands that sign nothing (check, migrate,
# collectstatic) still run on a build machine that holds no secret.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "development-only-key-never-used-in-production"

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # The organisation's own pages (corrections policy, funding, ...; see transparency.py);
    # flatpages need the sites framework, which nothing else uses (see sitemaps.py).
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.sitemaps",
    "django_filters",
    "django_tables2",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "factcheck",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "factcheck.languages.ReaderLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "factcheck.routers.ReplicaRoutingMiddleware",
]

# --- Request defences ---------------------------------------------------------------
# Refuses, with a readable 400, query strings holding control characters and bodies over
# Django's limits; before the session and CSRF layers, so they never parse such a request.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "factcheck.middleware.RequestGuardMiddleware",
)

# --- Content Security Policy and Permissions Policy ------------------------------------
# Scripts, styles, images and fonts come only from this site (the reader pages use none
# but the stylesheet; the admin loads its own static JavaScript), and never inline: no
# 'unsafe-inline', no nonce. The claim page's JSON-LD is a data block
# (type="application/ld+json"), which browsers never run and CSP does not govern; a nonce
# would also be wrong under the page cache, which serves one copy of a page, nonce and
# all, to every reader. The browser tests check that no page, admin included, reports a
# violation.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
MIDDLEWARE.insert(
    MIDDLEWARE.index("csp.middleware.CSPMiddleware") + 1,
    "factcheck.middleware.PermissionsPolicyMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Nothing on the site uses these browser features; a page that tried would be refused.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "usb=(), xr-spatial-tracking=()"
)

# API clients get the guard's refusal in JSON (factcheck/api/middleware.py).
MIDDLEWARE.insert(
    MIDDLEWARE.index("factcheck.middleware.RequestGuardMiddleware"),
    "factcheck.api.middleware.ApiRequestGuardMiddleware",
)

ROOT_URLCONF = "factcheck.urls"

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
                "factcheck.context_processors.site",
            ],
        },
    },
]

SITE_NAME = os.environ.get("SITE_NAME", "Fact-check database")
CLAIM_MATCHING_BACKEND = os.environ.get("CLAIM_MATCHING_BACKEND", "lexical")
SITE_ID = 1
# The licence the open-data dump is published under (export_dataset writes it beside the
# data): a name and the address of its text.
DATASET_LICENSE = os.environ.get("DATASET_LICENSE", "CC BY 4.0")
DATASET_LICENSE_URL = os.environ.get(
    "DATASET_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"
)
# Article texts belong to their publishers: the dump carries them only when the
# organisation may redistribute them ("1"); the quoted passages are always in it.
DATASET_ARTICLE_TEXT = env_flag("DATASET_ARTICLE_TEXT")

WSGI_APPLICATION = "factcheck.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
# Streaming replicas of the primary, for anonymous readers (factcheck/routers.py). In the
# test suite each is a mirror of the primary; the replica tests point one at a real replica.
DATABASE_REPLICAS = []
for index, url in enumerate(
    url.strip() for url in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if url.strip()
):
    alias = f"replica_{index}"
    DATABASES[alias] = {
        **dj_database_url.parse(url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]),
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(alias)
DATABASE_ROUTERS = ["factcheck.routers.ReaderReplicaRouter"]
# How long the requests after a write keep reading the primary: longer than replicas lag.
REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "30"))
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql":
        # Reader queries are short; PostgreSQL's JIT compiler, set off by the planner's
        # high estimates for the public-article check, cost more than the queries themselves.
        database.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# Rendered reader pages (see factcheck/page_cache.py). With REDIS_URL every worker and
# server shares one cache, so a page rendered once serves them all; without it each worker
# keeps its own copy in memory. A write retires the pages it touches either way; the
# timeout only bounds memory use.
READER_PAGE_CACHE_SECONDS = int(os.environ.get("READER_PAGE_CACHE_SECONDS", "300"))
# A count is kept under the content generation it counted, so a write retires it; the
# timeout only bounds memory use. Independent of the page cache: with pages uncached, the
# counts that change only on writes are still not recounted per request.
READER_COUNT_CACHE_SECONDS = int(os.environ.get("READER_COUNT_CACHE_SECONDS", "3600"))
# Counted in pages, not bytes: 200 of the largest (0.75 MB) keep a worker under 250 MB.
READER_PAGE_CACHE_ENTRIES = int(os.environ.get("READER_PAGE_CACHE_ENTRIES", "200"))
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "factcheck"),
            "TIMEOUT": READER_PAGE_CACHE_SECONDS or None,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "reader-pages",
            "TIMEOUT": READER_PAGE_CACHE_SECONDS or None,
            "OPTIONS": {"MAX_ENTRIES": READER_PAGE_CACHE_ENTRIES},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The seed corpus lives at the top level, beside the app, so `loaddata seed_corpus` finds it.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Reader pages in English at their plain addresses and in Italian under /it/ (urls.py);
# the admin and the API stay English. Dates follow factcheck/formats/ per language.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["factcheck.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

# --- Logins ------------------------------------------------------------------------
# django-axes counts failed logins per user name and client address together: after
# LOGIN_FAILURE_LIMIT failures that pair is refused, even with the right password, for
# LOGIN_LOCKOUT_HOURS (staff unlock sooner in the admin's "Access attempts"); the same user
# from another address, or another user from this one, is not affected.
INSTALLED_APPS.append("axes")
# Last, as django-axes asks: it turns the lockout its backend signals into the response.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", "1"))
AXES_RESET_ON_SUCCESS = True
# Behind a reverse proxy every request comes from the proxy's address: the client's is
# the one the proxy appended to X-Forwarded-For (see factcheck/middleware.py).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "factcheck.middleware.client_address"

# Staff sign in only through the admin; a `next` pointing elsewhere (another host) is
# dropped by Django and the editor lands here rather than on a page that does not exist.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

DJANGO_TABLES2_TEMPLATE = "django_tables2/semantic.html"

if not DEBUG:
    SESSION_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_flag("SECURE_COOKIES", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

if env_flag("HTTPS"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000"))
    # Opt-in: both bind every subdomain (and, once on the browsers' preload list, for
    # months), so only the operator who knows every subdomain is on HTTPS may turn them on.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_flag("HSTS_PRELOAD")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Editorial mail, addresses and request size -----------------------------------------
# EMAIL_URL, e.g. smtp://user:password@mail.example.org:587/?tls=True; without it mail goes
# to the console (the server's log). Reviewers get an alert when new reporting conflicts
# with a published verdict.
EMAIL_CONFIG = dj_email_url.parse(os.environ.get("EMAIL_URL", "console://"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "factcheck@localhost")
# The public address of the site, for links in mail (no trailing slash).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Article texts are limited in the form (ARTICLE_TEXT_MAX_LENGTH characters, at most about
# 2.4 MB once form-encoded); the request limit sits well above that so an over-long paste
# reaches the form and gets a message that keeps the text, instead of a bare 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024
# A claim's admin page posts about ten fields per appearance inline: a claim quoted 500
# times must still save.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000

# --- Intake: imports and background jobs ------------------------------------------------
# Imports of many files run as background jobs (factcheck/intake/tasks.py). Embedded, they
# run at once in the process that queues them; a newsroom sets TASKS_BACKEND=database and
# runs `manage.py db_worker` on as many machines as it likes, sharing one PostgreSQL.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate").strip().lower()
TASKS = {
    "default": (
        {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        if TASKS_BACKEND == "database"
        else {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    )
}
# A saved news page is tens of kilobytes; the limit keeps a mistaken upload (a video, a
# dump) out of the database, where originals are stored.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
IMPORT_MAX_FILES = int(os.environ.get("IMPORT_MAX_FILES", "500"))

# --- Public API (factcheck/api/, README "API") --------------------------------------------
# Anonymous, read-only JSON. Requests per client address, counted in the default cache
# (per worker with the local-memory cache); "none" turns throttling off.
API_ANON_RATE = os.environ.get("API_ANON_RATE", "120/minute")
if API_ANON_RATE.strip().lower() in {"", "none", "off", "0"}:
    API_ANON_RATE = None
# Whether article detail answers carry the full text. Off by default: the texts are the
# outlets' copyright, quoted here under the quotation right; turn it on only where the
# licence of the corpus allows redistribution.
API_ARTICLE_TEXT = env_flag("API_ARTICLE_TEXT")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_THROTTLE_CLASSES": ["factcheck.api.throttling.ReaderRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "Read-only JSON of everything readers may see: published claims with "
    "their evidence, articles, outlets, contradictions and corrections.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No call to the online validator: the page works offline and under the CSP.
    "SWAGGER_UI_SETTINGS": {"validatorUrl": None, "deepLinking": True},
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "Verdict": "factcheck.models.claims.Verdict",
        "Stance": "factcheck.models.evidence.Stance",
        "AgreementLabel": "factcheck.models.claims.AgreementLabel",
        "ContradictionKind": "factcheck.models.contradictions.ContradictionKind",
        "ContradictionStatus": "factcheck.models.contradictions.ContradictionStatus",
        "OutletKind": "factcheck.models.sources.OutletKind",
        "DatePrecision": "factcheck.models.sources.DatePrecision",
        "PublicClaimStatus": [("published", "Published"), ("retracted", "Retracted")],
    },
}
