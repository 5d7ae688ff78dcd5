"""The reader pages over the seed corpus, as a first visitor sees them."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from factcheck.models import Appearance, Article, Claim, Contradiction, Outlet, ReviewStatus

pytestmark = pytest.mark.django_db

# A seed file's number (000-004) or its name's hash, used as if it were a reference a reader
# could follow. Digits around it (12.000, 141,000, #000) make it part of a figure instead.
SEED_FILE_REFERENCE = re.compile(r"(?<![\w.,#])00[0-4](?![\w]|[.,]\d)|_[0-9a-f]{16}\b")


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


def test_seed_file_reference_pattern_tells_file_numbers_from_figures():
    for reference in ("000 and 003 give", "The column 002 says", "Named in 004.", "(001)"):
        assert SEED_FILE_REFERENCE.search(reference), reference
    for figure in ("12.000 dollari", "141,000 ingegneri", "3.000 GPU", "color: #000", "2004"):
        assert not SEED_FILE_REFERENCE.search(figure), figure


def test_no_reader_page_names_a_seed_file(client, seed):
    # Readers know articles by outlet and title; the numbers of the curated seed files mean
    # nothing outside the source file and must not leak into what readers are shown.
    pages = {name: client.get(url).content.decode() for name, url in every_public_url().items()}
    leaks = {
        name: sorted({match.group() for match in SEED_FILE_REFERENCE.finditer(content)})
        for name, content in pages.items()
    }
    assert len(pages) > 60  # every claim, article and outlet page, not only the indexes
    assert not {name: found for name, found in leaks.items() if found}
