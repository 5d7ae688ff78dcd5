"""The claim page: its ClaimReview markup, its explanation of agreement, dates, contradictions."""

import json

import pytest

from factcheck.models import (
    VERDICT_BEST_RATING,
    VERDICT_WORST_RATING,
    Claim,
    DatePrecision,
    ReviewStatus,
    Stance,
    Verdict,
)
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
)
from factcheck.tests.reader_data import publish
from factcheck.tests.test_views import JSON_LD, body

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reader_corpus):
    return reader_corpus


# --- Claim page ----------------------------------------------------------------------


def claim_review(response) -> dict:
    [payload] = JSON_LD.findall(body(response))
    return json.loads(payload)


def test_claim_page_carries_claim_review_markup(client, settings, corpus):
    settings.SITE_NAME = "Verifica Esempio"
    claim = publish(ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.MOSTLY_FALSE))
    early = ArticleFactory(
        title="Primo articolo",
        url="https://news.example/primo",
        published_on="2020-11-01",
        date_precision=DatePrecision.MONTH,
    )
    AppearanceFactory(claim=claim, article=early)
    AppearanceFactory(claim=claim, article=corpus.article)

    response = client.get(claim.get_absolute_url())
    review = claim_review(response)

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.statement
    assert review["url"] == "http://testserver" + claim.get_absolute_url()
    assert review["datePublished"] == claim.reviewed_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "Verifica Esempio",
        "url": "http://testserver/",
    }
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": claim.rating_value,
        "bestRating": VERDICT_BEST_RATING,
        "worstRating": VERDICT_WORST_RATING,
        "alternateName": claim.get_verdict_display(),
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert {work["url"] for work in item["appearance"]} == {
        early.url,
        "http://testserver" + corpus.article.get_absolute_url(),
    }
    assert item["firstAppearance"] == {
        "@type": "CreativeWork",
        "url": early.url,
        "headline": early.title,
        "datePublished": "2020-11",
        "publisher": {"@type": "Organization", "name": early.outlet.name},
        "inLanguage": "it",
    }
    canonical = f'<link rel="canonical" href="http://testserver{claim.get_absolute_url()}">'
    assert canonical in body(response)


def test_unrated_scale_verdict_has_no_rating_value(client):
    claim = ClaimFactory(verdict=Verdict.NOT_ENOUGH_EVIDENCE)
    rating = claim_review(client.get(claim.get_absolute_url()))["reviewRating"]
    assert "ratingValue" not in rating
    assert rating["alternateName"] == "Not enough evidence"


def test_claim_page_explains_the_agreement(client, corpus):
    response = client.get(corpus.claim.get_absolute_url())
    content = body(response)
    breakdown = response.context["breakdown"]
    claim = Claim.objects.get(pk=corpus.claim.pk)
    assert breakdown.agreement.label == claim.agreement_label
    assert breakdown.agreement.reason in content
    assert claim.get_agreement_label_display() in content
    assert f"({claim.agreement_score:+.2f})" in content
    assert "the total is divided by the number of origins taking a position plus one" in content
    # The upstream report is named as the origin of the articles that retell it, each
    # origin with the stances its articles take.
    assert corpus.upstream.display_title in content
    for item in breakdown.origins:
        stances = ", ".join(Stance(code).label.lower() for code in item.stances)
        assert f'<span class="meta">({stances})</span>' in content
    for appearance in corpus.claim.appearances.all():
        assert f'href="{appearance.article.get_absolute_url()}#{appearance.anchor_id}"' in content


def test_claim_page_writes_dates_to_their_precision(client):
    claim = ClaimFactory()
    article = ArticleFactory(published_on="2025-11-17", date_precision=DatePrecision.MONTH)
    AppearanceFactory(claim=claim, article=article)
    content = body(client.get(claim.get_absolute_url()))
    assert '<time datetime="2025-11">November 2025</time>' in content
    assert "17 November" not in content


def test_claim_page_shows_contradictions_and_what_time_superseded(client, corpus):
    first, second = corpus.claims[1], corpus.claims[2]
    contradiction = corpus.contradictions[1]
    assert contradiction.superseded_claim == first
    content = body(client.get(second.get_absolute_url()))
    assert first.statement in content
    assert contradiction.explanation in content
    assert f"supersedes “{first.statement}”" in content
