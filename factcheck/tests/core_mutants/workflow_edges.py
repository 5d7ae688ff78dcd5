"""Review steps offered, deletion of claims that were only ever drafts, the refusals of a
save in full, and the agreement breakdown's grouping and order."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError

from factcheck import services, workflow
from factcheck.agreement import claim_agreement_breakdown
from factcheck.models import Claim, ReviewStatus, Stance, Verdict
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory


def user_in(group: str | None) -> User:
    number = User.objects.count()
    user = User.objects.create_user(f"user-{number}", "", "pw", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def test_steps_offered_are_those_from_the_claims_status_the_user_may_take():
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW, verdict=Verdict.TRUE)
    offered = {
        role: [t.name for t in workflow.transitions_available(claim=claim, user=user_in(role))]
        for role in ("Editor", "Reviewer", None)
    }
    assert offered == {
        "Editor": ["return_to_draft"],
        "Reviewer": ["return_to_draft", "publish"],
        None: [],
    }


def test_a_claim_submitted_and_returned_to_draft_may_still_be_deleted():
    claim = ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED)
    workflow.claim_transition(claim=claim, name="submit", user=None)
    workflow.claim_transition(claim=claim, name="return_to_draft", user=None)
    assert not workflow.claim_was_ever_published(claim)
    services.claim_delete(claim=claim)
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_a_claim_once_published_then_reopened_may_not_be_deleted():
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW, verdict=Verdict.TRUE)
    for step, note in [("publish", ""), ("retract", "Wrong source"), ("reopen", "")]:
        workflow.claim_transition(claim=claim, name=step, user=None, note=note)
    assert claim.status == ReviewStatus.IN_REVIEW
    assert workflow.claim_was_ever_published(claim)


def test_status_edit_is_refused_with_the_reason():
    claim = ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED)
    edited = Claim.objects.get(pk=claim.pk)
    edited.status = ReviewStatus.IN_REVIEW
    with pytest.raises(ValidationError) as error:
        services.claim_save(claim=edited)
    assert error.value.messages == [
        "Change the review status through a review step, not by editing."
    ]


def test_locked_fields_are_named_in_the_refusal():
    claim = ClaimFactory()
    edited = Claim.objects.get(pk=claim.pk)
    edited.statement = "A new wording"
    edited.verdict = Verdict.FALSE
    with pytest.raises(PermissionDenied) as error:
        services.claim_save(claim=edited, user=user_in("Editor"), correction_note="Why")
    assert str(error.value) == "You may not change: statement, verdict."


def test_public_change_without_a_note_is_refused_on_the_note_field():
    claim = ClaimFactory()
    edited = Claim.objects.get(pk=claim.pk)
    edited.statement = "A new wording"
    current = Claim.objects.get(pk=claim.pk)
    # The check itself, called without a note, refuses too: no default note slips through.
    with pytest.raises(ValidationError) as error:
        workflow.claim_check_save(claim=edited, current=current, user=None)
    assert error.value.message_dict == {
        "correction_note": [
            "This claim is public: explain the change of statement or verdict to readers "
            "in a correction note."
        ]
    }


def test_breakdown_groups_by_origin_with_the_best_attested_first(upstream_report, retellings):
    claim = ClaimFactory()
    lone = ArticleFactory()
    AppearanceFactory(claim=claim, article=lone, stance=Stance.REFUTES)
    for article in retellings[:2]:
        AppearanceFactory(claim=claim, article=article, stance=Stance.SUPPORTS)
    claim.refresh_from_db()
    appearances = claim.appearances.select_related("article__origin")

    breakdown = claim_agreement_breakdown(claim=claim, appearances=appearances)

    assert [item.origin.pk for item in breakdown.origins] == [upstream_report.pk, lone.pk]
    assert [len(item.appearances) for item in breakdown.origins] == [2, 1]
    supporting = breakdown.origins_with_stance(Stance.SUPPORTS)
    assert [item.origin.pk for item in supporting] == [upstream_report.pk]
    assert [item.origin.pk for item in breakdown.origins_with_stance(Stance.REFUTES)] == [lone.pk]
    assert breakdown.origins_with_stance(Stance.QUALIFIES) == []
