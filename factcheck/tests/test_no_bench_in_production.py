"""Production ships none of the bench tooling: factcheck.settings installs no bench app and
no production module imports factcheck.bench, directly or through another module.

The suite itself runs with the bench app installed (factcheck.tests.settings), so the check
runs in a fresh interpreter with production's settings, where nothing else was imported.
"""

import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

from factcheck.bench.management.commands.build_seed_fixture import SEEDS

BENCH_COMMANDS = {"benchmark", "generate_corpus", "build_seed_fixture"}

# Imports every production module (the package minus factcheck.bench and factcheck.tests,
# found without importing those two), resolves the URLconf and loads the admin, then says
# what ended up loaded.
PROBE = """
import importlib
import json
import pkgutil
import sys

import django
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.core.management import get_commands
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import Resolver404, get_resolver, resolve

django.setup()
admin.autodiscover()
get_resolver().url_patterns

import factcheck

SKIPPED = ("factcheck.bench", "factcheck.tests")
imported = []


def import_tree(path, prefix):
    for module in pkgutil.iter_modules(path, prefix):
        if module.name.startswith(SKIPPED):
            continue
        loaded = importlib.import_module(module.name)
        imported.append(module.name)
        if module.ispkg:
            import_tree(loaded.__path__, module.name + ".")


import_tree(factcheck.__path__, "factcheck.")

try:
    get_template("bench/baseline.html")
    baseline_template = True
except TemplateDoesNotExist:
    baseline_template = False
try:
    resolve("/bench/baseline/")
    baseline_url = True
except Resolver404:
    baseline_url = False

print(json.dumps({
    "settings": settings.SETTINGS_MODULE,
    "imported": imported,
    "bench_modules": sorted(name for name in sys.modules if name.startswith("factcheck.bench")),
    "installed_apps": list(settings.INSTALLED_APPS),
    "app_labels": [config.label for config in apps.get_app_configs()],
    "commands": sorted(get_commands()),
    "baseline_template": baseline_template,
    "baseline_url": baseline_url,
}))
"""


def run_python(*arguments: str, **environment: str) -> str:
    """Run a fresh interpreter in the project; return what it printed, once it succeeded."""
    run = subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def production_probe() -> dict:
    printed = run_python(
        "-c",
        PROBE,
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        # factcheck.wsgi refuses to load without a key; it is imported like every module.
        SECRET_KEY="probe-only-secret-key",
    )
    return json.loads(printed)


def test_production_installs_and_imports_nothing_of_the_bench():
    probe = production_probe()

    assert probe["settings"] == "factcheck.settings"
    # The walk really reached the production code, not an empty package.
    assert {"factcheck.urls", "factcheck.views", "factcheck.admin", "factcheck.wsgi"} <= set(
        probe["imported"]
    )
    assert "factcheck.management.commands.refresh_agreement" in probe["imported"]

    assert probe["bench_modules"] == []
    assert not [app for app in probe["installed_apps"] if "bench" in app]
    assert "bench" not in probe["app_labels"]
    assert "refresh_agreement" in probe["commands"]
    assert not BENCH_COMMANDS & set(probe["commands"])
    assert probe["baseline_template"] is False
    assert probe["baseline_url"] is False


def test_the_bench_settings_install_the_bench_app():
    # The counterpart: the settings the README's bench commands use do install it.
    printed = run_python(
        "manage.py", "help", "--commands", DJANGO_SETTINGS_MODULE="factcheck.bench.settings"
    )
    assert set(printed.split()) >= BENCH_COMMANDS


def test_the_readme_seed_build_command_runs_with_the_bench_app():
    # The builder moved out of production with the bench; the README's command must follow.
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    commands = re.findall(r"^.*manage\.py build_seed_fixture.*$", readme, flags=re.MULTILINE)
    assert len(commands) == 1, commands
    if not SEEDS.is_dir():
        if os.environ.get("REQUIRE_SEED_TEXTS"):
            pytest.fail(f"REQUIRE_SEED_TEXTS is set but there are no seed texts at {SEEDS}.")
        pytest.skip(f"No seed texts at {SEEDS}.")
    environment = {**os.environ}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    run = subprocess.run(
        ["bash", "-c", f"{commands[0]} --check"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "is up to date" in run.stdout
