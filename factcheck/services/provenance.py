"""Provenance suggestions: the machine finds where an article may come from, an editor decides.

A suggestion is never applied on its own. Accepting one sets the article's retelling link
through services.article_save, so the link is validated (no cycle), held for a Reviewer
when it would move the agreement of public claims, and recorded in the article's history
like any editor's change; the decision itself is recorded in the suggestion's history.

Near-duplicate decisions:
- retells: the article retells the other one (the other is its upstream);
- same origin: both tell one report, so the article retells the other's origin (the
  other itself when it is an original);
- unrelated: nothing changes, and the pair is not proposed again (in either direction).

Credit decisions: accepting "this article retells a report by X" links the article to a
report by X, either one the editor picks or a new non-archived record for X (we know of
the report, we do not hold its text); rejecting records that the credit is not the
article's upstream (a passing mention, or a source of one quote only: for that, set the
appearance's credited source instead).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from factcheck.intake.credits import Credit, credits_find
from factcheck.intake.duplicates import NearDuplicate, articles_rebuild_signatures, near_duplicates
from factcheck.models import (
    Article,
    DatePrecision,
    ProvenanceSuggestion,
    Relation,
    SuggestionKind,
    SuggestionStatus,
)
from factcheck.services.records import _require, article_save

DECIDE_PERMISSION = "factcheck.change_provenancesuggestion"

__all__ = [
    "DECIDE_PERMISSION",
    "article_suggestions_refresh",
    "articles_rebuild_signatures",
    "suggestion_accept",
    "suggestion_reject",
]


def _chain(article: Article) -> list[Article]:
    """The article and every report up its retelling chain."""
    chain, seen = [article], {article.pk}
    while chain[-1].retells_id is not None and chain[-1].retells_id not in seen:
        upstream = Article.objects.select_related("outlet").get(pk=chain[-1].retells_id)
        seen.add(upstream.pk)
        chain.append(upstream)
    return chain


@transaction.atomic
def article_suggestions_refresh(
    *,
    article: Article,
    near: list[NearDuplicate] | None = None,
    credits: list[Credit] | None = None,
) -> list[ProvenanceSuggestion]:
    """Find near-duplicates and credited sources of a saved article; store them as open
    suggestions and return the article's open suggestions.

    Idempotent: a pair or outlet already suggested (open or decided) is not stored again,
    a pair decided in either direction is not proposed again, and an open suggestion the
    text no longer supports (the text was corrected) is withdrawn. What the article's
    chain already says (same origin, a report by that outlet upstream) is not suggested.
    An importer that has looked them up already passes its `near` and `credits`.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    existing = ProvenanceSuggestion.objects.filter(article=article)
    chain = _chain(article)
    chain_outlets = {upstream.outlet_id for upstream in chain[1:] if upstream.outlet_id}
    origin_id = chain[-1].pk

    found_others: dict[int, tuple[float, list]] = {}
    if article.is_archived and article.text:
        if near is None:
            near = near_duplicates(article.text, language=article.language, exclude=article.pk)
        for duplicate in near:
            found_others[duplicate.article_id] = (duplicate.similarity, duplicate.shared)
    decided_pairs = set(
        ProvenanceSuggestion.objects.filter(kind=SuggestionKind.NEAR_DUPLICATE)
        .filter(
            Q(article=article, other_id__in=list(found_others))
            | Q(other=article, article_id__in=list(found_others))
        )
        .values_list("article_id", "other_id")
    )
    already = {other for pair in decided_pairs for other in pair} - {article.pk}
    origins = dict(Article.objects.filter(pk__in=list(found_others)).values_list("pk", "origin_id"))
    for other_id, (similarity, shared) in found_others.items():
        if other_id in already or (origins.get(other_id) or other_id) == origin_id:
            continue
        ProvenanceSuggestion.objects.create(
            article=article,
            kind=SuggestionKind.NEAR_DUPLICATE,
            other_id=other_id,
            similarity=similarity,
            shared=[
                {
                    "start": passage.start,
                    "end": passage.end,
                    "other_start": passage.other_start,
                    "other_end": passage.other_end,
                }
                for passage in shared
            ],
        )

    credited = {}
    if credits is None:
        credits = credits_find(article.text, language=article.language)
    for credit in credits:
        if credit.outlet is not None and credit.outlet.pk != article.outlet_id:
            credited.setdefault(credit.outlet.pk, credit)
    suggested_outlets = set(
        existing.filter(kind=SuggestionKind.CREDIT).values_list("outlet_id", flat=True)
    )
    for outlet_id, credit in credited.items():
        if outlet_id in suggested_outlets or outlet_id in chain_outlets:
            continue
        ProvenanceSuggestion.objects.create(
            article=article,
            kind=SuggestionKind.CREDIT,
            outlet=credit.outlet,
            name=credit.name,
            phrase=credit.phrase[:500],
            start=credit.start,
            end=credit.end,
        )

    # Withdraw what no longer holds: the text changed, or the chain now says it.
    same_origin = [pk for pk in found_others if (origins.get(pk) or pk) == origin_id]
    existing.open().filter(kind=SuggestionKind.NEAR_DUPLICATE).filter(
        ~Q(other_id__in=list(found_others)) | Q(other_id__in=same_origin)
    ).delete()
    existing.open().filter(kind=SuggestionKind.CREDIT).filter(
        ~Q(outlet_id__in=list(credited)) | Q(outlet_id__in=chain_outlets)
    ).delete()
    return list(existing.open().for_panel())


def _locked_open(suggestion: ProvenanceSuggestion, user) -> ProvenanceSuggestion:
    _require(user, DECIDE_PERMISSION)
    current = (
        ProvenanceSuggestion.objects.select_for_update(of=("self",))
        .select_related("article", "other", "outlet")
        .get(pk=suggestion.pk)
    )
    if not current.is_open:
        raise ValidationError(
            f"This suggestion was already {current.get_status_display().lower()} "
            f"by {current.decided_by or 'the system'}; nothing was changed."
        )
    return current


def _close(suggestion: ProvenanceSuggestion, *, status: str, user, relation: str = "") -> None:
    suggestion.status, suggestion.relation = status, relation
    suggestion.decided_by, suggestion.decided_at = user, timezone.now()
    suggestion._history_user = user
    suggestion.save()


def _upstream_for_credit(suggestion: ProvenanceSuggestion, *, upstream, user) -> Article:
    if upstream is not None:
        if upstream.outlet_id != suggestion.outlet_id:
            raise ValidationError(
                f"“{upstream}” is not a report by {suggestion.outlet}: pick one of its reports, "
                "or accept to record a new one."
            )
        return upstream
    # We know of the report from the credit alone: its title, date and URL are unknown.
    report = Article(
        outlet=suggestion.outlet,
        language=suggestion.outlet.language or suggestion.article.language,
        is_archived=False,
        date_precision=DatePrecision.UNKNOWN,
    )
    report._history_user = user
    return article_save(article=report, user=user)


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: ProvenanceSuggestion,
    user,
    relation: str = Relation.RETELLS,
    upstream: Article | None = None,
) -> ProvenanceSuggestion:
    """Apply a suggestion as the editor's decision; returns it, closed.

    For a near-duplicate, `relation` is retells or same origin (unrelated is a
    rejection). For a credit, `upstream` is the report by the credited outlet to link to;
    without it a new non-archived record for that outlet is created.
    """
    suggestion = _locked_open(suggestion, user)
    article = suggestion.article
    if suggestion.kind == SuggestionKind.NEAR_DUPLICATE:
        if relation == Relation.UNRELATED:
            return suggestion_reject(suggestion=suggestion, user=user)
        if relation not in (Relation.RETELLS, Relation.SAME_ORIGIN):
            raise ValidationError(f"Unknown relation “{relation}”.")
        other = suggestion.other
        target = other if relation == Relation.RETELLS else (other.origin or other)
        if target.pk == article.pk:
            raise ValidationError(
                "The other article already retells this one: they have the same origin."
            )
    else:
        relation = ""
        target = _upstream_for_credit(suggestion, upstream=upstream, user=user)
    article.retells = target
    article._history_user = user  # outside a request too (commands, tasks)
    article_save(article=article, user=user, expected_version=article.version)
    suggestion.upstream = target
    _close(suggestion, status=SuggestionStatus.ACCEPTED, user=user, relation=relation)
    return suggestion


@transaction.atomic
def suggestion_reject(*, suggestion: ProvenanceSuggestion, user) -> ProvenanceSuggestion:
    """Record that the suggestion does not hold; a near-duplicate pair becomes unrelated."""
    suggestion = _locked_open(suggestion, user)
    relation = Relation.UNRELATED if suggestion.kind == SuggestionKind.NEAR_DUPLICATE else ""
    _close(suggestion, status=SuggestionStatus.REJECTED, user=user, relation=relation)
    return suggestion
