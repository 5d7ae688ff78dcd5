"""Who may do what: every role against every action, in the admin and on reader pages.

Each action returns True when the user got it done (or saw the page), False otherwise.
"""

import pytest
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import (
    Claim,
    Contradiction,
    EvidenceChange,
    Outlet,
    ReviewStatus,
)
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import (
    AppearanceFactory,
    ClaimFactory,
)
from factcheck.tests.roles import EDITORS, EVERYONE, NOBODY, REVIEWERS, ROLES, client_for
from factcheck.tests.test_evidence_review import (
    add_refuting_appearance,
    an_editor,
    published_true_claim,
)

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


# --- Permission matrix for held evidence -------------------------------------------------


def proposes_evidence(client):
    claim = published_true_claim()
    url = claim_url("change", claim.pk)
    if client.get(url).status_code != 200:
        return False
    add_refuting_appearance(client, claim)
    return EvidenceChange.objects.exists() or claim.appearances.count() == 2


def changes_public_evidence_at_once(client):
    claim = published_true_claim()
    url = claim_url("change", claim.pk)
    if client.get(url).status_code != 200:
        return False
    add_refuting_appearance(client, claim)
    return claim.appearances.count() == 2


def opens_the_evidence_review_screen(client):
    claim = published_true_claim()
    services.appearance_delete(appearance=claim.appearances.get(), user=an_editor())
    return client.get(claim_url("evidence_review", claim.pk)).status_code == 200


def decides(client, button):
    claim = published_true_claim()
    services.appearance_delete(appearance=claim.appearances.get(), user=an_editor())
    held = list(EvidenceChange.objects.values_list("pk", flat=True))
    client.post(claim_url("evidence_review", claim.pk), {button: "1", "change": held})
    return not EvidenceChange.objects.pending().exists()


def accepts_held_evidence(client):
    return decides(client, "_accept")


def rejects_held_evidence(client):
    return decides(client, "_reject")


EVIDENCE_MATRIX = {
    proposes_evidence: EDITORS,
    changes_public_evidence_at_once: REVIEWERS,
    opens_the_evidence_review_screen: EDITORS,
    accepts_held_evidence: REVIEWERS,
    rejects_held_evidence: REVIEWERS,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action", {**PERMISSION_MATRIX, **EVIDENCE_MATRIX}, ids=lambda action: action.__name__
)
def test_permission_matrix(role, action):
    expected = PERMISSION_MATRIX.get(action) or EVIDENCE_MATRIX[action]
    assert action(client_for(role)) is expected[role]
