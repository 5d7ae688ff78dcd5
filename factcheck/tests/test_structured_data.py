"""ClaimReview for machines: every seed claim page's JSON-LD and the DataFeed of all reviews
have schema.org's ClaimReview shape, carry the claimant where set, and show nothing unpublished."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from factcheck.models import Claim, ReviewStatus
from factcheck.tests.claimreview_shape import claim_review_problems, data_feed_problems
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimantFactory,
    ClaimFactory,
)
from factcheck.tests.test_views import JSON_LD, body

pytestmark = pytest.mark.django_db

FEED = reverse("factcheck:claimreview_feed")


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed_corpus", verbosity=0)


def data_feed(client, **headers) -> dict:
    response = client.get(FEED, **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return json.loads(b"".join(response.streaming_content))


def page_review(client, claim) -> dict:
    [payload] = JSON_LD.findall(body(client.get(claim.get_absolute_url())))
    return json.loads(payload)


def test_the_checker_finds_what_is_missing_or_wrong():
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "/claims/x/",
        "reviewRating": {"@type": "Rating", "ratingValue": 9, "bestRating": 5, "worstRating": 1},
        "author": {"@type": "Organization"},
        "datePublished": "1 May",
        "itemReviewed": {"@type": "Claim", "appearance": [{"@type": "CreativeWork"}]},
        "verdict": "false",
    }
    problems = claim_review_problems(review)
    for expected in [
        "ClaimReview.claimReviewed: required",
        "ClaimReview.url[0]: not a web address",
        "ClaimReview.datePublished[0]: not an ISO 8601 date",
        "ratingValue outside",
        "ClaimReview.author[0].name: required",
        "ClaimReview.itemReviewed[0].appearance[0].url: required",
        "ClaimReview.verdict: not a property of ClaimReview",
    ]:
        assert any(expected in problem for problem in problems), (expected, problems)


def test_every_seed_claim_page_has_a_valid_claim_review(client, seed):
    published = Claim.objects.published().select_related("claimant")
    assert published.count() > 40
    for claim in published:
        review = page_review(client, claim)
        assert claim_review_problems(review) == [], claim.slug
        assert review["claimReviewed"] == claim.statement
        if claim.claimant_id:
            assert review["itemReviewed"]["author"]["name"] == claim.claimant.name


def test_the_seed_claimant_is_the_author_of_the_claim_reviewed(client, seed):
    claim = Claim.objects.get(slug="alibaba-bytedance-train-ai-in-southeast-asia")
    author = page_review(client, claim)["itemReviewed"]["author"]
    assert author["@type"] == "Organization"
    assert author["name"] == "Financial Times"


def test_the_data_feed_holds_every_published_review_and_validates(client, seed):
    feed = data_feed(client)
    assert data_feed_problems(feed) == []
    reviewed = [element["item"]["claimReviewed"] for element in feed["dataFeedElement"]]
    assert sorted(reviewed) == sorted(Claim.objects.published().values_list("statement", flat=True))
    hidden = Claim.objects.exclude(status=ReviewStatus.PUBLISHED).values_list(
        "statement", flat=True
    )
    assert hidden and not set(hidden) & set(reviewed)
    authors = {
        element["item"]["claimReviewed"]: element["item"]["itemReviewed"].get("author", {})
        for element in feed["dataFeedElement"]
    }
    claim = Claim.objects.get(slug="alibaba-bytedance-train-ai-in-southeast-asia")
    assert authors[claim.statement]["name"] == "Financial Times"


def test_feed_items_say_what_the_claim_pages_say(client, settings, seed):
    settings.SITE_URL = "http://testserver"
    items = {e["item"]["url"]: e["item"] for e in data_feed(client)["dataFeedElement"]}
    for claim in Claim.objects.published()[:10]:
        review = page_review(client, claim)
        review.pop("@context")
        assert items[review["url"]] == review


def test_appearances_carry_the_original_urls_and_the_first_appearance_date(client):
    claimant = ClaimantFactory(name="Ada Example", kind="person", url="https://ada.example/")
    claim = ClaimFactory(claimant=claimant)
    early = ArticleFactory(url="https://news.example/early", published_on="2021-03-04")
    AppearanceFactory(claim=claim, article=early)
    AppearanceFactory(claim=claim, article=ArticleFactory(url="", published_on="2022-01-01"))
    item = page_review(client, claim)["itemReviewed"]
    assert item["author"] == {
        "@type": "Person",
        "name": "Ada Example",
        "description": "Minister of examples",
        "url": "https://ada.example/",
    }
    urls = [work["url"] for work in item["appearance"]]
    assert urls[0] == "https://news.example/early"
    assert urls[1].startswith("http://testserver/articles/")
    assert item["datePublished"] == "2021-03-04"
    assert item["firstAppearance"]["url"] == "https://news.example/early"


def test_a_draft_claim_and_its_articles_are_not_in_the_feed(client):
    draft_claimant = ClaimantFactory(name="Draft Speaker")
    draft = ClaimFactory(status=ReviewStatus.DRAFT, verdict="unrated", claimant=draft_claimant)
    AppearanceFactory(claim=draft, article=ArticleFactory(url="https://secret.example/draft"))
    shown = AppearanceFactory(claim=ClaimFactory()).claim
    text = json.dumps(data_feed(client))
    assert shown.statement in text
    assert draft.statement not in text
    assert "secret.example" not in text
    assert "Draft Speaker" not in text


def test_the_feed_costs_the_same_queries_for_more_claims(client, django_assert_num_queries):
    def grow():
        for _ in range(3):
            AppearanceFactory(claim=ClaimFactory(claimant=ClaimantFactory()))

    grow()
    # the ETag's content stamp, the claims, their appearances
    with django_assert_num_queries(3):
        data_feed(client)
    grow()
    with django_assert_num_queries(3):
        assert len(data_feed(client)["dataFeedElement"]) == 6


def test_an_unchanged_feed_answers_304_to_its_etag(client, committed):
    AppearanceFactory()
    etag = client.get(FEED)["ETag"]
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with committed():
        ClaimFactory()
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 200
