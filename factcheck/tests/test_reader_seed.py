"""The reader pages over the seed corpus, as a first visitor sees them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from factcheck.models import Appearance, Article, Claim, Contradiction, Outlet, ReviewStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed_corpus", verbosity=0)


def every_public_url() -> dict[str, str]:
    urls = {
        "home": reverse("factcheck:home"),
        "claim_list": reverse("factcheck:claim_list"),
        "claim_list_by_agreement": reverse("factcheck:claim_list") + "?sort=-agreement",
        "claim_list_page_2": reverse("factcheck:claim_list") + "?page=2",
        "contradiction_list": reverse("factcheck:contradiction_list"),
        "search": reverse("factcheck:search") + "?q=Nvidia",
        "search_italian": reverse("factcheck:search") + "?q=addestra",
        "export": reverse("factcheck:claim_list") + "?_export=csv",
    }
    for claim in Claim.objects.public():
        urls[f"claim {claim.slug}"] = claim.get_absolute_url()
    for article in Article.objects.all():
        urls[f"article {article.pk}"] = article.get_absolute_url()
    for outlet in Outlet.objects.all():
        urls[f"outlet {outlet.slug}"] = outlet.get_absolute_url()
    return urls


def test_seed_corpus_has_what_the_pages_need(seed):
    assert Claim.objects.published().count() > 25  # more than one page of the index
    assert Claim.objects.exclude(status=ReviewStatus.PUBLISHED).exists()
    assert Contradiction.objects.published().exists()
    assert Article.objects.filter(is_archived=False).exists()


def test_every_page_answers_over_the_seed_corpus(client, seed):
    pages = {}
    for name, url in every_public_url().items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    # Each published contradiction shows on the index, each published quote on its article.
    for contradiction in Contradiction.objects.published():
        assert f'id="contradiction-{contradiction.pk}"' in pages["contradiction_list"]
    for appearance in Appearance.objects.published():
        assert f'id="{appearance.anchor_id}"' in pages[f"article {appearance.article_id}"]


def test_unpublished_seed_claims_are_nowhere(client, seed):
    hidden = Claim.objects.filter(status__in=[ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW])
    assert hidden.exists()
    pages = {name: client.get(url).content.decode() for name, url in every_public_url().items()}
    for claim in hidden:
        assert client.get(claim.get_absolute_url()).status_code == 404
        for name, content in pages.items():
            assert claim.statement not in content, f"{claim.slug} on {name}"
            for appearance in claim.appearances.all():
                assert f'id="{appearance.anchor_id}"' not in content, f"{appearance.pk} on {name}"
                assert f"#{appearance.anchor_id}" not in content, f"{appearance.pk} on {name}"
