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
    Contradiction,
    Correction,
    Outlet,
    ReviewStatus,
    Stance,
)
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    ContradictionFactory,
)
from factcheck.tests.roles import EDITORS, EVERYONE, NOBODY, REVIEWERS, ROLES, client_for, make_user

pytestmark = pytest.mark.django_db


def claim_url(view, *args):
    return reverse(f"admin:factcheck_claim_{view}", args=args)


def review_step(client, claim, step, note=""):
    client.post(claim_url("review_step", claim.pk, step), {"note": note})
    return Claim.objects.get(pk=claim.pk).status


# --- Permission matrix ---------------------------------------------------------------
# Each action returns True when the user got it done (or saw the page), False otherwise.


def sees_claims_in_admin_index(client):
    response = client.get(reverse("admin:index"))
    return response.status_code == 200 and claim_url("changelist") in response.content.decode()


def opens_claim_list(client):
    return client.get(claim_url("changelist")).status_code == 200


def adds_a_claim(client):
    url = claim_url("add")
    if client.get(url).status_code != 200:
        return False
    client.post(
        url,
        change_form_data(
            client, url, statement="A new checkable statement", slug="a-new-checkable-statement"
        ),
    )
    return Claim.objects.filter(slug="a-new-checkable-statement").exists()


def edit(client, claim, **changes):
    url = claim_url("change", claim.pk)
    if client.get(url).status_code != 200:
        return False
    client.post(url, change_form_data(client, url, **changes))
    stored = Claim.objects.get(pk=claim.pk)
    return all(
        getattr(stored, name) == value
        for name, value in changes.items()
        if name != "correction_note"
    )


def edits_a_draft(client):
    return edit(client, ClaimFactory(status=ReviewStatus.DRAFT), context="Background added.")


def sets_a_verdict(client):
    return edit(client, ClaimFactory(status=ReviewStatus.DRAFT, verdict="unrated"), verdict="false")


def submits_for_review(client):
    return review_step(client, ClaimFactory(status=ReviewStatus.DRAFT), "submit") == "in_review"


def returns_to_draft(client):
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    return review_step(client, claim, "return_to_draft") == "draft"


def publishes(client):
    return (
        review_step(client, ClaimFactory(status=ReviewStatus.IN_REVIEW), "publish") == "published"
    )


def publishes_from_the_list(client):
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    client.post(claim_url("changelist"), {"action": "publish", "_selected_action": [claim.pk]})
    return Claim.objects.get(pk=claim.pk).status == ReviewStatus.PUBLISHED


def retracts(client):
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED)
    return review_step(client, claim, "retract", note="The source withdrew it.") == "retracted"


def reopens(client):
    claim = ClaimFactory(status=ReviewStatus.RETRACTED)
    return review_step(client, claim, "reopen") == "in_review"


def corrects_a_published_claim(client):
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED, verdict="true")
    return edit(client, claim, verdict="mixed", correction_note="New reporting qualifies it.")


def deletes_a_published_claim(client):
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED)
    client.post(claim_url("delete", claim.pk), {"post": "yes"})
    return not Claim.objects.filter(pk=claim.pk).exists()


def opens_claim_history(client):
    return client.get(claim_url("history", ClaimFactory().pk)).status_code == 200


def opens_review_queue(client):
    return client.get(claim_url("review_queue")).status_code == 200


def adds_an_outlet(client):
    client.post(
        reverse("admin:factcheck_outlet_add"),
        {"name": "Il Foglio", "slug": "il-foglio", "kind": "newspaper"},
    )
    return Outlet.objects.filter(slug="il-foglio").exists()


def adds_a_contradiction(client):
    first, second = ClaimFactory(), ClaimFactory()
    client.post(
        reverse("admin:factcheck_contradiction_add"),
        {
            "claim_a": first.pk,
            "claim_b": second.pk,
            "kind": "direct",
            "status": "open",
            "explanation": "x",
        },
    )
    return Contradiction.objects.filter(claim_a=first).exists()


def reads_a_published_claim(client):
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED)
    return client.get(claim.get_absolute_url()).status_code == 200


def reads_the_home_page(client):
    return client.get(reverse("factcheck:home")).status_code == 200


def is_shown_a_claim_in_review(client):
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    return client.get(claim.get_absolute_url()).status_code != 404


def is_shown_a_draft(client):
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    return client.get(claim.get_absolute_url()).status_code != 404


def reads_a_retraction_notice(client):
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED)
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Source withdrawn.")
    response = client.get(claim.get_absolute_url())
    return response.status_code == 200 and "Source withdrawn." in response.content.decode()


def reads_the_claims_index_and_search(client):
    appearance = AppearanceFactory(claim=ClaimFactory(statement="Readers find this claim"))
    pages = [
        reverse("factcheck:claim_list"),
        reverse("factcheck:claim_list") + "?_export=csv",
        reverse("factcheck:search") + "?q=Readers",
        reverse("factcheck:contradiction_list"),
        reverse("factcheck:article_detail", args=[appearance.article_id]),
        appearance.article.outlet.get_absolute_url(),
    ]
    return all(client.get(url).status_code == 200 for url in pages)


def signs_off_a_claim_again(client):
    claim = ClaimFactory(status=ReviewStatus.PUBLISHED)
    client.post(
        claim_url("changelist"), {"action": "mark_reviewed", "_selected_action": [claim.pk]}
    )
    return Claim.objects.get(pk=claim.pk).reviewed_at is not None


PERMISSION_MATRIX = {
    sees_claims_in_admin_index: EDITORS,
    opens_claim_list: EDITORS,
    adds_a_claim: EDITORS,
    edits_a_draft: EDITORS,
    sets_a_verdict: REVIEWERS,
    submits_for_review: EDITORS,
    returns_to_draft: EDITORS,
    publishes: REVIEWERS,
    publishes_from_the_list: REVIEWERS,
    retracts: REVIEWERS,
    reopens: REVIEWERS,
    corrects_a_published_claim: REVIEWERS,
    # Readers have seen it: it is retracted, never deleted, whoever asks.
    deletes_a_published_claim: NOBODY,
    opens_claim_history: EDITORS,
    opens_review_queue: EDITORS,
    adds_an_outlet: EDITORS,
    adds_a_contradiction: EDITORS,
    signs_off_a_claim_again: REVIEWERS,
    reads_the_home_page: EVERYONE,
    reads_a_published_claim: EVERYONE,
    reads_a_retraction_notice: EVERYONE,
    reads_the_claims_index_and_search: EVERYONE,
    # As a preview, to those who may edit claims; readers get a 404 (see test_preview.py).
    is_shown_a_claim_in_review: EDITORS,
    is_shown_a_draft: EDITORS,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", PERMISSION_MATRIX, ids=lambda action: action.__name__)
def test_permission_matrix(role, action):
    assert action(client_for(role)) is PERMISSION_MATRIX[action][role]


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
    assert reviewer - editor == {"publish_claim", "set_verdict"}
    assert {"change_claim", "add_appearance", "delete_contradiction", "view_outlet"} <= editor
    assert not {perm for perm in editor if perm.startswith(("publish", "set_verdict"))}
