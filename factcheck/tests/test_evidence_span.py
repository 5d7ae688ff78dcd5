"""The evidence span stored on claims: kept by every write that moves it, equal to the span
computed from the evidence, repaired by the rebuild, and what the contradictions show."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from factcheck import services
from factcheck.models import (
    DERIVED_EVIDENCE_SPAN_FIELDS,
    AnchorStatus,
    Appearance,
    Article,
    Claim,
    DatePrecision,
    ReviewStatus,
)
from factcheck.selectors import (
    EvidenceSpan,
    claims_counted_spans,
    claims_evidence_spans,
    contradiction_pairs,
    contradictions_for_index,
)
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
)
from factcheck.tests.roles import make_user

pytestmark = pytest.mark.django_db

CORRECTED_TEXT = "Un testo corretto che non dice più nulla di quello."
SECOND_QUOTE = "Huawei collabora con DeepSeek"


def dated(day: str, precision: str = DatePrecision.DAY, **fields) -> Article:
    return ArticleFactory(published_on=day, date_precision=precision, **fields)


def stored(claim: Claim) -> EvidenceSpan | None:
    return EvidenceSpan.from_claim(Claim.objects.get(pk=claim.pk))


def shown(span: EvidenceSpan | None) -> tuple[str, str] | None:
    return (span.first.iso_date, span.last.iso_date) if span else None


def assert_stored_is_computed(*claims: Claim) -> None:
    """What a page shows (the stored span) is the span of the public evidence, computed."""
    computed = claims_evidence_spans([claim.pk for claim in claims])
    for claim in claims:
        assert stored(claim) == computed.get(claim.pk)


@pytest.fixture
def claim():
    """A published claim quoted on a day in 2024 and in an article dated only by its year."""
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, article=dated("2024-03-10"))
    AppearanceFactory(claim=claim, article=dated("2025-01-01", DatePrecision.YEAR))
    return claim


# --- Every write that moves the span ---------------------------------------------------


def test_a_quote_added_moves_the_span(claim):
    assert shown(stored(claim)) == ("2024-03-10", "2025")
    AppearanceFactory(claim=claim, article=dated("2023-11-05"))
    assert shown(stored(claim)) == ("2023-11-05", "2025")
    assert_stored_is_computed(claim)


def test_a_quote_deleted_moves_the_span(claim):
    earliest = Appearance.objects.get(claim=claim, article__published_on="2024-03-10")
    services.appearance_delete(appearance=earliest)
    assert shown(stored(claim)) == ("2025", "2025")
    for appearance in Appearance.objects.filter(claim=claim):
        services.appearance_delete(appearance=appearance)
    assert stored(claim) is None
    assert_stored_is_computed(claim)


def test_a_quote_held_for_review_moves_the_span_only_when_accepted(claim):
    editor = make_user("editor")
    services.appearance_save(
        appearance=Appearance(
            claim=claim, article=dated("2022-06-01"), quote=SECOND_QUOTE, stance="supports"
        ),
        user=editor,
    )
    assert shown(stored(claim)) == ("2024-03-10", "2025")
    services.evidence_accept(claim=claim, user=make_user("reviewer"))
    assert shown(stored(claim)) == ("2022-06-01", "2025")
    assert_stored_is_computed(claim)


def test_an_article_redated_moves_the_span_of_every_claim_quoting_it(claim):
    other = ClaimFactory()
    article = Article.objects.get(published_on="2024-03-10")
    AppearanceFactory(claim=other, article=article, quote=SECOND_QUOTE)
    article.published_on = datetime.date(2026, 2, 1)
    article.date_precision = DatePrecision.MONTH
    services.article_save(article=article, expected_version=article.version)
    assert shown(stored(claim)) == ("2025", "2026-02")
    assert shown(stored(other)) == ("2026-02", "2026-02")
    article.published_on, article.date_precision = None, DatePrecision.UNKNOWN
    services.article_save(article=article, expected_version=article.version)
    assert shown(stored(claim)) == ("2025", "2025")
    assert stored(other) is None
    assert_stored_is_computed(claim, other)


def test_a_quote_orphaned_by_a_correction_leaves_the_span(claim):
    article = Article.objects.get(published_on="2024-03-10")
    article.text = CORRECTED_TEXT
    services.article_save(article=article, expected_version=article.version)
    assert Appearance.objects.get(article=article).anchor_status == AnchorStatus.ORPHANED
    assert shown(stored(claim)) == ("2025", "2025")
    assert_stored_is_computed(claim)


def test_only_a_public_claims_span_is_shown(claim):
    draft = ClaimFactory(status=ReviewStatus.DRAFT, verdict="unrated")
    AppearanceFactory(claim=draft, article=dated("2024-05-05"))
    # Stored from its counted evidence, like its agreement, but readers see none of it.
    assert Claim.objects.get(pk=draft.pk).evidence_first_on == datetime.date(2024, 5, 5)
    assert shown(claims_counted_spans([draft.pk])[draft.pk]) == ("2024-05-05", "2024-05-05")
    assert stored(draft) is None
    assert_stored_is_computed(claim, draft)


# --- Rebuild, backfill, constraint -----------------------------------------------------


def test_the_rebuild_repairs_a_wrong_span_and_leaves_right_ones(claim):
    right = ClaimFactory()
    AppearanceFactory(claim=right, article=dated("2021-01-01", DatePrecision.YEAR))
    undated = ClaimFactory()
    AppearanceFactory(claim=undated, article=dated(None, DatePrecision.UNKNOWN))
    assert services.claims_rebuild_agreement() == 0
    Claim.objects.filter(pk=claim.pk).update(
        evidence_first_on=datetime.date(1999, 1, 1), evidence_first_precision="day"
    )
    Claim.objects.filter(pk=undated.pk).update(
        evidence_first_on=datetime.date(1999, 1, 1),
        evidence_first_precision="day",
        evidence_last_on=datetime.date(1999, 1, 1),
        evidence_last_precision="day",
    )
    assert services.claims_rebuild_agreement() == 2
    assert shown(stored(claim)) == ("2024-03-10", "2025")
    assert stored(undated) is None
    assert_stored_is_computed(claim, right, undated)


def spans_backfill():
    return importlib.import_module("factcheck.migrations.0018_claim_evidence_span").spans_backfill


def test_the_migrations_backfill_stores_the_computed_spans(claim):
    """The migration's statement, run on this database, chooses the ends as the
    selector does: on one day the more precise date, an imprecise date ending last."""
    ties = ClaimFactory()
    for day, precision in [
        ("2024-01-01", DatePrecision.YEAR),
        ("2024-01-01", DatePrecision.DAY),
        ("2024-12-01", DatePrecision.MONTH),
        ("2024-12-31", DatePrecision.DAY),
    ]:
        AppearanceFactory(claim=ties, article=dated(day, precision))
    orphaned = Article.objects.get(published_on="2024-03-10")
    orphaned.text = CORRECTED_TEXT
    services.article_save(article=orphaned, expected_version=orphaned.version)
    draft = ClaimFactory(status=ReviewStatus.DRAFT, verdict="unrated")
    AppearanceFactory(claim=draft, article=dated("2020-02-02", DatePrecision.MONTH))
    expected = claims_counted_spans([claim.pk, ties.pk, draft.pk])
    assert shown(expected[ties.pk]) == ("2024-01-01", "2024-12-31")
    assert shown(expected[claim.pk]) == ("2025", "2025")

    emptied = dict.fromkeys(DERIVED_EVIDENCE_SPAN_FIELDS[::2])
    emptied.update(dict.fromkeys(DERIVED_EVIDENCE_SPAN_FIELDS[1::2], ""))
    Claim.objects.update(**emptied)
    apps = MigrationExecutor(connection).loader.project_state().apps
    # What the backfill uses of a schema editor (SQLite's cannot open inside a test's
    # transaction).
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        spans_backfill()(apps, editor)
    for pk, span in expected.items():
        values = Claim.objects.values(*DERIVED_EVIDENCE_SPAN_FIELDS).get(pk=pk)
        assert values == span.as_claim_fields()


@pytest.mark.parametrize(
    "values",
    [
        # The first after the last.
        {"evidence_first_on": datetime.date(2026, 1, 1)},
        # An end without its precision.
        {"evidence_last_precision": ""},
        # Half a span.
        {"evidence_last_on": None, "evidence_last_precision": ""},
    ],
)
def test_the_database_refuses_a_span_that_cannot_be(claim, values):
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(**values)


# --- The pages -------------------------------------------------------------------------


def test_the_contradictions_read_their_dates_with_their_claims(claim, django_assert_num_queries):
    """The pairs' spans come in the pairs' own query, however many pairs."""
    for number in range(3):
        other = ClaimFactory()
        AppearanceFactory(claim=other, article=dated(f"202{number}-0{number + 1}-15"))
        ContradictionFactory(claim_a=claim, claim_b=other)
    with django_assert_num_queries(1):
        pairs = contradiction_pairs(contradictions=contradictions_for_index())
    assert len(pairs) == 3
    for pair in pairs:
        assert_stored_is_computed(pair.older.claim, pair.newer.claim)
        assert pair.older.evidence.sort_key < pair.newer.evidence.sort_key


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_contradictions_page_shows_an_articles_new_date(claim, client, settings, language):
    settings.READER_PAGE_CACHE_SECONDS = 0
    other = ClaimFactory()
    AppearanceFactory(claim=other, article=dated("2023-06-15"))
    ContradictionFactory(claim_a=claim, claim_b=other)
    with translation.override(language):
        url = reverse("factcheck:contradiction_list")

    def sides() -> list[str]:
        with translation.override(language):  # a request leaves its language active
            page = client.get(url).content.decode()
        return [part.split("</p>")[0] for part in page.split('<p class="side-when">')[1:]]

    before = sides()
    assert "2023" in before[0] and "2024" in before[1]
    article = Article.objects.get(published_on="2023-06-15")
    article.published_on = datetime.date(2026, 1, 1)
    article.date_precision = DatePrecision.YEAR
    services.article_save(article=article, expected_version=article.version)
    after = sides()
    # The other claim is now reported later: it moves to the right, with its new date.
    assert "2024" in after[0] and "2026" in after[1]
    with CaptureQueriesContext(connection) as queries, translation.override(language):
        client.get(url)
    assert not any("factcheck_appearance" in query["sql"] for query in queries.captured_queries)
