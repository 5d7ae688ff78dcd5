"""The contradictions as the pages read them: plain rows that say what the claims say, in
the reader's language, a page count kept under the page's own name until a write, and the
same two queries however many pairs."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from factcheck.models import Claim, Contradiction, ReviewStatus
from factcheck.selectors import contradiction_pairs, contradictions_for_index, counts
from factcheck.selectors.contradictions import ClaimRow
from factcheck.tests.factories import AppearanceFactory, ClaimFactory, ContradictionFactory

pytestmark = pytest.mark.django_db

LIST_URL = reverse("factcheck:contradiction_list")


@pytest.fixture
def uncached_pages(settings):
    """Pages rendered on every request, so only the count cache can answer a count."""
    settings.READER_PAGE_CACHE_SECONDS = 0
    settings.READER_COUNT_CACHE_SECONDS = 300


def pairs_of_new_claims(count: int) -> None:
    claims = Claim.objects.bulk_create(
        Claim(
            statement=f"Side {n}", slug=f"side-{n}", status=ReviewStatus.PUBLISHED, verdict="true"
        )
        for n in range(count + 1)
    )
    Contradiction.objects.bulk_create(
        Contradiction(claim_a=first, claim_b=second, explanation="Both cannot hold.")
        for first, second in itertools.pairwise(claims)
    )


@pytest.fixture
def translated_pair():
    """A pair of dated claims, one of them translated into Italian."""
    translated = AppearanceFactory(
        claim=ClaimFactory(statement="The bridge opened", statement_it="Il ponte è stato aperto")
    ).claim
    untranslated = AppearanceFactory(claim=ClaimFactory(statement="The bridge never opened")).claim
    ContradictionFactory(claim_a=translated, claim_b=untranslated)
    return translated, untranslated


@pytest.mark.parametrize("language", ["en", "it"])
def test_a_pairs_rows_say_what_its_claims_say(translated_pair, language):
    with translation.override(language):
        (pair,) = contradiction_pairs(contradictions=contradictions_for_index())
        for side in pair.sides:
            claim = Claim.objects.get(pk=side.claim.pk)
            for name in ClaimRow._fields:
                assert getattr(side.claim, name) == getattr(claim, name), name
            assert side.claim.statement_in(language) == claim.reader_statement
            assert side.claim.is_public == claim.is_public


def test_the_italian_page_names_the_claims_in_italian(client, settings, translated_pair):
    settings.READER_PAGE_CACHE_SECONDS = 0
    english = client.get(LIST_URL).content.decode()
    italian = client.get("/it" + LIST_URL).content.decode()
    # In the side's link and in the picture's description alike.
    assert italian.count("Il ponte è stato aperto") == english.count("The bridge opened") >= 2
    assert "Il ponte" not in english
    assert italian.count("The bridge never opened") >= 2


def test_the_page_count_is_kept_under_its_name_until_a_write(
    client, uncached_pages, committed, monkeypatch
):
    pairs_of_new_claims(51)

    def hashed(queryset):
        raise AssertionError("the page's count compiled its SQL for a key")

    monkeypatch.setattr(counts, "queryset_key", hashed)
    assert "(51 contradictions)" in client.get(LIST_URL).content.decode()
    with CaptureQueriesContext(connection) as captured:
        assert "(51 contradictions)" in client.get(LIST_URL).content.decode()
    assert not [query for query in captured if query["sql"].startswith("SELECT COUNT(")]
    with committed():
        ContradictionFactory()
    assert "(52 contradictions)" in client.get(LIST_URL).content.decode()


@pytest.mark.parametrize("count", [3, 120])
def test_a_page_of_pairs_costs_two_queries_however_many(client, uncached_pages, count):
    pairs_of_new_claims(count)
    client.get(LIST_URL)  # counts the pairs for the generation
    with CaptureQueriesContext(connection) as captured:
        page = client.get(LIST_URL, {"page": 2 if count > 50 else 1}).content.decode()
    # The content generation, then the page's pairs with their claims.
    assert len(captured) == 2
    assert page.count('class="contradiction"') == min(count, 50)
