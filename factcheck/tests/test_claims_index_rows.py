"""The claims index writes its rows and its filters' selects itself; the markup must be
what django-tables2's rows and Django's Select write."""

import re
from datetime import UTC, datetime
from unittest import mock

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from factcheck.filters import WrittenSelect
from factcheck.models import Claim, ReviewStatus, Verdict
from factcheck.templatetags import claims_index
from factcheck.tests.factories import ClaimFactory, ContradictionFactory

pytestmark = pytest.mark.django_db


def markup(response) -> str:
    """The page, with line breaks between tags (and an empty attribute list) ignored: the
    generic template writes `<td >` and a line per row and option, Python does not. A
    space between tags on one line is text a reader sees, so it stays."""
    content = response.content.decode()
    return re.sub(r"<(\w+) >", r"<\1>", re.sub(r">\s*\n\s*<", "><", content))


@pytest.fixture
def index_claims():
    """Claims whose cells take every path: markup in the text, an Italian statement, no
    score and no review date, every verdict, contradictions, counts, enough for two pages."""
    ClaimFactory(
        statement='Nvidia <sells> chips & "more"',
        statement_it="Nvidia <vende> chip",
        verdict=Verdict.FALSE,
    )
    unscored = ClaimFactory(statement="Nobody takes a position on this")
    Claim.objects.filter(pk=unscored.pk).update(agreement_score=None, reviewed_at=None)
    contested = ClaimFactory(statement="Exports fell by a third")
    ContradictionFactory(claim_a=contested)
    verdicts = [verdict for verdict in Verdict.values if verdict != Verdict.UNRATED]
    for n in range(30):
        ClaimFactory(statement=f"Claim {n:02} about chips", verdict=verdicts[n % len(verdicts)])
    Claim.objects.filter(statement__startswith="Claim 0").update(
        agreement_score=-0.25,
        agreement_label="refuted",
        article_count=1234,
        origin_count=7,
        reviewed_at=datetime(2025, 3, 31, 23, 30, tzinfo=UTC),
    )
    ClaimFactory(statement="Still a draft", status=ReviewStatus.DRAFT)


QUERIES = [
    {},
    {"sort": "-agreement"},
    {"sort": "reviewed_at", "page": "2"},
    {"sort": "-open_contradictions"},
    {"verdict": "false", "sort": "statement"},
    {"q": "chips", "has_contradictions": "false", "page": "2", "other": "<kept>"},
    {"q": "nothing matches this"},
]


def index_url(language: str = "en") -> str:
    # Explicitly: a request leaves its language active in the test's thread.
    with translation.override(language):
        return reverse("factcheck:claim_list")


@pytest.fixture
def uncached(settings):
    # Both renders of one address must be made, not the second served from the cache.
    settings.READER_PAGE_CACHE_SECONDS = 0


@pytest.mark.parametrize("language", ["en", "it"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda query: "&".join(query) or "plain")
def test_index_rows_are_the_rows_django_tables2_writes(
    client, index_claims, uncached, language, query
):
    url = index_url(language)
    ours = client.get(url, query)
    # A column the tag does not know leaves the rows to the generic template: with none
    # known, that is every column, so this is django-tables2's own rendering.
    with mock.patch.dict(claims_index.CELL_WRITERS, {}, clear=True):
        generic = client.get(url, query)

    assert ours.status_code == generic.status_code == 200
    listed = len(ours.context["table"].paginated_rows)
    assert (listed == 0) == ("nothing" in query.get("q", ""))
    if listed:
        # The generic template writes `<td >`; the tag does not: it wrote these rows.
        assert "<td >" in generic.content.decode()
        assert "<td >" not in ours.content.decode()
    assert markup(ours) == markup(generic)


def test_review_dates_are_written_on_the_local_day(client, index_claims, uncached, settings):
    # 23:30 UTC on 31 March is already 1 April in Rome.
    settings.TIME_ZONE = "Europe/Rome"
    query = {"sort": "-reviewed_at"}
    ours = client.get(index_url(), query)
    with mock.patch.dict(claims_index.CELL_WRITERS, {}, clear=True):
        generic = client.get(index_url(), query)
    assert "<td>1 April 2025</td>" in ours.content.decode()
    assert markup(ours) == markup(generic)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"verdict": "false", "agreement_label": "refuted", "has_contradictions": "true"},
        {"language": "xx", "verdict": "nonsense", "has_contradictions": "false"},
        {"q": '"><script>', "outlet": "no-such-outlet"},
    ],
    ids=["plain", "chosen", "invalid", "escaped"],
)
def test_filter_selects_are_the_selects_django_writes(client, index_claims, uncached, query):
    url = index_url()
    ours = client.get(url, query)
    with mock.patch.object(WrittenSelect, "render", forms.Select.render):
        djangos = client.get(url, query)
    assert markup(ours) == markup(djangos)
    # Django's writes each option on a line of its own; these are written by ours.
    assert "\n  <option" in djangos.content.decode()
    assert "\n  <option" not in ours.content.decode()
