"""Deep pages of the reader lists: the right rows in order, read from their indexes."""

from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import selectors, services
from factcheck.models import (
    Claim,
    ContentStamp,
    Contradiction,
    ContradictionStatus,
    ReviewStatus,
    Verdict,
)
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
    OutletFactory,
)
from factcheck.tests.test_views import body, listed_statements

pytestmark = pytest.mark.django_db


# --- Deep pages and their indexes ------------------------------------------------------


def expected_by_agreement(descending: bool) -> list[str]:
    """Scored claims by score (ties by id, same direction), then unscored ones, by id."""
    claims = list(Claim.objects.published())
    scored = sorted(
        (claim for claim in claims if claim.agreement_score is not None),
        key=lambda claim: (claim.agreement_score, claim.pk),
        reverse=descending,
    )
    unscored = sorted(
        (claim for claim in claims if claim.agreement_score is None),
        key=lambda claim: claim.pk,
        reverse=descending,
    )
    return [claim.statement for claim in [*scored, *unscored]]


@pytest.mark.parametrize("sort", ["agreement", "-agreement"])
def test_every_index_page_holds_the_right_rows_in_order(client, sort):
    # Scores with ties and gaps, so the id tiebreaker and the unscored tail both matter.
    Claim.objects.bulk_create(
        Claim(
            statement=f"Claim {n:02}",
            slug=f"claim-{n:02}",
            status=ReviewStatus.PUBLISHED,
            verdict="true",
            agreement_score=None if n % 7 == 0 else (n % 5) / 5,
        )
        for n in range(60)
    )
    Claim.objects.create(statement="Draft", slug="draft", agreement_score=1)
    listed = []
    for page in (1, 2, 3):
        response = client.get(reverse("factcheck:claim_list"), {"sort": sort, "page": page})
        listed += listed_statements(response)
    assert listed == expected_by_agreement(descending=sort.startswith("-"))


def contradicting_pairs(count: int) -> None:
    claims = Claim.objects.bulk_create(
        Claim(
            statement=f"Side {n}", slug=f"side-{n}", status=ReviewStatus.PUBLISHED, verdict="true"
        )
        for n in range(count + 1)
    )
    Contradiction.objects.bulk_create(
        Contradiction(
            claim_a=first,
            claim_b=second,
            explanation=f"Pair {first.pk}",
            status=ContradictionStatus.OPEN if first.pk % 3 else ContradictionStatus.RESOLVED,
        )
        for first, second in pairwise(claims)
    )


def test_contradictions_are_paginated_open_first(client, django_assert_max_num_queries):
    contradicting_pairs(60)
    seen = []
    for page in (1, 2):
        # The page cache's stamp, the count cache's stamp and (on the first page) the count,
        # the rows, the dates of their claims' evidence.
        with django_assert_max_num_queries(5):
            response = client.get(reverse("factcheck:contradiction_list"), {"page": page})
        seen += list(response.context["contradictions"])
    assert len(seen) == 60 == len({item.pk for item in seen})
    statuses = [item.status for item in seen]
    assert statuses == sorted(statuses, key=lambda status: status != ContradictionStatus.OPEN)
    first_page = body(client.get(reverse("factcheck:contradiction_list")))
    assert first_page.count('class="contradiction"') == 50
    assert 'rel="next" href="?page=2"' in first_page


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the plans are PostgreSQL's"
)


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        # On a tiny table the planner may take a neighbouring index plus an incremental
        # sort; without that option only an index in the query's exact order avoids sorting.
        cursor.execute("SET LOCAL enable_incremental_sort = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgresql
@pytest.mark.parametrize(
    ("url", "table", "index"),
    [
        ("/claims/?sort=-agreement&page=2", "factcheck_claim", "claim_pub_score_desc_idx"),
        ("/claims/?sort=agreement&page=2", "factcheck_claim", "claim_pub_score_asc_idx"),
        ("/contradictions/?page=2", "factcheck_contradiction", "contradiction_open_first_idx"),
    ],
)
def test_list_pages_are_read_in_index_order(client, url, table, index):
    """The ORDER BY must be the index's very expressions, or every row is sorted."""
    contradicting_pairs(60)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    with CaptureQueriesContext(connection) as ran:
        assert client.get(url).status_code == 200
    ordered = [
        query["sql"]
        for query in ran.captured_queries
        if f'FROM "{table}"' in query["sql"] and "ORDER BY" in query["sql"]
    ]
    assert ordered, "no ordered read of the list"
    plan = plan_of(ordered[0])
    assert index in plan
    assert "Sort" not in plan


@on_postgresql
def test_home_lists_come_from_their_indexes(client):
    contradicting_pairs(10)
    with CaptureQueriesContext(connection) as ran:
        assert client.get(reverse("factcheck:home")).status_code == 200
    plans = "\n".join(
        plan_of(query["sql"]) for query in ran.captured_queries if "LIMIT 5" in query["sql"]
    )
    assert "claim_pub_reviewed_idx" in plans
    assert "claim_pub_disagreement_idx" in plans


# --- Counts kept per content generation ------------------------------------------------


@pytest.fixture
def uncached_pages(settings):
    """Pages rendered on every request, so only the count cache can answer a count."""
    settings.READER_PAGE_CACHE_SECONDS = 0
    settings.READER_COUNT_CACHE_SECONDS = 300


def count_queries_of(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    # A count, as Django writes count() and aggregate(Count()): nothing but counts selected.
    return [query["sql"] for query in captured if query["sql"].startswith("SELECT COUNT(")]


def home_figures(client):
    return client.get(reverse("factcheck:home")).context["figures"]


def test_home_figures_are_counted_once_per_content_generation(client, uncached_pages):
    ContradictionFactory()
    home = reverse("factcheck:home")
    assert count_queries_of(client, home), "the first request counts"
    assert count_queries_of(client, home) == [], "the second request counted again"


@pytest.mark.parametrize("each_cache", ["locmem", "redis"], indirect=True)
def test_a_committed_write_shows_in_the_home_figures_at_once(
    client, uncached_pages, committed, each_cache
):
    ContradictionFactory()
    before = home_figures(client)
    with committed():
        claim = AppearanceFactory().claim
        contradiction = ContradictionFactory(claim_a=claim)
    after = home_figures(client)
    assert after == selectors.count_corpus_figures()
    assert after.claims == before.claims + 2
    assert after.open_contradictions == before.open_contradictions + 1
    assert after.articles == before.articles + 1
    assert after.outlets == before.outlets + 1
    with committed():
        contradiction.status = ContradictionStatus.RESOLVED
        services.contradiction_save(contradiction=contradiction)
    resolved = home_figures(client)
    assert resolved.open_contradictions == after.open_contradictions - 1
    assert resolved == selectors.count_corpus_figures()


def test_a_committed_write_shows_in_the_filtered_index_count_at_once(
    client, uncached_pages, committed
):
    AppearanceFactory(
        claim=ClaimFactory(verdict=Verdict.FALSE), article=ArticleFactory(language="it")
    )
    url = reverse("factcheck:claim_list")
    filtered = {"verdict": "false", "language": "it", "sort": "-agreement"}
    assert client.get(url, filtered).context["table"].paginator.count == 1
    assert count_queries_of(client, url, filtered) == []
    with committed():
        AppearanceFactory(
            claim=ClaimFactory(verdict=Verdict.FALSE), article=ArticleFactory(language="it")
        )
        AppearanceFactory(
            claim=ClaimFactory(verdict=Verdict.TRUE), article=ArticleFactory(language="it")
        )
    assert client.get(url, filtered).context["table"].paginator.count == 2
    # Another filter is another count, not the one just kept.
    assert client.get(url, {"verdict": "true"}).context["table"].paginator.count == 1


def test_a_committed_write_shows_in_the_contradictions_page_count_at_once(
    client, uncached_pages, committed
):
    contradicting_pairs(50)
    url = reverse("factcheck:contradiction_list")
    assert client.get(url).context["page"].paginator.num_pages == 1
    with committed():
        ContradictionFactory()
    response = client.get(url)
    assert response.context["page"].paginator.count == 51
    assert 'rel="next" href="?page=2"' in body(response)


def test_a_count_made_while_a_write_commits_is_not_kept_for_later_readers(committed):
    """The generation is read before counting: a write that commits during the count
    raises it, so the count (which may or may not hold that write) is never served after."""
    calls = []

    def count_racing_a_write(using):
        calls.append(using)
        with committed():
            ClaimFactory()  # commits, then raises the generation, while this count runs
        return "counted before the write"

    assert selectors.counted("race", count_racing_a_write) == "counted before the write"
    assert selectors.counted("race", lambda using: "counted after") == "counted after"


def test_without_a_stamp_every_request_counts(client, uncached_pages):
    ContentStamp.objects.all().delete()  # e.g. `flush`
    ClaimFactory()
    home = reverse("factcheck:home")
    count_queries_of(client, home)
    assert count_queries_of(client, home), "a count was kept under no generation"


def test_counts_can_be_made_on_every_request(client, settings):
    settings.READER_PAGE_CACHE_SECONDS = 0
    settings.READER_COUNT_CACHE_SECONDS = 0
    ClaimFactory()
    home = reverse("factcheck:home")
    count_queries_of(client, home)
    assert count_queries_of(client, home)


def test_the_filter_choices_are_read_once_per_generation_and_follow_writes(
    client, uncached_pages, committed
):
    AppearanceFactory(article=ArticleFactory(language="it"))
    newcomer = OutletFactory(name="Newcomer Weekly", slug="newcomer-weekly")
    unquoted = ArticleFactory(outlet=newcomer, language="en")
    url = reverse("factcheck:claim_list")
    first = body(client.get(url))
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    assert not [query for query in captured if 'FROM "factcheck_outlet"' in query["sql"]]
    assert "newcomer-weekly" not in first, "an outlet no public claim quotes"
    with committed():
        AppearanceFactory(article=unquoted)
    again = body(client.get(url))
    assert '<option value="newcomer-weekly">Newcomer Weekly</option>' in again
    assert '<option value="en">English</option>' in again
    # A chosen outlet is still validated against the public outlets.
    response = client.get(url, {"outlet": "newcomer-weekly"})
    assert response.context["filter"].form.is_valid()
