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

# --- Hostile query strings -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/search/?q=%00",
        "/search/?q=bridge%00",
        "/claims/?q=%01",
        "/claims/?verdict=false&sort=%7F",
        "/contradictions/?page=1%00",
        "/?x%00=1",
        "/claims/?q=%C2%85",  # NEL, a C1 control character
    ],
)
def test_a_control_character_in_a_parameter_is_refused_with_a_readable_page(client, url):
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Bad request</h1>" in body
    assert "control character" in body
    assert "\x00" not in body


@pytest.mark.django_db
def test_the_refusal_names_the_parameter_escaped(client):
    response = client.get("/claims/", {"<b>evil</b>": "\x00"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "&lt;b&gt;evil&lt;/b&gt;" in body
    assert "<b>evil</b>" not in body
    assert "U+0000" in body


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["two\twords", "line\nbreak", "line\r\nbreak", "città’s"])
def test_tab_newline_and_unicode_are_accepted(client, value):
    assert client.get("/search/", {"q": value}).status_code == 200


@pytest.mark.django_db
def test_an_over_large_body_says_which_limit_it_exceeded(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        reverse("admin:login"),
        "username=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "<h1>Bad request</h1>" in body
    assert "limit of 1,000 bytes" in body


@pytest.mark.django_db
def test_too_many_fields_says_which_limit_it_exceeded(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.post(reverse("admin:login"), {f"field{n}": "x" for n in range(20)})
    assert response.status_code == 400
    assert "limit of 10 parameters or form fields" in response.content.decode()


@pytest.mark.django_db
def test_djangos_own_bad_requests_use_the_readable_page(client, settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "<h1>Bad request</h1>" in response.content.decode()


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


@pytest.mark.django_db
def test_too_many_query_parameters_say_which_limit_they_exceeded(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = client.get("/claims/?" + "&".join(f"p{n}=1" for n in range(20)))
    assert response.status_code == 400
    assert "limit of 10 parameters" in response.content.decode()


# --- Login lockout ------------------------------------------------------------------

PASSWORD = "a-long-passphrase"


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(client, username, password, address="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def signed_in(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_after_repeated_failures_even_the_right_password_is_refused(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "editor", "wrong").status_code == 200  # the form again
    assert log_in(client, "editor", "wrong").status_code == 429  # the last one allowed
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert "too many login attempts" in response.content.decode()
    assert not signed_in(client)


@pytest.mark.django_db
def test_a_lockout_binds_only_that_user_from_that_address(
    client, editor, settings, django_user_model
):
    django_user_model.objects.create_superuser("reviewer", "reviewer@example.org", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "editor", "wrong")
    assert log_in(client, "reviewer", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "editor", PASSWORD, address="198.51.100.9").status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_failures_below_the_limit_do_not_lock(client, editor, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "editor", "wrong")
    assert log_in(client, "editor", PASSWORD).status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_counts_the_address_the_proxy_saw(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    def via_proxy(password, client_address, spoofed=""):
        return client.post(
            reverse("admin:login"),
            {"username": "editor", "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{spoofed}{client_address}",
        )

    for number in range(settings.AXES_FAILURE_LIMIT):
        # A forged leftmost entry changes nothing: the proxy's own entry is counted.
        via_proxy("wrong", "203.0.113.7", spoofed=f"10.0.0.{number}, ")
    assert via_proxy(PASSWORD, "203.0.113.7", spoofed="10.9.9.9, ").status_code == 429
    assert via_proxy(PASSWORD, "198.51.100.9").status_code == 302


# --- Response headers ----------------------------------------------------------------


def policy(response) -> dict[str, list[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/claims/", "/search/?q=x", "/admin/login/", "/nowhere/"])
def test_every_answer_carries_a_strict_policy(client, url):
    for _ in range(2):  # the second from the page cache, where the page is cached
        response = client.get(url)
        directives = policy(response)
        assert directives["default-src"] == ["'none'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in response["Content-Security-Policy"]
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
