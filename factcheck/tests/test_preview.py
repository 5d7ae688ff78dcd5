"""Staff preview of unpublished records at their reader address, and permanent claim URLs."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import Claim, ClaimSlugRedirect, ReviewStatus
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory
from factcheck.tests.reader_data import publish
from factcheck.tests.roles import ROLES, client_for, make_user

pytestmark = pytest.mark.django_db

JSON_LD = '<script type="application/ld+json">'
# Who may edit a kind of record (its change permission) previews its unpublished ones.
CAN_EDIT = {"editor", "reviewer", "superuser"}


def body(response) -> str:
    return response.content.decode()


def assert_preview(response, banner: str):
    assert response.status_code == 200
    content = body(response)
    assert banner in content
    assert '<meta name="robots" content="noindex">' in content
    cache_control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= cache_control
    assert JSON_LD not in content


# --- (b) the permission matrix -------------------------------------------------------


def draft_claim():
    claim = ClaimFactory(status=ReviewStatus.DRAFT, statement="A draft statement to preview")
    AppearanceFactory(claim=claim)
    return claim.get_absolute_url(), "Preview: readers cannot see this claim; it is a draft."


def claim_in_review():
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW, statement="A statement in review")
    AppearanceFactory(claim=claim)
    return claim.get_absolute_url(), "Preview: readers cannot see this claim; it is in review."


def unpublished_article():
    article = ArticleFactory(title="An article nobody has quoted yet")
    return article.get_absolute_url(), "Preview: readers cannot see this article;"


def unpublished_outlet():
    article = ArticleFactory(title="The only article of a new outlet")
    return article.outlet.get_absolute_url(), "Preview: readers cannot see this outlet;"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "record", [draft_claim, claim_in_review, unpublished_article, unpublished_outlet]
)
def test_preview_matrix(role, record):
    url, banner = record()
    response = client_for(role).get(url)
    if role in CAN_EDIT:
        assert_preview(response, banner)
    else:
        assert response.status_code == 404
        assert "Preview" not in body(response)


@pytest.mark.parametrize("role", ROLES)
def test_renamed_claim_redirects_for_everyone(role):
    claim = ClaimFactory(slug="first-address")
    claim.slug = "second-address"
    services.claim_save(claim=claim)
    response = client_for(role).get("/claims/first-address/")
    assert response.status_code == 301
    assert response["Location"] == "/claims/second-address/"


@pytest.mark.parametrize("role", ROLES)
def test_published_records_show_no_preview_banner(role):
    appearance = AppearanceFactory()
    client = client_for(role)
    for url in [
        appearance.claim.get_absolute_url(),
        appearance.article.get_absolute_url(),
        appearance.article.outlet.get_absolute_url(),
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert "Preview" not in body(response)
        assert "no-store" not in response.get("Cache-Control", "")
    assert JSON_LD in body(client.get(appearance.claim.get_absolute_url()))


def test_view_on_site_in_the_admin_opens_the_preview():
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW)
    content_type = ContentType.objects.get_for_model(Claim)
    response = client_for("editor").get(
        reverse("admin:view_on_site", args=[content_type.pk, claim.pk]), follow=True
    )
    assert response.redirect_chain[-1][0].endswith(claim.get_absolute_url())
    assert_preview(response, "Preview: readers cannot see this claim; it is in review.")


def test_a_preview_shows_the_claims_evidence(client):
    appearance = AppearanceFactory(claim=ClaimFactory(status=ReviewStatus.IN_REVIEW))
    client.force_login(make_user("editor"))
    content = body(client.get(appearance.claim.get_absolute_url()))
    assert appearance.quote in content
    assert appearance.article.get_absolute_url() in content


def test_a_preview_never_reaches_the_page_cache(client, settings):
    settings.READER_PAGE_CACHE_SECONDS = 300
    url, banner = draft_claim()
    editor = client_for("editor")
    assert_preview(editor.get(url), banner)
    assert client.get(url).status_code == 404
    assert_preview(editor.get(url), banner)


def test_staff_without_a_role_cannot_preview_even_with_view_permission():
    url, _ = draft_claim()
    user = make_user("staff_without_group")
    user.user_permissions.add(Permission.objects.get(codename="view_claim"))
    client = client_for("anonymous")
    client.force_login(user)
    assert client.get(url).status_code == 404


def test_a_user_who_is_not_staff_cannot_preview_even_in_the_editor_group():
    url, _ = draft_claim()
    user = make_user("editor")
    user.is_staff = False
    user.save()
    client = client_for("anonymous")
    client.force_login(user)
    assert client.get(url).status_code == 404


# --- (c) permanent addresses ---------------------------------------------------------


def rename(claim: Claim, slug: str) -> Claim:
    claim.slug = slug
    return services.claim_save(claim=claim)


def test_the_oldest_slug_answers_301_to_the_newest_after_two_renames(client):
    claim = ClaimFactory(slug="chips-went-abroad")
    rename(claim, "chips-went-to-malaysia")
    rename(claim, "models-trained-in-malaysia")
    for old in ["chips-went-abroad", "chips-went-to-malaysia"]:
        response = client.get(f"/claims/{old}/")
        assert response.status_code == 301, old
        assert response["Location"] == "/claims/models-trained-in-malaysia/"
    assert client.get("/claims/models-trained-in-malaysia/").status_code == 200


def test_a_claim_may_take_back_an_old_slug_of_its_own(client):
    claim = ClaimFactory(slug="original")
    rename(claim, "reworded")
    rename(claim, "original")
    assert client.get("/claims/original/").status_code == 200
    response = client.get("/claims/reworded/")
    assert response.status_code == 301 and response["Location"] == "/claims/original/"
    assert list(ClaimSlugRedirect.objects.values_list("old_slug", flat=True)) == ["reworded"]


def test_a_retracted_claim_keeps_its_old_address_too(client):
    claim = ClaimFactory(slug="before-retraction")
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Withdrawn.")
    claim.refresh_from_db()
    rename(claim, "after-retraction")
    assert client.get("/claims/before-retraction/")["Location"] == "/claims/after-retraction/"


def test_an_unpublished_claim_leaves_no_redirect_to_itself(client):
    claim = ClaimFactory(status=ReviewStatus.DRAFT, slug="draft-slug")
    rename(claim, "draft-slug-reworded")
    assert not ClaimSlugRedirect.objects.exists()
    # Nor may a reader learn where a renamed claim went while it is out of sight.
    published = ClaimFactory(slug="was-public")
    rename(published, "now-public")
    workflow.claim_transition(claim=published, name="retract", user=None, note="Withdrawn.")
    workflow.claim_transition(claim=published, name="reopen", user=None)
    assert client.get("/claims/was-public/").status_code == 404
    assert client.get("/claims/draft-slug/").status_code == 404


def test_a_reopened_claim_renamed_in_review_keeps_its_published_address(client):
    claim = publish(ClaimFactory(slug="address-while-published", status=ReviewStatus.DRAFT))
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Withdrawn.")
    workflow.claim_transition(claim=claim, name="reopen", user=None)
    claim.refresh_from_db()
    rename(claim, "address-after-review")
    workflow.claim_transition(claim=claim, name="publish", user=None)
    response = client.get("/claims/address-while-published/")
    assert response.status_code == 301
    assert response["Location"] == "/claims/address-after-review/"


def test_a_new_claim_may_not_take_a_slug_that_still_redirects():
    claim = ClaimFactory(slug="taken-address", statement="The first statement")
    rename(claim, "moved-address")
    with pytest.raises(ValidationError) as refused:
        ClaimFactory(slug="taken-address", status=ReviewStatus.DRAFT)
    [message] = refused.value.message_dict["slug"]
    assert "taken-address" in message and "The first statement" in message
    assert Claim.objects.filter(slug="taken-address").count() == 0


def test_the_admin_refuses_a_redirecting_slug_with_a_form_error():
    claim = ClaimFactory(slug="kept-for-old-links", statement="An older statement")
    rename(claim, "its-new-address")
    client = client_for("editor")
    url = reverse("admin:factcheck_claim_add")
    response = client.post(
        url,
        change_form_data(client, url, statement="A brand new statement", slug="kept-for-old-links"),
    )
    assert response.status_code == 200
    assert "is taken: it is an old address of the claim" in body(response)
    assert not Claim.objects.filter(statement="A brand new statement").exists()


def test_a_reviewer_renaming_in_the_admin_keeps_the_old_address(client):
    claim = ClaimFactory(slug="admin-old-address")
    reviewer = client_for("reviewer")
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    reviewer.post(url, change_form_data(reviewer, url, slug="admin-new-address"))
    assert Claim.objects.get(pk=claim.pk).slug == "admin-new-address"
    response = client.get("/claims/admin-old-address/")
    assert response.status_code == 301 and response["Location"] == "/claims/admin-new-address/"
