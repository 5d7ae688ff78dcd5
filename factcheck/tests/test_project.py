"""The project as a newcomer gets it: system checks pass and the migrations match the models."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command


def test_system_checks_pass():
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_models_have_no_unmigrated_changes():
    # makemigrations --check exits non-zero when a model change lacks its migration.
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def deploy_check(**variables: str) -> str:
    environment = {**os.environ, "SECRET_KEY": "x" * 50, "DEBUG": "0", **variables}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    report = result.stdout + result.stderr
    # A crash before the checks run would also leave the warnings below out of the report.
    assert result.returncode == 0, report
    assert "System check identified" in report
    return report


def test_https_setting_turns_on_redirect_and_hsts():
    # Without the setting the same check warns, so the absences below are the setting's doing.
    plain = deploy_check(HTTPS="0")
    assert "security.W004" in plain and "security.W008" in plain

    report = deploy_check(HTTPS="1")
    assert "security.W004" not in report  # HSTS is set
    assert "security.W008" not in report  # plain HTTP is redirected
    assert "security.W012" not in report and "security.W016" not in report  # secure cookies


def run_without_secret(*arguments: str) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE")
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_server_refuses_to_start_without_a_secret_key():
    started = run_without_secret("-c", "import factcheck.wsgi")
    assert started.returncode != 0
    assert "Set SECRET_KEY in the environment" in started.stderr


def test_management_checks_run_without_a_secret_key():
    assert run_without_secret("manage.py", "check").returncode == 0
