"""The defences of a public site: hostile input, logins, headers, deploy settings."""

import csv
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from factcheck.tables import spreadsheet_safe
from factcheck.tests.factories import ClaimFactory

# --- CSV export ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell",
    [
        "=1+1",
        '  =HYPERLINK("http://x")',
        "\n+1",
        "\r\n-2",
        "\u00a0@SUM(A1)",
        "\u200b=1",
        "\ufeff=1",
        "\u2060 \u00a0\u200d+cmd",
        "\t=1",
        "\u3000=1",
    ],
)
def test_a_formula_behind_invisible_characters_is_neutralised(cell):
    assert spreadsheet_safe(cell) == "'" + cell


@pytest.mark.django_db
def test_export_neutralises_a_formula_behind_a_non_breaking_space(client):
    ClaimFactory(statement="\u00a0\u200b=HYPERLINK(1) claim")
    response = client.get(reverse("factcheck:claim_list"), {"_export": "csv"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["Statement"] == "'\u00a0\u200b=HYPERLINK(1) claim"


@pytest.mark.parametrize("cell", ["Plain text", " a = b", "1932", "", "\u200b", "'=quoted"])
def test_text_that_is_no_formula_is_left_alone(cell):
    assert spreadsheet_safe(cell) == cell


# --- Login --------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_with_a_foreign_next_lands_on_the_admin_index(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    response = client.post(
        reverse("admin:login") + "?next=https://evil.example/",
        {"username": "editor", "password": "a-long-passphrase", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


# --- Deploy settings ----------------------------------------------------------------

PRODUCTION_ENVIRONMENT = {
    "SECRET_KEY": "production-secret-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG",
    "DEBUG": "0",
    "HTTPS": "1",
    "HSTS_INCLUDE_SUBDOMAINS": "1",
    "HSTS_PRELOAD": "1",
}


def deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, **PRODUCTION_ENVIRONMENT, **overrides}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_recommended_production_settings_pass_the_deploy_check_without_a_warning():
    result = deploy_check()
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "WARNING" not in report.upper(), report
    assert "no issues" in report


def test_hsts_subdomains_and_preload_are_opt_in():
    result = deploy_check(HSTS_INCLUDE_SUBDOMAINS="0", HSTS_PRELOAD="0")
    report = result.stdout + result.stderr
    assert result.returncode != 0
    assert "security.W005" in report and "security.W021" in report
