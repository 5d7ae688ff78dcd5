"""Reader pages in a real browser (Chromium) and through the Nu HTML Checker.

These need chromium, java and the npm packages in node_modules (see README); they are
marked `browser`. Screenshots and the checked HTML are left in artifacts/.
"""

import json
import re
import subprocess

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from factcheck.models import Appearance, Article, Claim, Outlet
from factcheck.tests.browser import (
    AXE_SCRIPT,
    VNU_JAR,
    PolicyWatch,
    artifact_dir,
    chromium_page,
    require,
    require_chromium,
    require_java_and_vnu,
)
from factcheck.tests.reader_data import publish

pytestmark = pytest.mark.browser

# Italian word found in one seed article only; PostgreSQL stems it, SQLite matches it.
ITALIAN_WORD = "delocalizza"


def reader_pages() -> dict[str, str]:
    """One address per page type over the seed corpus (loaded by the caller)."""
    quoted = Appearance.objects.published().order_by("article_id").first().article
    claim = Claim.objects.published().order_by("-appearance_count", "pk").first()
    return {
        "home": reverse("factcheck:home"),
        "claim_list": reverse("factcheck:claim_list") + "?sort=-agreement",
        "claim_list_filtered": reverse("factcheck:claim_list") + "?has_contradictions=true",
        "claim_detail": claim.get_absolute_url(),
        # The pictures: three retellings under one origin; a timeline with a correction.
        "claim_one_origin": reverse(
            "factcheck:claim_detail", args=["alibaba-bytedance-train-ai-in-southeast-asia"]
        ),
        "claim_corrected": Claim.objects.published()
        .filter(corrections__isnull=False)
        .order_by("pk")
        .first()
        .get_absolute_url(),
        "article_detail": quoted.get_absolute_url(),
        "upstream_article": Article.objects.filter(is_archived=False).first().get_absolute_url(),
        "outlet_detail": Outlet.objects.order_by("pk").first().get_absolute_url(),
        "contradiction_list": reverse("factcheck:contradiction_list"),
        "search": reverse("factcheck:search") + f"?q={ITALIAN_WORD}",
        "corrections_log": reverse("factcheck:corrections_log"),
        "methodology": reverse("factcheck:methodology"),
        "about_page": reverse("factcheck:about_page", args=["corrections-policy"]),
        "not_found": "/claims/no-such-claim/",
    }


def add_retracted_claim() -> str:
    from factcheck import workflow
    from factcheck.tests.factories import ClaimFactory

    claim = publish(ClaimFactory(status="draft", statement="A claim withdrawn after review"))
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Source withdrawn.")
    return claim.get_absolute_url()


@pytest.fixture
def seeded(db):
    call_command("loaddata", "seed_corpus", verbosity=0)


# --- Nu HTML Checker -----------------------------------------------------------------


def test_every_page_type_is_valid_html(client, seeded):
    require_java_and_vnu()
    pages = {**reader_pages(), "claim_retracted": add_retracted_claim()}
    folder = artifact_dir("html")
    files = []
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "not_found" else 200), name
        path = folder / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))

    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = [
        f"{message.get('url', '').rsplit('/', 1)[-1]}:{message.get('lastLine')}: "
        f"{message.get('message')}"
        for message in report["messages"]
        if message.get("type") in ("error", "non-document-error")
        or message.get("subType") == "fatal"
    ]
    assert not errors, "\n".join(errors)
    assert run.returncode == 0


# --- In Chromium ---------------------------------------------------------------------


@pytest.fixture
def browser_env(monkeypatch):
    # Playwright's sync API runs an event loop in this thread. The tests query the
    # database only before they open the browser: inside it, Django would see another
    # context and open a connection that outlives the test.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require_chromium()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_serious_accessibility_violations(live_server, browser_env):
    require(AXE_SCRIPT.is_file(), str(AXE_SCRIPT))
    call_command("loaddata", "seed_corpus", verbosity=0)
    pages = {**reader_pages(), "claim_retracted": add_retracted_claim()}
    found = []
    # axe-core is injected as an inline script, which the site's policy rightly refuses.
    with chromium_page(bypass_csp=True) as page:
        for name, url in pages.items():
            page.goto(live_server.url + url)
            page.add_script_tag(path=str(AXE_SCRIPT))
            result = page.evaluate("async () => await axe.run(document)")
            for violation in result["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    targets = [node["target"] for node in violation["nodes"]][:3]
                    found.append(f"{name}: {violation['id']} ({violation['impact']}) {targets}")
    assert not found, "\n".join(found)


def visible_in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.height > 0 && box.bottom > 0 && box.top < window.innerHeight;
        }""",
        selector,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reader_journey(live_server, browser_env):
    call_command("loaddata", "seed_corpus", verbosity=0)
    by_agreement = Claim.objects.published().order_by(
        F("agreement_score").asc(nulls_last=True), "pk"
    )
    lowest = by_agreement.first()
    best = (
        Claim.objects.published()
        .order_by(F("agreement_score").desc(nulls_last=True), "-pk")
        .first()
    )
    expected = Article.objects.get(text__contains=ITALIAN_WORD)
    shots = artifact_dir("screenshots")

    with chromium_page() as page:
        page.goto(live_server.url + "/")
        assert page.locator("h1").first.is_visible()
        page.screenshot(path=str(shots / "1-home.png"), full_page=True)

        page.get_by_role("navigation", name="Main").get_by_role("link", name="Claims").click()
        page.wait_for_url(re.compile(r"/claims/$"))
        page.get_by_role("link", name="Agreement (sort)").click()
        page.wait_for_url(re.compile(r"sort=agreement"))
        header = page.locator("th[aria-sort]")
        assert header.get_attribute("aria-sort") == "ascending"
        assert "Agreement" in header.inner_text()
        first_row = page.locator("table.claims tbody tr").first.locator("a").first
        assert first_row.inner_text() == lowest.statement

        # Again for the best agreed first: that claim has quotes to follow.
        page.get_by_role("link", name="Agreement (sort)").click()
        page.wait_for_url(re.compile(r"sort=-agreement"))
        assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "descending"
        page.screenshot(path=str(shots / "2-claims-by-agreement.png"), full_page=True)
        page.locator("table.claims tbody tr").first.locator("a").first.click()
        page.wait_for_url(re.compile(rf"{best.get_absolute_url()}$"))
        assert page.locator("h1").inner_text() == best.statement
        page.screenshot(path=str(shots / "3-claim.png"), full_page=True)

        quote = page.get_by_role("link", name="See the quote in the article").first
        fragment = quote.get_attribute("href").split("#", 1)[1]
        assert re.fullmatch(r"appearance-\d+", fragment)
        quote.click()
        page.wait_for_url(re.compile(rf"/articles/\d+/#{fragment}$"))
        target = page.locator("mark:target")
        assert target.count() == 1
        assert target.get_attribute("id") == fragment
        assert target.is_visible()
        assert visible_in_viewport(page, "mark:target")
        page.screenshot(path=str(shots / "4-quote-in-article.png"))

        page.get_by_label("Search claims and articles").fill(ITALIAN_WORD)
        page.get_by_label("Search claims and articles").press("Enter")
        page.wait_for_url(re.compile(rf"/search/\?q={ITALIAN_WORD}"))
        result = page.locator(f'ol.results a[href="{expected.get_absolute_url()}"]')
        assert result.count() == 1
        assert page.locator("ol.results mark").first.is_visible()
        page.screenshot(path=str(shots / "5-search.png"), full_page=True)
        result.click()
        page.wait_for_url(re.compile(rf"{expected.get_absolute_url()}$"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_violates_the_content_security_policy(live_server, browser_env, django_user_model):
    call_command("loaddata", "seed_corpus", verbosity=0)
    pages = {**reader_pages(), "claim_retracted": add_retracted_claim()}
    django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-passphrase")
    claim = Claim.objects.published().first()
    appearance = Appearance.objects.first()
    admin_pages = {
        "admin_index": reverse("admin:index"),
        "admin_claims": reverse("admin:factcheck_claim_changelist"),
        "admin_claim": reverse("admin:factcheck_claim_change", args=[claim.pk]),
        "admin_appearance": reverse("admin:factcheck_appearance_change", args=[appearance.pk]),
        "admin_add_article": reverse("admin:factcheck_article_add"),
    }
    found = []
    with chromium_page() as page:
        watch = PolicyWatch(page)
        for name, url in pages.items():
            response = page.goto(live_server.url + url)
            assert "script-src 'self'" in response.headers["content-security-policy"]
            found += [f"{name}: {violation}" for violation in watch.violations()]

        page.goto(live_server.url + reverse("admin:login"))
        found += [f"admin_login: {violation}" for violation in watch.violations()]
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill("a-long-passphrase")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url(re.compile(r"/admin/$"))
        for name, url in admin_pages.items():
            page.goto(live_server.url + url)
            assert page.locator("#content").count() == 1, name
            if name != "admin_index":  # form pages: the admin's own scripts must have run
                assert page.evaluate("typeof django === 'object' && !!django.jQuery"), name
            found += [f"{name}: {violation}" for violation in watch.violations()]
    assert not found, "\n".join(found)
