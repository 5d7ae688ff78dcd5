"""Rules that hold whoever writes: the database refuses what the forms refuse, history
pages open for every role, and a public claim keeps its verdict."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import ARTICLE_TEXT_MAX_LENGTH, Article, Claim, Outlet, ReviewStatus, Verdict
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory
from factcheck.tests.roles import make_user

pytestmark = pytest.mark.django_db


def refused_by_the_database(write) -> bool:
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


# --- Constraints in the database ---------------------------------------------------------


def test_a_slug_that_no_url_can_carry_is_refused_by_the_database():
    claim = ClaimFactory()
    assert refused_by_the_database(
        lambda: Claim.objects.filter(pk=claim.pk).update(slug="bad slug!")
    )
    assert not refused_by_the_database(
        lambda: Claim.objects.filter(pk=claim.pk).update(slug="good-slug_2")
    )


def test_a_public_claim_without_a_verdict_is_refused_by_the_database():
    claim = ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED)
    for status in (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED):
        assert refused_by_the_database(
            lambda status=status: Claim.objects.filter(pk=claim.pk).update(status=status)
        )
    assert not refused_by_the_database(
        lambda: Claim.objects.filter(pk=claim.pk).update(status=ReviewStatus.IN_REVIEW)
    )


@pytest.mark.parametrize("address", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org/"])
def test_only_web_addresses_are_stored(address):
    article = ArticleFactory()
    assert refused_by_the_database(
        lambda: Article.objects.filter(pk=article.pk).update(url=address)
    )
    assert refused_by_the_database(
        lambda: Outlet.objects.filter(pk=article.outlet_id).update(homepage=address)
    )
    article.url = address
    with pytest.raises(ValidationError) as refused:
        services.article_save(article=article)
    assert "url" in refused.value.message_dict
    assert not refused_by_the_database(
        lambda: Article.objects.filter(pk=article.pk).update(url="https://example.org/a")
    )


def test_an_article_text_over_the_limit_is_refused_by_the_database():
    article = ArticleFactory()
    too_long = "x" * (ARTICLE_TEXT_MAX_LENGTH + 1)
    assert refused_by_the_database(
        lambda: Article.objects.filter(pk=article.pk).update(text=too_long)
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the tsvector limit is PostgreSQL's")
def test_the_longest_allowed_text_of_distinct_words_fits_the_search_index():
    """2.4 MB of varied words once made PostgreSQL refuse the row (tsvector over 1 MB)."""
    words, number = [], 0
    while sum(len(word) + 1 for word in words) < ARTICLE_TEXT_MAX_LENGTH - 20:
        words.append(f"w{number:x}q{number * 7919 % 100_003:x}")
        number += 1
    text = " ".join(words)[:ARTICLE_TEXT_MAX_LENGTH]
    article = ArticleFactory(text=text)
    assert len(Article.objects.get(pk=article.pk).text) == len(text)


# --- Verdicts and deletion -----------------------------------------------------------


def test_a_reviewer_cannot_unrate_a_public_claim():
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED, verdict=Verdict.TRUE)
    claim.verdict = Verdict.UNRATED
    with pytest.raises(ValidationError, match="needs a verdict"):
        services.claim_save(claim=claim, user=make_user("reviewer"), correction_note="Oops.")
    assert Claim.objects.get(pk=claim.pk).verdict == Verdict.TRUE


def test_only_a_claim_never_published_may_be_deleted():
    reviewer = make_user("reviewer")
    published = ClaimFactory(status=ReviewStatus.PUBLISHED)
    with pytest.raises(ValidationError, match="retract it instead"):
        services.claim_delete(claim=published, user=reviewer)
    reopened = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    workflow.claim_transition(claim=reopened, name="publish", user=reviewer)
    workflow.claim_transition(claim=reopened, name="retract", user=reviewer, note="Wrong.")
    workflow.claim_transition(claim=reopened, name="reopen", user=reviewer)
    with pytest.raises(ValidationError, match="retract it instead"):
        services.claim_delete(claim=Claim.objects.get(pk=reopened.pk), user=reviewer)
    draft = ClaimFactory(status=ReviewStatus.DRAFT)
    services.claim_delete(claim=draft, user=reviewer)
    assert set(Claim.objects.values_list("pk", flat=True)) == {published.pk, reopened.pk}


# --- History pages -----------------------------------------------------------------------


def published_after_review(**fields) -> Claim:
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW, verdict=Verdict.TRUE, **fields)
    AppearanceFactory(claim=claim)
    workflow.claim_transition(claim=claim, name="publish", user=None)
    return Claim.objects.get(pk=claim.pk)


def history_url(claim, record):
    return reverse("admin:factcheck_claim_simple_history", args=[claim.pk, record.history_id])


@pytest.mark.parametrize("role", ["editor", "reviewer"])
def test_every_role_opens_a_history_record_of_a_published_claim(role):
    """An Editor once got a 500: the slug was prepopulated though read-only for Editors."""
    claim = published_after_review()
    client = Client()
    client.force_login(make_user(role))
    response = client.get(history_url(claim, claim.history.earliest()))
    assert response.status_code == 200


def test_a_reviewer_reverts_a_published_claim_to_its_record_from_review():
    """Reverting once failed with a hidden "statement: This field is required"."""
    claim = published_after_review(context="What the reviewer read.")
    claim.context = "A later, worse context."
    services.claim_save(claim=claim)
    record = claim.history.filter(status=ReviewStatus.IN_REVIEW).earliest()
    client = Client()
    client.force_login(make_user("reviewer"))
    url = history_url(claim, record)

    response = client.post(url, change_form_data(client, url))

    assert response.status_code == 302, response.context["errors"]
    reverted = Claim.objects.get(pk=claim.pk)
    assert reverted.context == "What the reviewer read."
    assert reverted.status == ReviewStatus.PUBLISHED
    assert reverted.appearance_count == 1


def test_an_editor_reverting_a_published_claim_is_told_what_they_may_not_change():
    claim = published_after_review()
    claim.statement = "A corrected statement"
    services.claim_save(claim=claim, correction_note="Reworded.")
    client = Client()
    client.force_login(make_user("editor"))
    url = history_url(claim, claim.history.earliest())

    response = client.post(url, change_form_data(client, url))

    assert response.status_code == 200
    assert "You may not change: statement" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == "A corrected statement"
