"""The import benchmark's generated pages are realistic, and its command reports figures."""

import io
import json

import pytest
from django.core.management import call_command

from factcheck.bench.intake_pages import LAYOUTS, saved_pages
from factcheck.intake.extract import extract
from factcheck.models import Article, Outlet


def test_generated_pages_extract_to_their_story_without_the_furniture():
    pages = list(saved_pages(count=12, seed=3))
    assert {name.split("_")[1] for name, _ in pages} == set(LAYOUTS)
    assert len({data for _, data in pages}) == 12
    for name, data in pages:
        page = extract(data, filename=name)
        assert page.title and page.published and page.canonical_url and page.site_name, name
        assert page.language in ("it", "en")
        for furniture in ("cookie", "Sign in", "Share this post", "Commenti", "Related coverage"):
            assert furniture not in page.text, (name, furniture)
        assert len(page.text.split("\n\n")) >= 4


@pytest.mark.django_db
def test_benchmark_import_imports_the_pages_and_reports_files_per_second(tmp_path):
    out = io.StringIO()
    call_command(
        "benchmark_import", "--files", "6", "--output", str(tmp_path / "f.json"), stdout=out
    )
    figures = json.loads(out.getvalue())
    assert (figures["files"], figures["imported"], figures["error"]) == (6, 6, 0)
    assert figures["files_per_second"] > 0
    assert figures["with_outlet"] >= 1  # some outlets were registered beforehand
    assert json.loads((tmp_path / "f.json").read_text()) == figures
    assert Article.objects.count() == 6 and Outlet.objects.count() == 20
