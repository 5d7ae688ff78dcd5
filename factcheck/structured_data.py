"""schema.org ClaimReview markup for a published claim, and embedding it safely."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from factcheck.models import (
    VERDICT_BEST_RATING,
    VERDICT_WORST_RATING,
    Appearance,
    Article,
    Claim,
)
from factcheck.templatetags.reader import http_url

# The characters that could end the <script> element or start a comment inside it,
# written as JSON escapes: the data stays the same, the markup cannot be broken out of.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld_script(data: dict) -> SafeString:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _creative_work(article: Article, request) -> dict:
    work = {
        "@type": "CreativeWork",
        # Only a web address may stand for the work; anything else gives our own page.
        "url": http_url(article.url) or request.build_absolute_uri(article.get_absolute_url()),
    }
    if article.title:
        work["headline"] = article.title
    if article.iso_date:
        work["datePublished"] = article.iso_date
    if article.outlet_id:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    if article.language:
        work["inLanguage"] = article.language
    return work


def claim_review(*, claim: Claim, appearances: list[Appearance], request) -> dict:
    """The ClaimReview of a published claim; `appearances` with their articles loaded."""
    rating = {
        "@type": "Rating",
        "bestRating": VERDICT_BEST_RATING,
        "worstRating": VERDICT_WORST_RATING,
        "alternateName": claim.get_verdict_display(),
    }
    if claim.rating_value is not None:
        rating["ratingValue"] = claim.rating_value

    articles = list(
        {appearance.article_id: appearance.article for appearance in appearances}.values()
    )
    item = {"@type": "Claim", "appearance": [_creative_work(a, request) for a in articles]}
    dated = [article for article in articles if article.published_on is not None]
    if dated:
        first = min(dated, key=lambda article: (article.published_on, article.pk))
        item["firstAppearance"] = _creative_work(first, request)

    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": request.build_absolute_uri(claim.get_absolute_url()),
        "claimReviewed": claim.statement,
        "reviewRating": rating,
        "author": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": request.build_absolute_uri(reverse("factcheck:home")),
        },
        "itemReviewed": item,
    }
    if claim.reviewed_at:
        review["datePublished"] = claim.reviewed_at.date().isoformat()
    return review
