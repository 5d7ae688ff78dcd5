"""Deciding on held evidence: only the claim's own pending changes, what a held change
records, what a held retelling link would do to agreement, and the refusals in full."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError

from factcheck import services
from factcheck.models import (
    AgreementLabel,
    Appearance,
    Article,
    ChangeStatus,
    EvidenceChange,
    Stance,
)
from factcheck.services import pending
from factcheck.tests.factories import AppearanceFactory, ArticleFactory
from factcheck.tests.test_evidence_review import an_editor, published_true_claim


def a_reviewer() -> User:
    number = User.objects.count()
    user = User.objects.create_user(f"reviewer-{number}", "", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Reviewer"))
    return user


def hold_stance_change(claim, editor, stance=Stance.QUALIFIES) -> EvidenceChange:
    appearance = Appearance.objects.get(claim=claim)
    appearance.stance = stance
    services.appearance_save(appearance=appearance, user=editor)
    return EvidenceChange.objects.filter(claims=claim).get()


def test_held_change_records_who_proposed_it_and_both_versions_of_the_row():
    claim = published_true_claim()
    stored = Appearance.objects.get(claim=claim)
    editor = an_editor()
    change = hold_stance_change(claim, editor)
    assert change.proposed_by == editor
    assert change.previous == pending.appearance_values(stored)
    assert change.previous["stance"] == Stance.SUPPORTS
    assert change.proposed["stance"] == Stance.QUALIFIES
    assert change.based_on_version == stored.version


def test_accepting_one_claims_evidence_leaves_another_claims_pending():
    first, second = published_true_claim(), published_true_claim()
    editor = an_editor()
    mine = hold_stance_change(first, editor)
    other = hold_stance_change(second, editor)

    services.evidence_accept(claim=first, user=a_reviewer())

    assert EvidenceChange.objects.get(pk=mine.pk).status == ChangeStatus.ACCEPTED
    assert EvidenceChange.objects.get(pk=other.pk).status == ChangeStatus.PENDING
    assert Appearance.objects.get(claim=second).stance == Stance.SUPPORTS


def test_a_decided_change_cannot_be_decided_again():
    claim = published_true_claim()
    hold_stance_change(claim, an_editor())
    reviewer = a_reviewer()
    services.evidence_reject(claim=claim, user=reviewer)
    with pytest.raises(ValidationError) as error:
        services.evidence_accept(claim=claim, user=reviewer)
    assert error.value.messages == ["There is no pending evidence to decide on for this claim."]
    assert Appearance.objects.get(claim=claim).stance == Stance.SUPPORTS


def test_an_editor_is_told_only_reviewers_decide():
    claim = published_true_claim()
    hold_stance_change(claim, an_editor())
    with pytest.raises(PermissionDenied) as error:
        services.evidence_accept(claim=claim, user=an_editor())
    assert str(error.value) == "Only Reviewers may accept or reject evidence."


def test_accepting_a_change_to_an_appearance_deleted_since_says_to_reject_it():
    claim = published_true_claim()
    change = hold_stance_change(claim, an_editor())
    reviewer = a_reviewer()
    services.appearance_delete(appearance=Appearance.objects.get(claim=claim), user=reviewer)
    with pytest.raises(ValidationError) as error:
        services.evidence_accept(claim=claim, user=reviewer)
    assert error.value.messages == [
        f"{change.get_kind_display()} (#{change.pk}) concerns an appearance that has since been deleted: reject it."
    ]
    assert change.get_kind_display() == "Appearance changed"


def test_agreement_if_accepted_follows_a_held_link_to_a_retelling():
    # Two independent origins corroborate the claim. An Editor proposes that the second
    # article retells a retelling of the first: once accepted, one origin is left.
    claim = published_true_claim()
    first = Article.objects.get(pk=claim.appearances.get().article_id)
    second = ArticleFactory()
    AppearanceFactory(claim=claim, article=second)
    retelling_of_first = ArticleFactory(retells=first)
    claim.refresh_from_db()
    assert claim.agreement_label == AgreementLabel.CORROBORATED

    second.retells = retelling_of_first
    services.article_save(article=second, user=an_editor(), expected_version=second.version)
    assert Article.objects.get(pk=second.pk).retells_id is None

    claim.refresh_from_db()
    assert claim.agreement_label == AgreementLabel.CORROBORATED  # nothing applied yet
    if_accepted = pending.claim_agreement_if_accepted(claim=claim)
    assert (if_accepted.supporting, if_accepted.origins) == (1, 1)
    assert if_accepted.label == AgreementLabel.SINGLE_ORIGIN
