"""A Reviewer's decision on the evidence held for one claim: accept it, or reject it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from factcheck import workflow
from factcheck.models import (
    AlertDecision,
    Appearance,
    Article,
    ChangeKind,
    ChangeStatus,
    Claim,
    EvidenceChange,
    VerdictAlert,
)
from factcheck.services.records import article_save, evidence_save


def _require_reviewer(user) -> None:
    if user is not None and not user.has_perm(workflow.PUBLISH_PERMISSION):
        raise PermissionDenied("Only Reviewers may accept or reject evidence.")


def _pending_for(claim: Claim, change_ids) -> list[EvidenceChange]:
    changes = (
        EvidenceChange.objects.select_for_update(of=("self",))
        .filter(claims=claim, status=ChangeStatus.PENDING)
        .order_by("created_at", "pk")
    )
    if change_ids is not None:
        changes = changes.filter(pk__in=list(change_ids))
    changes = list(changes)
    if not changes:
        raise ValidationError("There is no pending evidence to decide on for this claim.")
    return changes


def _decide(changes: list[EvidenceChange], *, status: str, user, note: str) -> None:
    now = timezone.now()
    for change in changes:
        change.status, change.decided_by, change.decided_at = status, user, now
        change.decision_note = note
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def _stored_appearance(change: EvidenceChange) -> Appearance:
    if change.appearance_id is None:
        raise ValidationError(
            f"{change.get_kind_display()} (#{change.pk}) concerns an appearance that has since "
            "been deleted: reject it."
        )
    return Appearance.objects.get(pk=change.appearance_id)


@transaction.atomic
def evidence_accept(*, claim: Claim, user, change_ids=None, note: str = "") -> list:
    """Apply the held changes (default: all of the claim's) as the Reviewer's own edits.

    They then go through the same writes as any Reviewer's change: anchored against the
    article text as it is now, version-checked against the row they were proposed on,
    recorded in the claim's public history, and checked against the verdict.
    """
    _require_reviewer(user)
    changes = _pending_for(claim, change_ids)
    saves, deletions = [], []
    for change in changes:
        if change.kind == ChangeKind.ADD:
            saves.append((Appearance(**change.proposed), None))
        elif change.kind == ChangeKind.CHANGE:
            appearance = _stored_appearance(change)
            for name, value in change.proposed.items():
                setattr(appearance, name, value)
            saves.append((appearance, change.based_on_version))
        elif change.kind == ChangeKind.REMOVE:
            deletions.append((_stored_appearance(change), change.based_on_version))
    if saves or deletions:
        evidence_save(saves=saves, deletions=deletions, user=user)
    for change in changes:
        if change.kind == ChangeKind.RETELLS:
            article = Article.objects.get(pk=change.article_id)
            article.retells_id = change.proposed["retells_id"]
            article_save(article=article, user=user, expected_version=change.based_on_version)
    _decide(changes, status=ChangeStatus.ACCEPTED, user=user, note=note.strip())
    return changes


@transaction.atomic
def evidence_reject(*, claim: Claim, user, change_ids=None, note: str = "") -> list:
    """Discard held changes. With nothing left to review, an open alert closes: the
    verdict stands on the evidence as reviewed."""
    _require_reviewer(user)
    changes = _pending_for(claim, change_ids)
    _decide(changes, status=ChangeStatus.REJECTED, user=user, note=note.strip())
    stored = Claim.objects.get(pk=claim.pk)
    if (
        not stored.evidence_changes.pending().exists()
        and stored.agreement_label == stored.reviewed_agreement_label
    ):
        VerdictAlert.objects.open().filter(claim=stored).update(
            closed_at=timezone.now(),
            closed_by=user,
            decision=AlertDecision.KEPT,
            note=note.strip() or "The new reporting was not accepted; the verdict stands.",
        )
    return changes
