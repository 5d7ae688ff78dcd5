"""Feeds for machines: Atom and RSS of fact-checks and of corrections, and the ClaimReview
DataFeed of every published review.

Feeds name pages at SITE_URL (the site's public address), as the sitemap and the dumps
do, so they say the same wherever they are fetched from.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import condition

from factcheck import transparency
from factcheck.models import Claim
from factcheck.models.claims import nulls_last
from factcheck.page_cache import current_generation
from factcheck.structured_data import data_feed_chunks, site_absolute

FEED_ITEMS = 50


def tag_uri(kind: str, pk: int) -> str:
    """An id that survives a claim's rename (RFC 4151), unlike its address."""
    return f"tag:{urlsplit(settings.SITE_URL).hostname or 'localhost'},2025:{kind}/{pk}"


class FactChecksRss(Feed):
    """The latest published fact-checks, newest review first."""

    description = "Claims we have checked, with their verdicts, newest first."

    def title(self):
        return f"{settings.SITE_NAME}: fact-checks"

    def link(self):
        return site_absolute(reverse("factcheck:claim_list"))

    def feed_url(self):
        return site_absolute(reverse("factcheck:factchecks_rss"))

    def items(self):
        # The order of claim_pub_reviewed_idx, so the newest rows come straight from it.
        return (
            Claim.objects.published()
            .only(
                "id",
                "slug",
                "statement",
                "status",
                "verdict",
                "verdict_summary",
                "reviewed_at",
                "created_at",
                "updated_at",
            )
            .order_by(*nulls_last("reviewed_at", descending=True))[:FEED_ITEMS]
        )

    def item_title(self, claim):
        return f"{claim.get_verdict_display()}: {claim.statement}"

    def item_description(self, claim):
        return claim.verdict_summary

    def item_link(self, claim):
        return site_absolute(claim.get_absolute_url())

    def item_guid(self, claim):
        return tag_uri("claim", claim.pk)

    item_guid_is_permalink = False

    def item_pubdate(self, claim):
        return claim.reviewed_at or claim.created_at

    def item_updateddate(self, claim):
        return claim.updated_at

    def item_categories(self, claim):
        return [claim.get_verdict_display()]


class FactChecksAtom(FactChecksRss):
    feed_type = Atom1Feed
    subtitle = FactChecksRss.description

    def feed_url(self):
        return site_absolute(reverse("factcheck:factchecks_atom"))


class CorrectionsRss(Feed):
    """The corrections log as a feed: every public correction and retraction, newest first."""

    description = "Corrections to our published fact-checks, and fact-checks we withdrew."

    def title(self):
        return f"{settings.SITE_NAME}: corrections and retractions"

    def link(self):
        return site_absolute(reverse("factcheck:corrections_log"))

    def feed_url(self):
        return site_absolute(reverse("factcheck:corrections_rss"))

    def items(self):
        return transparency.log_entries(transparency.corrections_log_keys()[:FEED_ITEMS])

    def item_title(self, entry):
        action = "Corrected" if entry.kind == "correction" else "Retracted"
        return f"{action}: {entry.claim.statement}"

    def item_description(self, entry):
        return entry.note

    def item_link(self, entry):
        return site_absolute(entry.url)

    def item_guid(self, entry):
        pk = entry.correction.pk if entry.correction else entry.claim.pk
        return tag_uri(entry.kind, pk)

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.at

    def item_updateddate(self, entry):
        return entry.at


class CorrectionsAtom(CorrectionsRss):
    feed_type = Atom1Feed
    subtitle = CorrectionsRss.description

    def feed_url(self):
        return site_absolute(reverse("factcheck:corrections_atom"))


def _generation_etag(request) -> str | None:
    generation = current_generation()
    return None if generation is None else f"claimreview-{generation}"


@condition(etag_func=_generation_etag)
def claimreview_feed(request):
    """Every published review as one schema.org DataFeed, streamed in chunks of claims.

    Tens of megabytes at full size, so it is never held in memory or in the page cache;
    its ETag is the content stamp, so a client polling with If-None-Match gets a 304
    until something changes.
    """
    response = StreamingHttpResponse(
        data_feed_chunks(absolute=site_absolute), content_type="application/ld+json"
    )
    response["Content-Disposition"] = 'inline; filename="claimreview.json"'
    return response
