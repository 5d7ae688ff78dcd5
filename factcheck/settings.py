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
HTTPS          "1" when the site is served only over HTTPS (behind a proxy that sets
               X-Forwarded-Proto): redirects plain HTTP and sends HSTS
HSTS_INCLUDE_SUBDOMAINS, HSTS_PRELOAD  "1" adds includeSubDomains / preload to HSTS
LOGIN_FAILURE_LIMIT, LOGIN_LOCKOUT_HOURS  admin login lockout (django-axes)
TRUSTED_PROXY_COUNT  reverse proxies of ours in front, for the client address
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
    "factcheck",
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
    "simple_history.middleware.HistoryRequestMiddleware",
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
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reader queries are short; PostgreSQL's JIT compiler, set off by the planner's high
    # estimates for the public-article check, cost more than the queries themselves.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

# Each worker keeps its own copy of rendered reader pages (see factcheck/page_cache.py).
# A write retires them all at once; the timeout only bounds memory use.
READER_PAGE_CACHE_SECONDS = int(os.environ.get("READER_PAGE_CACHE_SECONDS", "300"))
# Counted in pages, not bytes: 200 of the largest (0.75 MB) keep a worker under 250 MB.
READER_PAGE_CACHE_ENTRIES = int(os.environ.get("READER_PAGE_CACHE_ENTRIES", "200"))
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

LANGUAGE_CODE = "en"
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
