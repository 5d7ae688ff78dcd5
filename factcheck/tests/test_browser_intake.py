"""The Import articles page in Chromium, as an Editor uses it: upload, preview, import."""

from pathlib import Path

import pytest

from factcheck.models import Article, ImportItem, ImportStatus
from factcheck.tests.browser import (
    RECORD_CSP_VIOLATIONS,
    artifact_dir,
    chromium_page,
    require_chromium,
)
from factcheck.tests.test_browser_admin import sign_in, staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

FILES = Path(__file__).parent / "intake_files"


@pytest.fixture
def in_chromium(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require_chromium()


@pytest.mark.parametrize("width", [375, 1280])
def test_an_editor_imports_pages_from_the_article_list(live_server, in_chromium, width):
    staff("redattrice", "Editor")
    shots = artifact_dir("intake")
    with chromium_page(width=width) as page:
        page.add_init_script(RECORD_CSP_VIOLATIONS)
        sign_in(page, live_server, "redattrice")
        page.goto(live_server.url + "/admin/factcheck/article/")
        page.click("text=Import articles")
        page.set_input_files(
            "input[type=file]",
            [str(FILES / "newspaper_it.html"), str(FILES / "wire_en.html")],
        )
        page.click("input[value='Upload and preview']")
        page.wait_for_selector("text=Import 2 files")
        preview = page.content()
        assert "Porto di Genova, traffico container in calo del 12%" in preview
        assert "14 March 2025 (day precision)" in preview
        page.screenshot(path=str(shots / f"preview-{width}.png"), full_page=True)

        page.click("input[value='Import 2 files']")
        page.wait_for_selector("text=2 files queued for import.")
        page.screenshot(path=str(shots / f"imported-{width}.png"), full_page=True)
        assert page.evaluate("window.__cspViolations") == []

    assert Article.objects.count() == 2
    assert set(Article.objects.values_list("original__filename", flat=True)) == {
        "newspaper_it.html",
        "wire_en.html",
    }
    assert set(ImportItem.objects.values_list("status", flat=True)) == {ImportStatus.IMPORTED}
