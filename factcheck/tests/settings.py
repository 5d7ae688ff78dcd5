"""The test suite's settings: production's, plus the bench app, whose tests live here too.

Only the app is added, not the rest of factcheck.bench.settings, so every other test runs
against what production configures. test_no_bench_in_production.py checks in a fresh interpreter that
production itself installs and imports nothing of the bench.
"""

from factcheck.settings import *  # noqa: F403

# Added only when missing, so that production installing it by mistake reaches the test
# that forbids it instead of failing every test with a duplicate app label.
if "factcheck.bench" not in INSTALLED_APPS:  # noqa: F405
    INSTALLED_APPS = [*INSTALLED_APPS, "factcheck.bench"]  # noqa: F405

# A replica alias the router tests can send reads to: a mirror of the primary during the
# tests (Django points it at the test database), repointed at a real streaming replica by
# the tests that need one (test_replicas.py). Routing stays off until a test turns it on.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_REPLICAS = []
