"""Claimants: who made a claim, edited in the claim admin, derived outlets from reviewed evidence."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import Claim, Claimant, ReviewStatus
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimantFactory,
    ClaimFactory,
    OutletFactory,
)

pytestmark = pytest.mark.django_db


def role_client(role: str) -> tuple[Client, User]:
    user = User.objects.create_user(role, f"{role}@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role.capitalize()))
    client = Client()
    client.force_login(user)
    return client, user


def test_an_editor_sets_the_claimant_of_a_draft_in_the_claim_admin():
    client, _ = role_client("editor")
    claim = ClaimFactory(status=ReviewStatus.DRAFT, verdict="unrated")
    claimant = ClaimantFactory(name="Ada Example")
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    response = client.post(url, change_form_data(client, url, claimant=claimant.pk))
    assert response.status_code == 302, response.context["errors"]
    claim.refresh_from_db()
    assert claim.claimant == claimant
    assert claim.version == 2
    # The versioned history records it like any other field.
    assert claim.history.first().claimant_id == claimant.pk


def test_the_claimant_field_offers_autocomplete_and_the_search_finds_claimants(admin_client):
    claim = ClaimFactory()
    ClaimantFactory(name="Ada Example")
    page = admin_client.get(reverse("admin:factcheck_claim_change", args=[claim.pk]))
    assert b'data-field-name="claimant"' in page.content
    assert b'class="admin-autocomplete"' in page.content
    found = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "ada", "app_label": "factcheck", "model_name": "claim", "field_name": "claimant"},
    )
    assert [item["text"] for item in found.json()["results"]] == [
        "Ada Example (Minister of examples)"
    ]


def test_once_public_only_a_reviewer_may_change_the_claimant():
    claim = ClaimFactory()  # published
    claimant = ClaimantFactory()
    _, editor = role_client("editor")
    claim.claimant = claimant
    with pytest.raises(PermissionDenied, match="claimant"):
        services.claim_save(claim=claim, user=editor, expected_version=claim.version)
    _, reviewer = role_client("reviewer")
    claim = Claim.objects.get(pk=claim.pk)
    claim.claimant = claimant
    services.claim_save(claim=claim, user=reviewer, expected_version=claim.version)
    assert Claim.objects.get(pk=claim.pk).claimant == claimant
    assert "claimant" in workflow.PUBLIC_FIELDS


def test_claimant_admin_saves_through_the_service_with_the_version_check():
    client, _ = role_client("editor")
    response = client.post(
        reverse("admin:factcheck_claimant_add"),
        {"name": "Ministry of Examples", "slug": "ministry", "kind": "organization", "url": ""},
    )
    assert response.status_code == 302, response.context["errors"]
    claimant = Claimant.objects.get(slug="ministry")
    assert claimant.version == 1
    url = reverse("admin:factcheck_claimant_change", args=[claimant.pk])
    stale = change_form_data(client, url, description="Second")
    meanwhile = Claimant.objects.get(pk=claimant.pk)
    meanwhile.description = "First"
    services.claimant_save(claimant=meanwhile, expected_version=1)
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved this claimant" in str(response.context["errors"])


def test_a_claimant_url_must_be_a_web_address():
    with pytest.raises(ValidationError, match="url"):
        ClaimantFactory(url="javascript:alert(1)")


def test_a_claimant_with_claims_cannot_be_deleted():
    claim = ClaimFactory(claimant=ClaimantFactory())
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.record_delete(record=claim.claimant)


def test_outlets_come_from_the_public_claims_reporting_only():
    claimant = ClaimantFactory()
    seen = OutletFactory(name="Seen Daily")
    AppearanceFactory(claim=ClaimFactory(claimant=claimant), article=ArticleFactory(outlet=seen))
    draft = ClaimFactory(claimant=claimant, status=ReviewStatus.DRAFT, verdict="unrated")
    AppearanceFactory(claim=draft, article=ArticleFactory(outlet=OutletFactory(name="Hidden")))
    assert [outlet.name for outlet in claimant.outlets()] == ["Seen Daily"]
    assert list(Claimant.objects.public()) == [claimant]
    ClaimantFactory(name="Only drafts")
    assert list(Claimant.objects.public()) == [claimant]
