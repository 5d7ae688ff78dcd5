"""Writes of editorial records: outlets, articles, claims, appearances, contradictions.

Each write runs in one transaction: it locks the rows it reads (so concurrent editors take
turns instead of overwriting each other), checks the version the editor's form was opened
at, validates, saves, and refreshes derived state once. Evidence of a public claim changed
by someone who may not publish is held for review instead (services.pending).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError

from factcheck import workflow
from factcheck.agreement import Agreement
from factcheck.intake.duplicates import signature_save
from factcheck.matching.index import match_documents_drop, match_documents_refresh
from factcheck.models import (
    AlertDecision,
    Appearance,
    Article,
    Claim,
    Claimant,
    ClaimSlugRedirect,
    Contradiction,
    Correction,
    EvidenceChange,
    EvidenceReview,
    Outlet,
    VerdictAlert,
)
from factcheck.selectors import claims_quoting_articles
from factcheck.services import anchors, pending
from factcheck.services.derived import (
    articles_refresh_origin,
    claims_lock,
    claims_refresh_agreement,
)

# --- Outlets and articles --------------------------------------------------------------


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def _require(user, permission: str) -> None:
    if user is not None and not user.has_perm(permission):
        raise PermissionDenied("You do not have permission to make this change.")


def _validate(record) -> None:
    """full_clean, without asking the database again about constraints a form just checked."""
    record.full_clean(validate_constraints=not getattr(record, "constraints_validated", False))


def _bump_version(record, current) -> None:
    record.version = current.version + 1 if current is not None else 1


@transaction.atomic
def _record_save(record, *, user, expected_version: int | None):
    """The write of a record nothing else derives from: lock, check, validate, save."""
    model = type(record)
    current = _locked(model, record.pk) if record.pk else None
    action = "change" if current else "add"
    _require(user, f"factcheck.{action}_{model._meta.model_name}")
    if current is not None:
        current.check_version(expected_version)
    _validate(record)
    _bump_version(record, current)
    record.save()
    return record


def outlet_save(*, outlet: Outlet, user=None, expected_version: int | None = None) -> Outlet:
    return _record_save(outlet, user=user, expected_version=expected_version)


@transaction.atomic
def article_save(*, article: Article, user=None, expected_version: int | None = None) -> Article:
    """Validate and save an article, re-anchor its quotes, and keep origins and agreement in step.

    A corrected text is never refused for its quotes: each is found again, moved, updated
    and flagged for a check, or orphaned and hidden from readers (services.anchors). The
    article's quotes are locked before the article, in evidence_save's order, so a quote
    being added or changed meanwhile is anchored in the text as it was (and re-anchored
    here) or in the new one. The agreement of claims whose counted quotes or retelling
    changed is refreshed once, and the evidence span of claims quoting it when its date
    changed. A new retelling link that would move the agreement of public claims waits
    for a Reviewer unless the user is one.
    """
    if article.pk:
        anchors.article_quotes_lock(article_id=article.pk)
    current = _locked(Article, article.pk) if article.pk else None
    _require(user, "factcheck.change_article" if current else "factcheck.add_article")
    if current is not None:
        current.check_version(expected_version)
    _validate(article)
    if current is not None and article.retells_id != current.retells_id:
        affected = pending.claims_public_affected_by_retelling(article=current)
        if affected and not workflow.may_skip_evidence_review(user):
            pending.retelling_hold(
                article=current,
                retells_id=article.retells_id,
                claim_ids=affected,
                user=user,
                # The rest of this save goes ahead: the change applies on top of that.
                based_on_version=current.version + 1,
            )
            article.retells_id = current.retells_id
    _bump_version(article, current)
    article.save()
    if (
        current is None
        or article.text != current.text
        or article.is_archived != current.is_archived
    ):
        # Near-duplicate lookups find it from now on.
        signature_save(article=article, new=current is None)
    recounted = set()
    if current is not None and article.text != current.text:
        recounted = anchors.article_quotes_reanchor(article=article, user=user).claims_recounted
    if current is not None and (current.language, current.text) != (article.language, article.text):
        # Quotes are read in their article's language, and may have been re-anchored.
        match_documents_refresh(claim_ids=claims_quoting_articles({article.pk}))
    changed = articles_refresh_origin(article=article)
    article.refresh_from_db(fields=["origin"])
    retold = claims_quoting_articles(changed) if changed else set()
    if retold or recounted:
        claims_lock(claim_ids=retold | recounted)
        before = _agreements(retold | recounted)
        claims_refresh_agreement(claim_ids=retold | recounted)
        retold_before = {pk: item for pk, item in before.items() if pk in retold}
        _record_evidence_review(before=retold_before, user=user, summary="a retelling link changed")
        # A quote lost to a correction can move a published verdict's agreement: that is
        # a Reviewer's question, asked by the usual alert.
        pending.claims_check_verdicts(before=before)
    if current is not None and (current.published_on, current.date_precision) != (
        article.published_on,
        article.date_precision,
    ):
        # The claims quoting it store its date in their evidence span; their agreement
        # does not move, so nothing waits for a Reviewer.
        redated = claims_quoting_articles({article.pk}) - retold - recounted
        claims_refresh_agreement(claim_ids=redated)
    return article


def _protected_error(record, error: ProtectedError) -> ValidationError:
    blockers = sorted({f"{obj._meta.verbose_name} “{obj}”" for obj in error.protected_objects})
    shown = "; ".join(blockers[:10]) + (
        f"; and {len(blockers) - 10} more" if len(blockers) > 10 else ""
    )
    return ValidationError(
        "“%(record)s” cannot be deleted while other records depend on it: %(blockers)s.",
        code="protected",
        params={"record": record, "blockers": shown},
    )


@transaction.atomic
def record_delete(*, record: Outlet | Article | Claimant, user=None) -> None:
    """Delete an outlet, article or claimant nothing depends on; history keeps a copy."""
    _require(user, f"factcheck.delete_{record._meta.model_name}")
    try:
        record.delete()
    except ProtectedError as error:
        raise _protected_error(record, error) from error


# --- Claims ------------------------------------------------------------------------------


def claimant_save(
    *, claimant: Claimant, user=None, expected_version: int | None = None
) -> Claimant:
    return _record_save(claimant, user=user, expected_version=expected_version)


@transaction.atomic
def claim_save(
    *, claim: Claim, user=None, expected_version: int | None = None, correction_note: str = ""
) -> Claim:
    """Validate and save a claim's editable fields, recording a public correction if due."""
    _validate(claim)
    if claim.pk is None:
        if user is not None:
            _require(user, "factcheck.add_claim")
            if claim.status != workflow.ReviewStatus.DRAFT:
                raise PermissionDenied("New claims start as drafts.")
            if claim.verdict != workflow.Verdict.UNRATED and not user.has_perm(
                workflow.VERDICT_PERMISSION
            ):
                raise PermissionDenied("Only reviewers may set a verdict.")
        claim.save()
        match_documents_refresh(claim_ids=[claim.pk])
        return claim

    current = _locked(Claim, claim.pk)
    _require(user, workflow.EDIT_PERMISSION)
    is_correction = workflow.claim_check_save(
        claim=claim,
        current=current,
        user=user,
        expected_version=expected_version,
        correction_note=correction_note,
    )
    update_fields = [*workflow.EDITABLE_FIELDS, "version", "updated_at"]
    if is_correction:
        Correction.objects.create(
            claim=current,
            note=correction_note.strip(),
            previous_statement=current.statement,
            new_statement=claim.statement,
            previous_verdict=current.verdict,
            new_verdict=claim.verdict,
            user=user,
        )
        if claim.verdict != current.verdict:
            # A changed verdict is the Reviewer's decision on the evidence as it now stands.
            workflow.snapshot_review(claim, user)
            update_fields += workflow.REVIEW_SNAPSHOT_FIELDS
            VerdictAlert.objects.open().filter(claim=current).update(
                closed_at=claim.reviewed_at,
                closed_by=user,
                decision=AlertDecision.CHANGED,
                note=correction_note.strip(),
            )
    claim.version = current.version + 1
    claim.save(update_fields=update_fields)
    _claim_slug_keep(claim=claim, previous=current)
    if (claim.statement, claim.context) != (current.statement, current.context):
        match_documents_refresh(claim_ids=[claim.pk])
    return claim


def _claim_slug_keep(*, claim: Claim, previous: Claim) -> None:
    """Keep a public claim's old address answering after its slug changes.

    Readers, search engines and other sites link to it. The old slug becomes a
    ClaimSlugRedirect (reserved: no other claim may take it); a claim taking back one of
    its own old slugs drops that redirect, since the slug is its live address again.
    """
    if previous.slug == claim.slug:
        return
    ClaimSlugRedirect.objects.filter(claim=claim, old_slug=claim.slug).delete()
    if previous.is_public or previous.reviewed_at is not None:
        ClaimSlugRedirect.objects.update_or_create(
            old_slug=previous.slug, defaults={"claim": claim}
        )


@transaction.atomic
def claim_delete(*, claim: Claim, user=None) -> None:
    """Only a claim readers never saw may be deleted; a published one is retracted."""
    _require(user, "factcheck.delete_claim")
    if workflow.claim_was_ever_published(claim):
        raise ValidationError("This claim has been published: retract it instead of deleting it.")
    match_documents_drop(claim_ids=[claim.pk])
    try:
        claim.delete()
    except ProtectedError as error:
        raise _protected_error(claim, error) from error


# --- Evidence: appearances ---------------------------------------------------------------


@dataclass
class EvidenceOutcome:
    applied: list[Appearance] = field(default_factory=list)
    deleted: list[Appearance] = field(default_factory=list)
    held: list[EvidenceChange] = field(default_factory=list)


def _agreements(claim_ids: Iterable[int]) -> dict[int, tuple[Claim, Agreement]]:
    """The stored agreement of the public claims among these, before a write changes it."""
    claims = Claim.objects.filter(pk__in=set(claim_ids)).public()
    return {claim.pk: (claim, Agreement.from_claim(claim)) for claim in claims}


def _record_evidence_review(*, before: dict, user, summary: str) -> None:
    """Evidence a Reviewer applied to a public claim goes into its public history."""
    if user is None or not before:
        return
    after = _agreements(before)
    EvidenceReview.objects.bulk_create(
        EvidenceReview(
            claim=claim,
            summary=summary,
            agreement_before=agreement.label,
            agreement_after=after[pk][1].label,
            user=user,
        )
        for pk, (claim, agreement) in before.items()
        if pk in after
    )


@transaction.atomic
def evidence_save(
    *,
    saves: Sequence[tuple[Appearance, int | None]] = (),
    deletions: Sequence[tuple[Appearance, int | None]] = (),
    user=None,
) -> EvidenceOutcome:
    """Add, change and delete appearances in one transaction; agreement refreshed once.

    `saves` and `deletions` pair each appearance with the version the editor's form was
    opened at (None: no check). Articles are locked before quotes are anchored in them,
    then the claims before their agreement is read.
    """
    existing_ids = [a.pk for a, _ in [*saves, *deletions] if a.pk is not None]
    current = {
        row.pk: row
        for row in Appearance.objects.select_for_update().filter(pk__in=existing_ids).order_by("pk")
    }
    article_ids = sorted({a.article_id for a, _ in saves})
    articles = {
        article.pk: article
        for article in Article.objects.select_for_update().filter(pk__in=article_ids).order_by("pk")
    }
    claim_ids = {a.claim_id for a, _ in saves} | {row.claim_id for row in current.values()}
    claims_lock(claim_ids=claim_ids)
    before = _agreements(claim_ids)
    skip_review = workflow.may_skip_evidence_review(user)
    outcome = EvidenceOutcome()
    applied_claims = set()

    for appearance, expected_version in saves:
        stored = current.get(appearance.pk)
        _require(user, "factcheck.change_appearance" if stored else "factcheck.add_appearance")
        if stored is not None:
            stored.check_version(expected_version)
        if appearance.article_id in articles:
            appearance.article = articles[appearance.article_id]  # the text as locked
        _validate(appearance)
        touched = {appearance.claim_id, stored.claim_id if stored else None}
        if not skip_review and touched & set(before):
            outcome.held.append(
                pending.appearance_hold(appearance=appearance, stored=stored, user=user)
            )
            continue
        _bump_version(appearance, stored)
        appearance.save()
        outcome.applied.append(appearance)
        applied_claims |= touched

    for appearance, expected_version in deletions:
        stored = current.get(appearance.pk)
        if stored is None:
            continue  # already gone: deleting it again changes nothing
        _require(user, "factcheck.delete_appearance")
        stored.check_version(expected_version)
        if not skip_review and stored.claim_id in before:
            outcome.held.append(pending.appearance_hold(appearance=None, stored=stored, user=user))
            continue
        stored.delete()
        outcome.deleted.append(stored)
        applied_claims.add(stored.claim_id)

    claims_refresh_agreement(claim_ids=applied_claims)
    match_documents_refresh(claim_ids=applied_claims)
    reviewed = {pk: item for pk, item in before.items() if pk in applied_claims}
    _record_evidence_review(before=reviewed, user=user, summary=_summary(outcome))
    pending.claims_check_verdicts(before=before)
    return outcome


def _summary(outcome: EvidenceOutcome) -> str:
    added = sum(1 for a in outcome.applied if a.version == 1)
    changed = len(outcome.applied) - added
    parts = [
        (added, "quote added", "quotes added"),
        (changed, "quote changed", "quotes changed"),
        (len(outcome.deleted), "quote removed", "quotes removed"),
    ]
    return ", ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n) or "no change"


def appearance_save(
    *, appearance: Appearance, user=None, expected_version: int | None = None
) -> Appearance:
    """Save one appearance (or hold it for review): see evidence_save."""
    evidence_save(saves=[(appearance, expected_version)], user=user)
    return appearance


def appearance_delete(
    *, appearance: Appearance, user=None, expected_version: int | None = None
) -> EvidenceOutcome:
    return evidence_save(deletions=[(appearance, expected_version)], user=user)


def appearances_delete(*, appearances: Iterable[Appearance], user=None) -> EvidenceOutcome:
    return evidence_save(deletions=[(appearance, None) for appearance in appearances], user=user)


# --- Contradictions ----------------------------------------------------------------------


def contradiction_save(
    *, contradiction: Contradiction, user=None, expected_version: int | None = None
) -> Contradiction:
    return _record_save(contradiction, user=user, expected_version=expected_version)
