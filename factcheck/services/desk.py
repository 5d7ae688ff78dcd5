"""Writes of the reading desk: a span of an article's text becomes an appearance.

The browser sends only offsets (Unicode code points); the quote is always the text at
those offsets as stored, read under the article's lock, so it can never be retyped or
drift from the text. Everything is then saved through evidence_save, whose permission,
version and held-review rules apply unchanged.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from factcheck import workflow
from factcheck.models import Appearance, Article, Claim
from factcheck.services.records import EvidenceOutcome, claim_save, evidence_save


def span_trimmed(*, text: str, start: int, end: int) -> tuple[int, int]:
    """The span without the blanks at its ends; refused when out of range or empty."""
    if not 0 <= start <= len(text) or not 0 <= end <= len(text):
        raise ValidationError(
            "The selection (%(start)s–%(end)s) lies outside the article's text, which has "
            "%(length)s characters.",
            code="span_out_of_range",
            params={"start": start, "end": end, "length": len(text)},
        )
    if start > end:
        raise ValidationError(
            "The selection ends (%(end)s) before it starts (%(start)s).",
            code="span_reversed",
            params={"start": start, "end": end},
        )
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValidationError(
            "The selection is empty: select the words of the quote.", code="span_empty"
        )
    return start, end


def _article_locked(*, article: Article, expected_version: int | None) -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(
            "The article was saved again (now version %(current)s) after you opened the desk "
            "(version %(yours)s), so the offsets of your selection may point elsewhere. Nothing "
            "was linked: reload the desk and select the span again.",
            code="concurrent_edit",
            params={"current": locked.version, "yours": expected_version},
        )
    return locked


@transaction.atomic
def span_link(
    *,
    article: Article,
    claim: Claim,
    start: int,
    end: int,
    stance: str,
    attribution: str = "",
    translation: str = "",
    expected_version: int | None = None,
    user=None,
) -> tuple[Appearance, EvidenceOutcome]:
    """Link the span [start, end) of the article to `claim`: an appearance quoting it.

    The outcome says whether it was saved or held for a Reviewer (a public claim's evidence
    changed by someone who may not publish).
    """
    locked = _article_locked(article=article, expected_version=expected_version)
    start, end = span_trimmed(text=locked.text, start=start, end=end)
    appearance = Appearance(
        claim=claim,
        article=locked,
        quote=locked.text[start:end],
        start=start,
        stance=stance,
        attribution=attribution,
        translation=translation,
    )
    outcome = evidence_save(saves=[(appearance, None)], user=user)
    return appearance, outcome


@transaction.atomic
def span_claim_create(
    *,
    article: Article,
    statement: str,
    start: int,
    end: int,
    stance: str,
    attribution: str = "",
    translation: str = "",
    expected_version: int | None = None,
    user=None,
) -> tuple[Claim, Appearance]:
    """A new draft claim that this span of the article states, with its appearance.

    Both rows or neither: a refused quote leaves no orphan claim behind. A draft is no
    public claim, so its first evidence is never held for review.
    """
    claim = claim_save(
        claim=Claim(statement=statement.strip(), status=workflow.ReviewStatus.DRAFT), user=user
    )
    appearance, _ = span_link(
        article=article,
        claim=claim,
        start=start,
        end=end,
        stance=stance,
        attribution=attribution,
        translation=translation,
        expected_version=expected_version,
        user=user,
    )
    return claim, appearance
