"""Deep pages of the claims index start from an anchor kept per content generation."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.models import Claim, ReviewStatus
from factcheck.selectors import anchors
from factcheck.tests.factories import ClaimFactory
from factcheck.tests.test_views import listed_statements

pytestmark = pytest.mark.django_db

SPACING = 10


@pytest.fixture
def close_anchors(monkeypatch, settings):
    """Anchors every ten rows, and the count cache on, so sixty claims reach past several."""
    monkeypatch.setattr(anchors, "ANCHOR_SPACING", SPACING)
    settings.READER_PAGE_CACHE_SECONDS = 0
    settings.READER_COUNT_CACHE_SECONDS = 300


def claims_with_ties_and_gaps(count: int = 60) -> None:
    """Scores and dates with ties and empty ones, so every tiebreak and empty tail counts."""
    day = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    Claim.objects.bulk_create(
        Claim(
            statement=f"Claim {n % 13:02} {n:02}",
            slug=f"claim-{n:02}",
            status=ReviewStatus.PUBLISHED,
            verdict=["true", "false", "mixed"][n % 3],
            agreement_score=None if n % 7 == 0 else (n % 5) / 5,
            reviewed_at=None if n % 4 == 0 else day + datetime.timedelta(days=n % 6),
            article_count=n % 4,
        )
        for n in range(count)
    )
    Claim.objects.create(statement="Draft", slug="draft", agreement_score=1)


def every_page(client, params: dict, per_page: int) -> list[str]:
    url = reverse("factcheck:claim_list")
    first = client.get(url, {**params, "per_page": per_page})
    listed = listed_statements(first)
    for page in range(2, first.context["table"].paginator.num_pages + 1):
        listed += listed_statements(client.get(url, {**params, "page": page, "per_page": per_page}))
    return listed


SORTS = [
    "-agreement",
    "agreement",
    "statement",
    "-statement",
    "verdict",
    "-reviewed_at",
    "reviewed_at",
    "article_count",
    "-open_contradictions",  # an annotation: read with OFFSET, as before
]


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("per_page", [5, 7])  # 7: pages that straddle two anchors
def test_anchored_pages_hold_the_rows_offset_pages_hold(
    client, close_anchors, monkeypatch, sort, per_page
):
    claims_with_ties_and_gaps()
    anchored = every_page(client, {"sort": sort}, per_page)
    monkeypatch.setattr(anchors, "ANCHOR_SPACING", 10_000)  # every page by OFFSET alone
    offset = every_page(client, {"sort": sort}, per_page)
    assert len(offset) == 60
    assert anchored == offset


def ids_query(client, url: str, params: dict) -> str:
    with CaptureQueriesContext(connection) as ran:
        assert client.get(url, params).status_code == 200
    (ids,) = [
        query["sql"]
        for query in ran.captured_queries
        if query["sql"].startswith('SELECT "factcheck_claim"."id" AS "pk" FROM')
        and "ORDER BY" in query["sql"]
    ]
    return ids


def test_a_deep_page_is_read_from_its_anchor_not_from_the_first_row(client, close_anchors):
    claims_with_ties_and_gaps()
    url = reverse("factcheck:claim_list")
    ids = ids_query(client, url, {"sort": "-agreement", "page": 5, "per_page": 5})
    # Rows 20-24: the anchor at row 20 starts the read, with nothing to skip.
    assert not re.search(r"OFFSET [1-9]", ids)
    assert re.search(r"\(\(.*agreement_score.*, .*id.*\) <= \(", ids)
    first = ids_query(client, url, {"sort": "-agreement", "page": 1, "per_page": 5})
    assert "<= (" not in first


def test_a_committed_write_moves_the_anchored_pages_at_once(client, close_anchors, committed):
    claims_with_ties_and_gaps()
    url = reverse("factcheck:claim_list")
    params = {"sort": "-agreement", "page": 5, "per_page": 5}
    before = listed_statements(client.get(url, params))
    with committed():
        ClaimFactory(statement="Top of the list", agreement_score=1.0)
    after = listed_statements(client.get(url, params))
    # One claim more ahead of every row: the page shows the row before its former first.
    assert after[1:] == before[:-1]
    assert after[0] != before[0]
