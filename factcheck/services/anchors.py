"""Quotes after a correction of their article's text: re-anchoring them, and checking them.

A correction is never refused for its quotes. article_save calls
article_quotes_reanchor inside its transaction; what it moves, updates or orphans is
recorded in each appearance's history with the reason, and the claims whose counted
evidence changed are handed back for the one refresh of agreement article_save does.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from factcheck.models import AnchorStatus, Appearance, Article
from factcheck.reanchoring import REANCHOR_FIELDS, Reanchored, article_reanchoring


@dataclass
class ReanchorOutcome:
    changes: list[Reanchored] = field(default_factory=list)

    @property
    def claims_recounted(self) -> set[int]:
        """Claims an appearance of which stopped or started counting (orphaned or found)."""
        return {
            change.appearance.claim_id
            for change in self.changes
            if change.counted_before != change.counted_after
        }


def article_quotes_lock(*, article_id: int) -> list[Appearance]:
    """Lock the article's quotes, in id order, as evidence_save locks the ones it changes.

    article_save takes these before the article itself: evidence_save locks a quote and
    then its article, so the same order here means neither waits on the other's second lock.
    """
    return list(Appearance.objects.select_for_update().filter(article_id=article_id).order_by("pk"))


def article_quotes_reanchor(*, article: Article, user=None) -> ReanchorOutcome:
    """Find every quote of the (saved, locked) article again in its new text, and store it."""
    appearances = article_quotes_lock(article_id=article.pk)
    changes = _without_collisions(
        article_reanchoring(article=article, new_text=article.text, appearances=appearances),
        appearances,
    )
    # A quote may move to where another one of the same claim stood before it moved too:
    # the moving rows let go of their offsets first (no history: that is not a state anyone
    # sees), so the one-span-per-claim constraint holds after every statement.
    moving = [change.appearance.pk for change in changes if change.appearance.start is not None]
    Appearance.objects.filter(pk__in=moving).update(
        start=None, end=None, anchor_status=AnchorStatus.ORPHANED
    )
    for change in changes:
        appearance = change.appearance
        change.apply()
        appearance._change_reason = change.change_reason()
        if user is not None:
            appearance._history_user = user
        # The version stays: this is the text moving under the quote, not an edit of it.
        # A form opened before still saves (its quote is anchored in the new text by
        # clean(), or refused with the closest passage), and so does the article form's
        # own inline, saved right after this in the same request.
        appearance.save(update_fields=REANCHOR_FIELDS)
    return ReanchorOutcome(changes=changes)


def _without_collisions(changes: list[Reanchored], appearances: list[Appearance]):
    """Orphan a re-anchored quote that lands on the span of another of the same claim.

    Two quotes of one claim at one place are one piece of evidence; the one that moved
    there gives way, and an editor sees it among the orphaned quotes.
    """
    changing = {change.appearance.pk for change in changes}
    taken = {
        (appearance.claim_id, appearance.start)
        for appearance in appearances
        if appearance.pk not in changing and appearance.start is not None
    }
    kept = []
    for change in changes:
        span = change.anchoring.span
        if span is not None:
            place = (change.appearance.claim_id, span.start)
            if place in taken:
                change = change.orphaned()
            else:
                taken.add(place)
        kept.append(change)
    # An orphan that stays orphaned and unchanged is no change at all.
    return [
        change
        for change in kept
        if not (change.status == AnchorStatus.ORPHANED and not change.counted_before)
    ]


@transaction.atomic
def appearance_check(
    *, appearance: Appearance, user=None, expected_version: int | None = None
) -> Appearance:
    """An editor confirms a quote a correction updated still states the claim: anchored again.

    Readers already see the quote and agreement already counts it, so nothing else moves.
    """
    if user is not None and not user.has_perm("factcheck.change_appearance"):
        raise PermissionDenied("You do not have permission to make this change.")
    stored = Appearance.objects.select_for_update().get(pk=appearance.pk)
    stored.check_version(expected_version)
    if stored.anchor_status != AnchorStatus.NEEDS_CHECK:
        raise ValidationError(
            "Only a quote flagged for a check can be marked checked; this one is %(status)s.",
            code="not_flagged",
            params={"status": stored.get_anchor_status_display().lower()},
        )
    stored.anchor_status = AnchorStatus.ANCHORED
    stored.version += 1
    stored._change_reason = "Checked by an editor after a correction of the article text"
    if user is not None:
        stored._history_user = user
    stored.save(update_fields=["anchor_status", "version", "updated_at"])
    appearance.anchor_status, appearance.version = stored.anchor_status, stored.version
    return stored
