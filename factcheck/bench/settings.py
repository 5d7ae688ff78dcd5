"""Production-like settings for load tests, plus a baseline page to compare against.

The only settings that install the bench app, and with it the benchmark, generate_corpus
and build_seed_fixture commands: production (factcheck.settings) ships none of them. Run the
commands with --settings=factcheck.bench.settings; gunicorn gets the same module.
"""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-key-never-used-in-production")

from factcheck.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "factcheck.bench"]  # noqa: F405
DEBUG = False
ROOT_URLCONF = "factcheck.bench.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
# Measure pages, not static files: no collectstatic step, and cookies usable over http.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = None
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The load test measures the API's endpoints, not its throttle.
API_ANON_RATE = None
