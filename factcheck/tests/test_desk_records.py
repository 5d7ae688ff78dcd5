"""The reading desk's reads and writes: spans become appearances, conflicts are pointed out."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from factcheck.models import (
    Appearance,
    Claim,
    ContradictionStatus,
    EvidenceChange,
    ReviewStatus,
    Stance,
    Verdict,
)
from factcheck.selectors.desk import ConflictKind, contradiction_candidates
from factcheck.services.desk import span_claim_create, span_link, span_trimmed
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
)
from factcheck.tests.roles import make_user
from factcheck.tests.test_evidence_review import published_true_claim

pytestmark = pytest.mark.django_db

# An astral character (two UTF-16 units, one code point) before the span.
ASTRAL_TEXT = "Titolo 🇮🇹 𝕏: la fabbrica di Penang produce 4 milioni di chip al giorno.\n\nAltro."


def draft_claim(**kwargs):
    return ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED, **kwargs)


# --- span_trimmed -------------------------------------------------------------------------


def test_a_span_loses_the_blanks_at_its_ends_only():
    assert span_trimmed(text="  due  parole \n", start=0, end=15) == (2, 13)


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (0, 0, "span_empty"),
        (3, 5, "span_empty"),  # only blanks
        (5, 2, "span_reversed"),
        (-1, 4, "span_out_of_range"),
        (0, 99, "span_out_of_range"),
    ],
)
def test_a_span_that_quotes_nothing_is_refused_with_its_reason(start, end, code):
    with pytest.raises(ValidationError) as refused:
        span_trimmed(text="uno   due", start=start, end=end)
    assert refused.value.code == code


# --- span_link ------------------------------------------------------------------------------


def test_a_span_becomes_an_appearance_whose_quote_is_the_text_at_its_offsets():
    article = ArticleFactory(text=ASTRAL_TEXT)
    claim = draft_claim()
    start = ASTRAL_TEXT.index("la fabbrica")
    end = ASTRAL_TEXT.index(" al giorno")

    appearance, outcome = span_link(
        article=article,
        claim=claim,
        start=start - 1,  # the blank before is trimmed away
        end=end,
        stance=Stance.SUPPORTS,
        attribution="secondo Reuters",
        translation="the Penang factory makes 4 million chips",
        expected_version=article.version,
        user=make_user("editor"),
    )

    assert outcome.applied == [appearance]
    stored = Appearance.objects.get(pk=appearance.pk)
    assert (stored.start, stored.end) == (start, end)
    assert (
        stored.quote == ASTRAL_TEXT[start:end] == "la fabbrica di Penang produce 4 milioni di chip"
    )
    assert stored.quote.encode() == ASTRAL_TEXT[stored.start : stored.end].encode()
    assert (stored.stance, stored.attribution) == (Stance.SUPPORTS, "secondo Reuters")


def test_a_link_made_on_an_older_copy_of_the_text_is_refused():
    article = ArticleFactory(text=ASTRAL_TEXT)
    opened = article.version
    article.text = "Nuovo inizio. " + ASTRAL_TEXT
    from factcheck import services

    services.article_save(article=article)

    with pytest.raises(ValidationError) as refused:
        span_link(
            article=article, claim=draft_claim(), start=0, end=6, stance=Stance.SUPPORTS,
            expected_version=opened,
        )  # fmt: skip
    assert refused.value.code == "concurrent_edit"
    assert not Appearance.objects.exists()


def test_an_editor_linking_a_public_claim_waits_for_a_reviewer():
    article = ArticleFactory(text=ASTRAL_TEXT)
    claim = published_true_claim()

    appearance, outcome = span_link(
        article=article, claim=claim, start=0, end=6, stance=Stance.REFUTES,
        user=make_user("editor"),
    )  # fmt: skip

    assert appearance.pk is None and len(outcome.held) == 1
    assert not Appearance.objects.filter(article=article).exists()
    assert EvidenceChange.objects.get().proposed_by.username == "editor"


def test_linking_needs_the_permission_to_add_appearances():
    article = ArticleFactory(text=ASTRAL_TEXT)
    with pytest.raises(PermissionDenied):
        span_link(
            article=article, claim=draft_claim(), start=0, end=6, stance=Stance.SUPPORTS,
            user=make_user("staff_without_group"),
        )  # fmt: skip
    assert not Appearance.objects.exists()


# --- span_claim_create ------------------------------------------------------------------------


def test_a_new_claim_from_a_span_is_a_draft_with_that_span_as_its_first_appearance():
    article = ArticleFactory(text=ASTRAL_TEXT)
    start = ASTRAL_TEXT.index("la fabbrica")

    claim, appearance = span_claim_create(
        article=article,
        statement="  A Penang factory makes four million chips a day. ",
        start=start,
        end=start + 11,
        stance=Stance.SUPPORTS,
        user=make_user("editor"),
    )

    claim.refresh_from_db()
    assert claim.statement == "A Penang factory makes four million chips a day."
    assert claim.status == ReviewStatus.DRAFT and claim.slug
    assert appearance.claim == claim
    assert list(claim.appearances.values_list("quote", "start")) == [("la fabbrica", start)]


def test_a_new_claim_whose_span_is_refused_is_not_created():
    article = ArticleFactory(text=ASTRAL_TEXT)
    with pytest.raises(ValidationError):
        span_claim_create(
            article=article, statement="A claim with no quote", start=3, end=3,
            stance=Stance.SUPPORTS, user=make_user("editor"),
        )  # fmt: skip
    assert not Claim.objects.filter(statement="A claim with no quote").exists()


# --- contradiction_candidates -----------------------------------------------------------------


def test_the_same_origin_stating_the_claim_the_other_way_is_pointed_out(retellings):
    claim = draft_claim()
    refuting = AppearanceFactory(claim=claim, article=retellings[1], stance=Stance.REFUTES)
    AppearanceFactory(claim=claim, article=ArticleFactory(), stance=Stance.REFUTES)  # elsewhere

    found = contradiction_candidates(article=retellings[0], claim=claim, stance=Stance.SUPPORTS)

    assert [(c.kind, c.claim, c.appearances) for c in found] == [
        (ConflictKind.STATED_OPPOSITE, claim, (refuting,))
    ]
    assert not found[0].in_same_article
    assert contradiction_candidates(article=retellings[0], claim=claim, stance=Stance.REFUTES) == []


def test_the_same_article_supporting_both_sides_of_a_known_contradiction_is_pointed_out():
    article = ArticleFactory()
    linked, other = draft_claim(), draft_claim()
    contradiction = ContradictionFactory(claim_a=other, claim_b=linked)
    supporting = AppearanceFactory(claim=other, article=article, stance=Stance.SUPPORTS)

    found = contradiction_candidates(article=article, claim=linked, stance=Stance.SUPPORTS)

    assert [(c.kind, c.claim, c.contradiction, c.appearances) for c in found] == [
        (ConflictKind.CONTRADICTION_STATED, other, contradiction, (supporting,))
    ]
    assert found[0].in_same_article


def test_a_known_contradiction_is_listed_even_when_the_origin_does_not_state_it():
    article = ArticleFactory()
    linked, other, ruled_out = draft_claim(), draft_claim(), draft_claim()
    ContradictionFactory(claim_a=linked, claim_b=other)
    ContradictionFactory(claim_a=linked, claim_b=ruled_out, status=ContradictionStatus.DISMISSED)
    # Refuting the other side is no conflict with supporting this one.
    AppearanceFactory(claim=other, article=article, stance=Stance.REFUTES)

    found = contradiction_candidates(article=article, claim=linked, stance=Stance.SUPPORTS)

    assert [(c.kind, c.claim) for c in found] == [(ConflictKind.CONTRADICTION_KNOWN, other)]


def test_same_origin_conflicts_come_before_the_merely_known_ones(django_assert_num_queries):
    article = ArticleFactory()
    linked, known, stated = draft_claim(), draft_claim(), draft_claim()
    ContradictionFactory(claim_a=linked, claim_b=known)
    ContradictionFactory(claim_a=stated, claim_b=linked)
    AppearanceFactory(claim=stated, article=article, stance=Stance.SUPPORTS)
    AppearanceFactory(claim=linked, article=article, stance=Stance.REFUTES)

    with django_assert_num_queries(2):
        found = contradiction_candidates(article=article, claim=linked, stance=Stance.SUPPORTS)

    assert [(c.kind, c.claim) for c in found] == [
        (ConflictKind.STATED_OPPOSITE, linked),
        (ConflictKind.CONTRADICTION_STATED, stated),
        (ConflictKind.CONTRADICTION_KNOWN, known),
    ]
