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
    OutletFactory,
)
from factcheck.tests.reader_data import publish
from factcheck.tests.test_views import JSON_LD, body, count_queries

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


def origin_lists(content: str) -> tuple[str, str]:
    """The agreement section's two origin lists: retold origins, origins quoted alone."""
    section = content.split('id="agreement-heading"')[1].split('id="appearances-heading"')[0]
    retold, _, alone = section.partition("Origins quoted in their own text")
    return retold.split("</table>")[1], alone


def test_origins_quoted_only_in_their_own_text_are_listed_once_each(client, upstream_report):
    claim = ClaimFactory()
    retellings = [ArticleFactory(retells=upstream_report) for _ in range(2)]
    alone = [ArticleFactory(title=f"Da solo {n}") for n in range(3)]
    for article in [*retellings, *alone]:
        AppearanceFactory(claim=claim, article=article)

    retold, quoted_alone = origin_lists(body(client.get(claim.get_absolute_url())))

    # Each article is named once in the origins lists, under the origin it counts for.
    for article in alone:
        assert retold.count(f'href="{article.get_absolute_url()}"') == 0
        assert quoted_alone.count(f'href="{article.get_absolute_url()}"') == 1
    for article in [upstream_report, *retellings]:
        assert retold.count(f'href="{article.get_absolute_url()}"') == 1
        assert quoted_alone.count(f'href="{article.get_absolute_url()}"') == 0
    assert "(the origin itself)" not in retold + quoted_alone
    assert quoted_alone.count('<span class="meta">(supports)</span>') == len(alone)


def test_a_quoted_origin_that_is_retold_too_is_named_in_its_group(client):
    claim = ClaimFactory()
    original = ArticleFactory(title="Il primo")
    retelling = ArticleFactory(retells=original)
    for article in (original, retelling):
        AppearanceFactory(claim=claim, article=article)

    retold, quoted_alone = origin_lists(body(client.get(claim.get_absolute_url())))

    assert f'href="{retelling.get_absolute_url()}"' in retold
    assert f'<a href="{original.get_absolute_url()}">Il primo</a> (the origin itself)' in retold
    assert quoted_alone == ""


def test_untitled_upstream_reports_cost_no_query_each(client):
    claim = ClaimFactory()

    def quote_a_retelling_of_an_untitled_report():
        upstream = ArticleFactory(title="", text="", is_archived=False, outlet=OutletFactory())
        AppearanceFactory(claim=claim, article=ArticleFactory(retells=upstream))
        return upstream

    first = quote_a_retelling_of_an_untitled_report()
    one = count_queries(client, {"claim": claim.get_absolute_url()})["claim"]
    for _ in range(3):
        quote_a_retelling_of_an_untitled_report()
    content = body(client.get(claim.get_absolute_url()))

    assert count_queries(client, {"claim": claim.get_absolute_url()})["claim"] == one
    assert f"Report by {first.outlet.name}," in content


def test_quotes_and_credits_on_the_claim_page_are_escaped(client, upstream_report):
    claim = ClaimFactory()
    article = ArticleFactory(
        title="<b>Titolo</b>", text="Disse: <script>alert(1)</script> & altro", language="it"
    )
    AppearanceFactory(
        claim=claim,
        article=article,
        quote="<script>alert(1)</script> & altro",
        attribution="secondo <i>lui</i>",
        translation="said <script>",
    )
    content = body(client.get(claim.get_absolute_url()))
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; altro" in content
    assert "Attribution: secondo &lt;i&gt;lui&lt;/i&gt;" in content
    assert "Translation: said &lt;script&gt;" in content
    assert "&lt;b&gt;Titolo&lt;/b&gt;" in content


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
