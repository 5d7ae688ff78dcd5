"""Editorial workflow: roles, review steps, history, corrections, concurrent editing."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import (
    AgreementLabel,
    Appearance,
    Claim,
    ClaimTransition,
    Correction,
    ReviewStatus,
    Stance,
)
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    ContradictionFactory,
)
from factcheck.tests.roles import client_for, make_user

pytestmark = pytest.mark.django_db


def claim_url(view, *args):
    return reverse(f"admin:factcheck_claim_{view}", args=args)


# --- Review steps --------------------------------------------------------------------


def test_review_steps_are_recorded_with_user_and_time():
    reviewer = make_user("reviewer")
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    for step in ("submit", "publish", "retract"):
        workflow.claim_transition(claim=claim, name=step, user=reviewer, note=f"{step} note")
    steps = list(claim.transitions.values_list("from_status", "to_status", "user__username"))
    assert steps == [
        ("draft", "in_review", "reviewer"),
        ("in_review", "published", "reviewer"),
        ("published", "retracted", "reviewer"),
    ]
    claim.refresh_from_db()
    assert claim.retraction_note == "retract note"
    assert claim.reviewed_by == reviewer and claim.reviewed_at is not None


def test_retraction_needs_a_public_note_and_a_skipped_step_is_refused():
    reviewer = make_user("reviewer")
    with pytest.raises(ValidationError, match="public note"):
        workflow.claim_transition(claim=ClaimFactory(), name="retract", user=reviewer)
    with pytest.raises(ValidationError, match="needs a claim that is in review"):
        workflow.claim_transition(claim=ClaimFactory(status="draft"), name="publish", user=reviewer)
    with pytest.raises(ValidationError, match="Set a verdict"):
        workflow.claim_transition(
            claim=ClaimFactory(status="in_review", verdict="unrated"), name="publish", user=reviewer
        )


def test_editor_cannot_publish_even_calling_the_service():
    with pytest.raises(PermissionDenied):
        workflow.claim_transition(
            claim=ClaimFactory(status="in_review"), name="publish", user=make_user("editor")
        )


def test_status_cannot_be_changed_by_editing():
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    claim.status = ReviewStatus.PUBLISHED
    with pytest.raises(ValidationError, match="review step"):
        services.claim_save(claim=claim, user=make_user("reviewer"))


def test_review_queue_lists_what_needs_attention(admin_client):
    waiting = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    published = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    AppearanceFactory(claim=published)
    workflow.claim_transition(claim=published, name="publish", user=None)
    settled = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    workflow.claim_transition(claim=settled, name="publish", user=None)
    contradiction = ContradictionFactory()
    assert not Claim.objects.agreement_changed_since_review().exists()

    AppearanceFactory(claim=published, stance=Stance.REFUTES)  # evidence moves after review

    body = admin_client.get(claim_url("review_queue")).content.decode()
    assert waiting.statement in body
    assert published.statement in body
    assert settled.statement not in body
    assert str(contradiction.claim_a) in body
    assert list(Claim.objects.agreement_changed_since_review()) == [published]

    admin_client.post(
        claim_url("changelist"), {"action": "mark_reviewed", "_selected_action": [published.pk]}
    )
    assert not Claim.objects.agreement_changed_since_review().exists()


# --- History -------------------------------------------------------------------------


def test_every_change_including_inline_appearances_is_recorded_with_the_user():
    reviewer = make_user("reviewer")
    client = Client()
    client.force_login(reviewer)
    appearance = AppearanceFactory(stance=Stance.SUPPORTS)
    claim = appearance.claim
    url = claim_url("change", claim.pk)
    data = change_form_data(
        client,
        url,
        context="Added context.",
        **{"appearances-0-stance": Stance.REFUTES},
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]

    assert claim.history.latest().history_user == reviewer
    assert claim.history.latest().context == "Added context."
    latest_appearance = appearance.history.latest()
    assert latest_appearance.history_user == reviewer
    assert latest_appearance.stance == Stance.REFUTES
    assert Claim.objects.get(pk=claim.pk).agreement_label == AgreementLabel.REFUTED
    history_page = client.get(claim_url("history", claim.pk)).content.decode()
    assert "reviewer" in history_page and "context" in history_page


def test_reverting_an_appearance_restores_it_and_recomputes_agreement(admin_client):
    appearance = AppearanceFactory(stance=Stance.SUPPORTS)
    original = appearance.history.latest()
    appearance.stance = Stance.REFUTES
    services.appearance_save(appearance=appearance)
    assert Claim.objects.get(pk=appearance.claim_id).agreement_label == AgreementLabel.REFUTED

    url = reverse(
        "admin:factcheck_appearance_simple_history", args=[appearance.pk, original.history_id]
    )
    response = admin_client.post(url, change_form_data(admin_client, url))
    assert response.status_code == 302, response.context["errors"]

    assert Appearance.objects.get(pk=appearance.pk).stance == Stance.SUPPORTS
    assert Claim.objects.get(pk=appearance.claim_id).agreement_label == AgreementLabel.SINGLE_ORIGIN


def test_reverting_a_claim_restores_its_fields_and_keeps_its_agreement(admin_client):
    appearance = AppearanceFactory()
    claim = Claim.objects.get(pk=appearance.claim_id)
    claim.status = ReviewStatus.DRAFT
    Claim.objects.filter(pk=claim.pk).update(status=ReviewStatus.DRAFT)
    original = claim.history.earliest()
    claim.context = "A later, worse context."
    services.claim_save(claim=claim)

    url = reverse("admin:factcheck_claim_simple_history", args=[claim.pk, original.history_id])
    response = admin_client.post(url, change_form_data(admin_client, url))
    assert response.status_code == 302, response.context["errors"]

    reverted = Claim.objects.get(pk=claim.pk)
    assert reverted.context == original.context
    assert reverted.agreement_label == AgreementLabel.SINGLE_ORIGIN
    assert reverted.appearance_count == 1


# --- Corrections ---------------------------------------------------------------------


def test_public_change_to_a_published_claim_needs_a_correction_note():
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED, verdict="true")
    claim.verdict = "false"
    with pytest.raises(ValidationError, match="correction note"):
        services.claim_save(claim=claim, user=None)
    services.claim_save(claim=claim, user=None, correction_note="The source was misread.")
    correction = Correction.objects.get(claim=claim)
    assert (correction.previous_verdict, correction.new_verdict) == ("true", "false")
    assert correction.note == "The source was misread."


def test_editing_a_draft_records_no_correction():
    claim = ClaimFactory(status=ReviewStatus.DRAFT, verdict="true")
    claim.verdict = "false"
    services.claim_save(claim=claim)
    assert not Correction.objects.exists()


# --- Concurrent editing --------------------------------------------------------------


def test_second_of_two_editors_is_refused_and_loses_nothing():
    claim = ClaimFactory(status=ReviewStatus.DRAFT, context="Original context.")
    url = claim_url("change", claim.pk)
    first, second = client_for("editor"), Client()
    second.force_login(User.objects.create_user("second", is_staff=True))
    User.objects.get(username="second").groups.add(Group.objects.get(name="Editor"))
    first_form = change_form_data(first, url, context="First editor's context.")
    second_form = change_form_data(second, url, statement="Second editor's statement")

    assert first.post(url, first_form).status_code == 302
    response = second.post(url, second_form)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this claim" in body
    assert "Second editor&#x27;s statement" in body  # their input is still in the form
    stored = Claim.objects.get(pk=claim.pk)
    assert stored.context == "First editor's context."
    assert stored.statement == claim.statement
    assert stored.version == 2


def test_service_refuses_a_save_from_an_outdated_copy():
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    mine, theirs = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
    theirs.context = "Theirs"
    services.claim_save(claim=theirs, expected_version=theirs.version)
    mine.context = "Mine"
    with pytest.raises(workflow.ConcurrentEdit):
        services.claim_save(claim=mine, expected_version=mine.version)
    assert Claim.objects.get(pk=claim.pk).context == "Theirs"


def test_a_review_step_taken_meanwhile_also_invalidates_an_open_form():
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    editor = client_for("editor")
    url = claim_url("change", claim.pk)
    form = change_form_data(editor, url, context="Edited")
    workflow.claim_transition(claim=claim, name="submit", user=None)
    response = editor.post(url, form)
    assert response.status_code == 200
    assert "Someone else saved this claim" in response.content.decode()
    assert ClaimTransition.objects.filter(claim=claim).count() == 1


def test_roles_exist_with_exactly_their_permissions():
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    reviewer = set(
        Group.objects.get(name="Reviewer").permissions.values_list("codename", flat=True)
    )
    # Besides publishing and verdicts, Reviewers alone edit the organisation's own pages
    # (corrections policy, funding, contact: flatpages), which speak for the newsroom.
    assert reviewer - editor == {"publish_claim", "set_verdict", "change_flatpage", "view_flatpage"}
    assert {"change_claim", "add_appearance", "delete_contradiction", "view_outlet"} <= editor
    assert not {perm for perm in editor if perm.startswith(("publish", "set_verdict"))}
