import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from factcheck import quotes, services
from factcheck.models import AnchorStatus, Appearance, Article, Contradiction, DatePrecision
from factcheck.tests.factories import (
    ARTICLE_TEXT,
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
)

pytestmark = pytest.mark.django_db


# --- Quote integrity -----------------------------------------------------------------


def test_quote_is_anchored_at_its_exact_offsets():
    appearance = AppearanceFactory(quote="Huawei collabora con DeepSeek")
    text = appearance.article.text
    assert text[appearance.start : appearance.end] == appearance.quote
    # Exact context, so an empty or misplaced prefix or suffix cannot pass.
    context = quotes.CONTEXT_LENGTH
    assert appearance.prefix == text[appearance.start - context : appearance.start] != ""
    assert appearance.suffix == text[appearance.end : appearance.end + context] != ""


def test_quote_that_is_not_in_the_text_is_refused_with_the_closest_passage():
    article = ArticleFactory()
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as error:
        services.appearance_save(
            appearance=Appearance(
                claim=claim,
                article=article,
                quote="DeepSeek addestra i modelli in Cina",
                stance="supports",
            )
        )
    messages = error.value.message_dict["quote"]
    assert "not a verbatim span" in messages[0]
    assert "DeepSeek addestra i suoi modelli" in messages[0]
    assert not Appearance.objects.exists()


def test_wrong_offsets_are_corrected_to_where_the_quote_is():
    appearance = AppearanceFactory(quote="Huawei collabora")
    appearance.start = 3
    services.appearance_save(appearance=appearance)
    appearance.refresh_from_db()
    assert appearance.start == ARTICLE_TEXT.index("Huawei collabora")
    assert appearance.end == appearance.start + len("Huawei collabora")


def test_database_refuses_offsets_that_disagree_with_the_quote_length():
    appearance = AppearanceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Appearance.objects.filter(pk=appearance.pk).update(end=appearance.end + 5)


def test_quote_from_a_non_archived_report_is_refused(upstream_report):
    with pytest.raises(ValidationError, match="not archived"):
        services.appearance_save(
            appearance=Appearance(
                claim=ClaimFactory(), article=upstream_report, quote="x", stance="supports"
            )
        )
    assert not Appearance.objects.exists()


def test_text_edit_that_keeps_the_quote_reanchors_it():
    appearance = AppearanceFactory(quote="Huawei collabora con DeepSeek")
    article = appearance.article
    article.text = "Aggiornamento. " + article.text
    services.article_save(article=article)
    appearance.refresh_from_db()
    assert article.text[appearance.start : appearance.end] == appearance.quote
    assert appearance.start == article.text.index("Huawei collabora")


def test_text_edit_that_loses_a_quote_is_saved_and_orphans_it():
    appearance = AppearanceFactory(quote="Huawei collabora con DeepSeek")
    article = Article.objects.get(pk=appearance.article_id)
    article.text = article.text.replace("Huawei collabora con DeepSeek", "Baidu lavora da solo")
    services.article_save(article=article)
    appearance.refresh_from_db()
    assert "Baidu" in Article.objects.get(pk=article.pk).text
    assert appearance.anchor_status == AnchorStatus.ORPHANED
    assert (appearance.start, appearance.end) == (None, None)
    assert appearance.quote == "Huawei collabora con DeepSeek"


# --- Articles ------------------------------------------------------------------------


def test_original_article_is_its_own_origin_and_retellings_point_to_the_first_report(
    upstream_report,
):
    middle = ArticleFactory(retells=upstream_report)
    last = ArticleFactory(retells=middle)
    assert upstream_report.origin == upstream_report
    assert middle.origin == upstream_report
    assert last.origin == upstream_report


def test_retelling_cycle_is_refused():
    first = ArticleFactory()
    second = ArticleFactory(retells=first)
    first.retells = second
    with pytest.raises(ValidationError, match="cycle"):
        services.article_save(article=first)
    assert Article.objects.get(pk=first.pk).retells_id is None


def test_article_cannot_retell_itself_even_bypassing_validation():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(retells=article)


def test_archived_article_needs_text():
    with pytest.raises(ValidationError, match="full text"):
        ArticleFactory(text="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(language="it", text="", is_archived=True)


def test_date_is_stored_at_the_precision_given():
    article = ArticleFactory(published_on=datetime.date(2025, 11, 17), date_precision="month")
    assert article.published_on == datetime.date(2025, 11, 1)
    assert article.display_date == "November 2025"
    unknown = ArticleFactory(published_on=None, date_precision=DatePrecision.UNKNOWN)
    assert unknown.display_date == "date unknown"
    with pytest.raises(ValidationError, match="precision"):
        ArticleFactory(published_on=None, date_precision=DatePrecision.DAY)


# --- Nothing lost silently -----------------------------------------------------------


def test_article_with_appearances_cannot_be_deleted():
    appearance = AppearanceFactory()
    with pytest.raises(ProtectedError):
        appearance.article.delete()
    with pytest.raises(ProtectedError):
        appearance.claim.delete()
    assert Appearance.objects.filter(pk=appearance.pk).exists()


def test_claim_in_a_contradiction_cannot_be_deleted():
    contradiction = ContradictionFactory()
    with pytest.raises(ProtectedError):
        contradiction.claim_a.delete()


# --- Contradictions ------------------------------------------------------------------


def test_contradiction_is_one_record_per_unordered_pair():
    contradiction = ContradictionFactory()
    reversed_pair = Contradiction(
        claim_a=contradiction.claim_b, claim_b=contradiction.claim_a, explanation="Again"
    )
    with pytest.raises(ValidationError, match="already exists"):
        services.contradiction_save(contradiction=reversed_pair)
    with pytest.raises(IntegrityError), transaction.atomic():
        reversed_pair.save()


def test_contradiction_needs_two_different_claims():
    claim = ClaimFactory()
    with pytest.raises(ValidationError, match="two different claims"):
        ContradictionFactory(claim_a=claim, claim_b=claim)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contradiction.objects.create(claim_a=claim, claim_b=claim, explanation="x")


def test_superseded_claim_must_be_a_side_of_a_conflict_explained_by_time():
    contradiction = ContradictionFactory(kind="explained_by_time")
    contradiction.superseded_claim = ClaimFactory()
    with pytest.raises(ValidationError, match="one of the two sides"):
        services.contradiction_save(contradiction=contradiction)
    contradiction.superseded_claim = contradiction.claim_a
    services.contradiction_save(contradiction=contradiction)
    assert Contradiction.objects.get(pk=contradiction.pk).superseded_claim == contradiction.claim_a
    direct = ContradictionFactory(kind="direct")
    direct.superseded_claim = direct.claim_a
    with pytest.raises(ValidationError, match="Only a conflict explained by time"):
        services.contradiction_save(contradiction=direct)


def test_verdict_maps_to_a_rating_on_the_documented_scale():
    assert ClaimFactory(verdict="true").rating_value == 5
    assert ClaimFactory(verdict="false").rating_value == 1
    assert ClaimFactory(verdict="not_enough_evidence").rating_value is None
