"""The review workflow: who may move a claim between states, edit it, and correct it in public.

Services here take the acting user. A user of None is the system itself (fixtures,
management commands, data generators) and is not permission-checked; every request path
passes the request's user. Saving a claim's fields is services.claim_save, which asks
claim_check_save here what the workflow allows.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from factcheck.models import (
    AlertDecision,
    Claim,
    ClaimTransition,
    ReviewStatus,
    Verdict,
    VerdictAlert,
)
from factcheck.models.base import ConcurrentEdit

PUBLISH_PERMISSION = "factcheck.publish_claim"
VERDICT_PERMISSION = "factcheck.set_verdict"
EDIT_PERMISSION = "factcheck.change_claim"

# Fields readers see: once a claim is public, only reviewers may change them.
PUBLIC_FIELDS = [
    "statement",
    "statement_it",
    "slug",
    "context",
    "context_it",
    "claimant",
    "verdict",
    "verdict_summary",
    "verdict_summary_it",
]
VERDICT_FIELDS = ["verdict", "verdict_summary", "verdict_summary_it"]


__all__ = ["ConcurrentEdit"]


def may_skip_evidence_review(user) -> bool:
    """Reviewers' (and the system's) evidence changes apply at once; others wait for one."""
    return user is None or user.has_perm(PUBLISH_PERMISSION)


def claim_was_ever_published(claim: Claim) -> bool:
    return claim.status in (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED) or (
        claim.pk is not None
        and ClaimTransition.objects.filter(claim=claim, to_status=ReviewStatus.PUBLISHED).exists()
    )


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    source: str
    target: str
    permission: str
    note_required: bool = False


TRANSITIONS = [
    Transition(
        "submit", "Submit for review", ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW, EDIT_PERMISSION
    ),
    Transition(
        "return_to_draft",
        "Return to draft",
        ReviewStatus.IN_REVIEW,
        ReviewStatus.DRAFT,
        EDIT_PERMISSION,
    ),
    Transition(
        "publish", "Publish", ReviewStatus.IN_REVIEW, ReviewStatus.PUBLISHED, PUBLISH_PERMISSION
    ),
    Transition(
        "retract",
        "Retract",
        ReviewStatus.PUBLISHED,
        ReviewStatus.RETRACTED,
        PUBLISH_PERMISSION,
        note_required=True,
    ),
    Transition(
        "reopen",
        "Reopen for review",
        ReviewStatus.RETRACTED,
        ReviewStatus.IN_REVIEW,
        PUBLISH_PERMISSION,
    ),
]
TRANSITIONS_BY_NAME = {transition.name: transition for transition in TRANSITIONS}


def transitions_available(*, claim: Claim, user) -> list[Transition]:
    return [
        transition
        for transition in TRANSITIONS
        if transition.source == claim.status and user.has_perm(transition.permission)
    ]


def claim_fields_locked_for(*, claim: Claim, user) -> list[str]:
    """Fields this user may not change on this claim (the admin shows them read-only)."""
    locked = []
    if not user.has_perm(VERDICT_PERMISSION):
        locked += VERDICT_FIELDS
    if claim.status in (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED) and not user.has_perm(
        PUBLISH_PERMISSION
    ):
        locked += [field for field in PUBLIC_FIELDS if field not in locked]
    return locked


REVIEW_SNAPSHOT_FIELDS = [
    "reviewed_at",
    "reviewed_by",
    "reviewed_agreement_label",
    "reviewed_agreement_score",
]


def snapshot_review(claim: Claim, user) -> None:
    claim.reviewed_at = timezone.now()
    claim.reviewed_by = user
    claim.reviewed_agreement_label = claim.agreement_label
    claim.reviewed_agreement_score = claim.agreement_score


@transaction.atomic
def claim_transition(*, claim: Claim, name: str, user, note: str = "") -> ClaimTransition:
    transition = TRANSITIONS_BY_NAME.get(name)
    if transition is None:
        raise ValidationError(f"Unknown review step “{name}”.")
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if current.status != transition.source:
        raise ValidationError(
            f"“{transition.label}” needs a claim that is {ReviewStatus(transition.source).label.lower()}; "
            f"this one is {current.get_status_display().lower()}."
        )
    if user is not None and not user.has_perm(transition.permission):
        raise PermissionDenied(f"You may not {transition.label.lower()} claims.")
    note = note.strip()
    if transition.note_required and not note:
        raise ValidationError({"note": f"{transition.label} needs a public note explaining why."})
    if transition.target == ReviewStatus.PUBLISHED and current.verdict == Verdict.UNRATED:
        raise ValidationError("Set a verdict before publishing the claim.")

    current.status = transition.target
    changed = ["status", "version", "updated_at"]
    if transition.target == ReviewStatus.PUBLISHED:
        snapshot_review(current, user)
        changed += [
            "reviewed_at",
            "reviewed_by",
            "reviewed_agreement_label",
            "reviewed_agreement_score",
        ]
    if transition.target == ReviewStatus.RETRACTED:
        current.retraction_note = note
        changed.append("retraction_note")
    current.version += 1
    current.save(update_fields=changed)
    claim.refresh_from_db()
    return ClaimTransition.objects.create(
        claim=current,
        from_status=transition.source,
        to_status=transition.target,
        verdict=current.verdict,
        note=note,
        user=user,
    )


@transaction.atomic
def claim_mark_reviewed(*, claim: Claim, user, note: str = "") -> ClaimTransition:
    """A reviewer signs off a published claim again after its evidence changed."""
    if user is not None and not user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied("Only reviewers may sign off published claims.")
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if current.status != ReviewStatus.PUBLISHED:
        raise ValidationError("Only published claims are re-reviewed.")
    snapshot_review(current, user)
    current.version += 1
    current.save(
        update_fields=[
            "reviewed_at",
            "reviewed_by",
            "reviewed_agreement_label",
            "reviewed_agreement_score",
            "version",
            "updated_at",
        ]
    )
    claim.refresh_from_db()
    # Signing off is the Reviewer's decision on an open alert: the verdict stands.
    VerdictAlert.objects.open().filter(claim=current).update(
        closed_at=current.reviewed_at,
        closed_by=user,
        decision=AlertDecision.KEPT,
        note=note.strip() or "The verdict stands after the new reporting was reviewed.",
    )
    return ClaimTransition.objects.create(
        claim=current,
        from_status=current.status,
        to_status=current.status,
        verdict=current.verdict,
        note=note or "Signed off again after the evidence changed.",
        user=user,
    )


EDITABLE_FIELDS = [
    field.name
    for field in Claim._meta.concrete_fields
    if field.editable and not field.primary_key and field.name != "status"
]


def claim_check_save(
    *,
    claim: Claim,
    current: Claim,
    user,
    expected_version: int | None = None,
    correction_note: str = "",
) -> bool:
    """Refuse a save that the workflow forbids; say whether it is a public correction.

    `claim` carries the new values, `current` the row as stored. Refused: a save based on
    an outdated copy (someone saved in between), a status change outside a review step, a
    change the user may not make, a public change to a published claim with no note.
    """
    current.check_version(expected_version)
    if claim.status != current.status:
        raise ValidationError("Change the review status through a review step, not by editing.")
    if user is not None:
        locked = set(claim_fields_locked_for(claim=current, user=user))
        refused = [
            name
            for name in PUBLIC_FIELDS
            if name in locked and getattr(claim, name) != getattr(current, name)
        ]
        if refused:
            raise PermissionDenied(f"You may not change: {', '.join(refused)}.")
    is_correction = current.is_public and (
        claim.statement != current.statement or claim.verdict != current.verdict
    )
    if is_correction and not correction_note.strip():
        raise ValidationError(
            {
                "correction_note": "This claim is public: explain the change of statement "
                "or verdict to readers in a correction note."
            }
        )
    return is_correction
