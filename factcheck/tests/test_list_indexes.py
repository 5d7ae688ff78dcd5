"""Deep pages of the reader lists: the right rows in order, read from their indexes."""

from itertools import pairwise

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.models import (
    Claim,
    Contradiction,
    ContradictionStatus,
    ReviewStatus,
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
        # The stamp, the count, the page, the dates of its claims' evidence.
        with django_assert_max_num_queries(4):
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
