"""The API's documentation page in Chromium: bundled assets, the site's CSP, no violation."""

import pytest

from factcheck.tests.browser import PolicyWatch, artifact_dir, chromium_page, require_chromium
from factcheck.tests.reader_data import build_reader_corpus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def in_chromium(monkeypatch, settings):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.API_ANON_RATE = None
    require_chromium()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_documentation_page_works_offline_under_the_csp(live_server, in_chromium, width):
    build_reader_corpus(claims=1, articles=1, hidden=False)
    outside = []
    with chromium_page(width=width) as page:
        watch = PolicyWatch(page)
        # Everything the page needs is on this server: any other address is a failure.
        page.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(live_server.url)
                else (outside.append(route.request.url), route.abort())
            ),
        )
        response = page.goto(live_server.url + "/api/v1/docs/")
        assert response.status == 200
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector(".opblock-summary-path", timeout=30_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert "/api/v1/claims/" in paths
        # Trying an operation calls the API from the page, as a reader of the docs would.
        page.locator(".opblock-summary", has_text="/api/v1/claims/").first.click()
        page.get_by_role("button", name="Try it out").click()
        page.get_by_role("button", name="Execute").click()
        answered = ".live-responses-table tbody .response-col_status"
        page.wait_for_selector(answered, timeout=30_000)
        status = page.locator(answered).first.inner_text()
        assert status.strip() == "200"
        page.screenshot(path=artifact_dir("api") / f"docs-{width}.png", full_page=False)
        assert watch.violations() == []
    assert outside == []
