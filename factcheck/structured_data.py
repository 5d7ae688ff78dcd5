"""schema.org ClaimReview markup for published claims: one claim page's, and the DataFeed of all.

A claim page names its pages at the address it was requested at; what other machines
fetch without a page in hand (the DataFeed, the dumps) names them at SITE_URL, so the two
agree in production, where SITE_URL is the public address.
"""

import json
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from factcheck.models import (
    VERDICT_BEST_RATING,
    VERDICT_WORST_RATING,
    Appearance,
    Article,
    Claim,
    Claimant,
)
from factcheck.reader_urls import written_date
from factcheck.templatetags.reader import http_url

# The characters that could end the <script> element or start a comment inside it,
# written as JSON escapes: the data stays the same, the markup cannot be broken out of.
SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

SCHEMA_CONTEXT = "https://schema.org"

Absolute = Callable[[str], str]


def site_absolute(path: str) -> str:
    """A page's address under the site's public address (settings.SITE_URL)."""
    return settings.SITE_URL + path


def json_ld_script(data: dict) -> SafeString:
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # str.translate looks up every character; three replace() scans are far cheaper on
    # the 100 kB ClaimReview of a much-quoted claim (the escapes hold none of the three).
    for character, escape in SCRIPT_ESCAPES.items():
        payload = payload.replace(chr(character), escape)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))


def _creative_work(article: Article, absolute: Absolute, language: str | None = None) -> dict:
    work = {
        "@type": "CreativeWork",
        # Only a web address may stand for the work; anything else gives our own page.
        "url": http_url(article.url) or absolute(article.get_absolute_url()),
    }
    if article.title:
        work["headline"] = article.title
    iso_date, _display = written_date(article, language)
    if iso_date:
        work["datePublished"] = iso_date
    if article.outlet_id:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    if article.language:
        work["inLanguage"] = article.language
    return work


def claimant_thing(claimant: Claimant) -> dict:
    """The claimant as a schema.org Person or Organization."""
    thing = {"@type": claimant.schema_type, "name": claimant.name}
    if claimant.description:
        thing["description"] = claimant.description
    if http_url(claimant.url):
        thing["url"] = claimant.url
    return thing


def organisation(absolute: Absolute) -> dict:
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute(reverse("factcheck:home")),
    }


def review_date(claim: Claim) -> str:
    """When the review was published: its last sign-off, else when the claim was entered
    (claims loaded as published, such as the seed corpus, were never signed off here)."""
    return (claim.reviewed_at or claim.created_at).date().isoformat()


def claim_review(
    *,
    claim: Claim,
    appearances: list[Appearance],
    request=None,
    absolute: Absolute | None = None,
    context: bool = True,
) -> dict:
    """The ClaimReview of a published claim; `appearances` with their articles loaded.

    Addresses are built from the request when there is one, else from `absolute`, else
    under SITE_URL. `context=False` leaves out "@context", for items inside a DataFeed.
    """
    if absolute is None:
        absolute = request.build_absolute_uri if request is not None else site_absolute
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
    item = {"@type": "Claim"}
    if claim.claimant_id:
        item["author"] = claimant_thing(claim.claimant)
    language = get_language()
    item["appearance"] = [_creative_work(article, absolute, language) for article in articles]
    dated = [article for article in articles if article.published_on is not None]
    if dated:
        first = min(dated, key=lambda article: (article.published_on, article.pk))
        item["datePublished"] = written_date(first, language)[0]
        item["firstAppearance"] = _creative_work(first, absolute)

    review = {"@context": SCHEMA_CONTEXT} if context else {}
    review.update(
        {
            "@type": "ClaimReview",
            "url": absolute(claim.get_absolute_url()),
            "claimReviewed": claim.statement,
            "reviewRating": rating,
            "author": organisation(absolute),
            "itemReviewed": item,
            "datePublished": review_date(claim),
        }
    )
    return review


# --- The DataFeed of every published review ------------------------------------------

FEED_CHUNK = 500
FEED_ARTICLE_FIELDS = [
    "id",
    "title",
    "url",
    "published_on",
    "date_precision",
    "language",
    "outlet__id",
    "outlet__name",
]


def feed_claims() -> QuerySet[Claim]:
    """Published claims with what their ClaimReview needs, in a stable order (by id).

    Appearances come prefetched per chunk of claims with their articles' metadata only
    (no texts), so memory follows the chunk, not the corpus.
    """
    appearances = (
        Appearance.objects.public()
        .select_related("article__outlet")
        .only("id", "claim_id", "article_id", *(f"article__{name}" for name in FEED_ARTICLE_FIELDS))
        .order_by("article__published_on", "article_id", "start")
    )
    return (
        Claim.objects.published()
        .select_related("claimant")
        .only(
            "id",
            "slug",
            "statement",
            "status",
            "verdict",
            "reviewed_at",
            "created_at",
            "claimant__id",
            "claimant__name",
            "claimant__kind",
            "claimant__description",
            "claimant__url",
        )
        .prefetch_related(Prefetch("appearances", queryset=appearances))
        .order_by("pk")
    )


def data_feed_items(*, absolute: Absolute = site_absolute) -> Iterator[dict]:
    for claim in feed_claims().iterator(chunk_size=FEED_CHUNK):
        review = claim_review(
            claim=claim,
            appearances=list(claim.appearances.all()),
            absolute=absolute,
            context=False,
        )
        yield {"@type": "DataFeedItem", "dateModified": review["datePublished"], "item": review}


def data_feed_chunks(*, absolute: Absolute = site_absolute) -> Iterator[str]:
    """The DataFeed as JSON text, piece by piece, so it streams at any corpus size."""
    head = {
        "@context": SCHEMA_CONTEXT,
        "@type": "DataFeed",
        "name": f"{settings.SITE_NAME}: fact-checks",
        "url": absolute(reverse("factcheck:claimreview_feed")),
        "publisher": organisation(absolute),
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield opening + ', "dataFeedElement": ['
    separator = ""
    for element in data_feed_items(absolute=absolute):
        yield separator + json.dumps(element, cls=DjangoJSONEncoder, ensure_ascii=False)
        separator = ",\n"
    yield "]}\n"
