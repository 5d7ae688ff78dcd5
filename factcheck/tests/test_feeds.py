"""Feeds and discovery: Atom and RSS parse and list only public fact-checks and corrections;
the sitemap is valid sitemaps.org XML listing every public page and nothing else."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse

from factcheck import services, workflow
from factcheck.models import Article, Claim, Outlet, ReviewStatus
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
)
from factcheck.tests.reader_data import publish

pytestmark = pytest.mark.django_db

SITE = "http://data.example"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed_corpus", verbosity=0)


def parsed(client, name):
    response = client.get(reverse(f"factcheck:{name}"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def test_fact_check_feeds_parse_and_list_only_published_claims(client, seed):
    published = set(Claim.objects.published().values_list("slug", flat=True))
    for name, version in [("factchecks_atom", "atom10"), ("factchecks_rss", "rss20")]:
        feed = parsed(client, name)
        assert feed.version == version
        slugs = {urlsplit(entry.link).path.split("/")[2] for entry in feed.entries}
        assert slugs and slugs <= published
        assert len(feed.entries) == min(50, len(published))
        assert all(entry.link.startswith(SITE + "/claims/") for entry in feed.entries)


def test_the_newest_review_comes_first_and_drafts_never(client):
    older = publish(ClaimFactory(status=ReviewStatus.DRAFT, verdict="false"))
    newer = publish(ClaimFactory(status=ReviewStatus.DRAFT, verdict="true"))
    draft = ClaimFactory(status=ReviewStatus.DRAFT, verdict="unrated", statement="Secret draft")
    retracted = publish(ClaimFactory(status=ReviewStatus.DRAFT, verdict="mixed"))
    workflow.claim_transition(claim=retracted, name="retract", user=None, note="Withdrawn.")
    entries = parsed(client, "factchecks_atom").entries
    titles = [entry.title for entry in entries]
    assert titles == [f"True: {newer.statement}", f"False: {older.statement}"]
    assert all(draft.statement not in title for title in titles)
    assert entries[0].id.startswith("tag:data.example,2025:claim/")


def test_corrections_feeds_list_the_seed_corrections(client, seed):
    for name in ("corrections_atom", "corrections_rss"):
        entries = parsed(client, name).entries
        assert len(entries) == 2
        assert {entry.title.split(": ", 1)[0] for entry in entries} == {"Corrected"}
        assert all("#correction-" in entry.link for entry in entries)


def test_corrections_feed_has_retractions_but_not_corrections_of_hidden_claims(client):
    claim = ClaimFactory()
    claim.verdict = "false"
    services.claim_save(claim=claim, correction_note="Public correction")
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Retracted for cause")
    reopened = ClaimFactory()
    reopened.verdict = "false"
    services.claim_save(claim=reopened, correction_note="Correction of a reopened claim")
    workflow.claim_transition(claim=reopened, name="retract", user=None, note="Hidden retraction")
    workflow.claim_transition(claim=reopened, name="reopen", user=None)
    entries = parsed(client, "corrections_rss").entries
    descriptions = [entry.description for entry in entries]
    assert "Retracted for cause" in descriptions
    assert "Public correction" in descriptions
    assert "Hidden retraction" not in descriptions
    assert "Correction of a reopened claim" not in descriptions


def test_reader_pages_link_the_feeds_from_their_head(client, seed):
    content = client.get(reverse("factcheck:home")).content.decode()
    head = content.split("</head>")[0]
    assert (
        f'type="application/atom+xml" title="Fact-checks (Atom)" href="{reverse("factcheck:factchecks_atom")}"'
        in head
    )
    assert 'type="application/rss+xml"' in head


# --- Sitemap ---------------------------------------------------------------------------


def sitemap_locations(client) -> list[str]:
    response = client.get(reverse("factcheck:sitemap"))
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{SM}sitemapindex"
    locations = []
    for section in index.findall("sm:sitemap/sm:loc", NS):
        assert section.text.startswith(SITE + "/sitemap-")
        part = urlsplit(section.text)
        page = client.get(part.path + (f"?{part.query}" if part.query else ""))
        assert page.status_code == 200, section.text
        urlset = ET.fromstring(page.content)
        assert urlset.tag == f"{SM}urlset"
        locations += [loc.text for loc in urlset.findall("sm:url/sm:loc", NS)]
    assert len(locations) == len(set(locations))
    return locations


def test_the_sitemap_lists_every_public_page_and_nothing_else(client, seed):
    paths = {urlsplit(location).path for location in sitemap_locations(client)}
    expected = {
        *(claim.get_absolute_url() for claim in Claim.objects.published()),
        *(article.get_absolute_url() for article in Article.objects.public()),
        *(outlet.get_absolute_url() for outlet in Outlet.objects.public()),
        reverse("factcheck:home"),
        reverse("factcheck:claim_list"),
        reverse("factcheck:contradiction_list"),
        reverse("factcheck:corrections_log"),
        reverse("factcheck:methodology"),
        *(
            reverse("factcheck:about_page", args=[name])
            for name in ("corrections-policy", "funding", "organisation", "contact")
        ),
    }
    assert paths == expected
    hidden = Claim.objects.exclude(status=ReviewStatus.PUBLISHED)
    assert hidden.exists()
    assert not paths & {claim.get_absolute_url() for claim in hidden}


def test_non_public_articles_and_outlets_are_not_in_the_sitemap(client):
    draft = ClaimFactory(status=ReviewStatus.DRAFT, verdict="unrated")
    only_drafts = OutletFactory(name="Only drafts")
    hidden_article = ArticleFactory(outlet=only_drafts)
    AppearanceFactory(claim=draft, article=hidden_article)
    shown = AppearanceFactory()
    paths = {urlsplit(location).path for location in sitemap_locations(client)}
    assert shown.claim.get_absolute_url() in paths
    assert shown.article.get_absolute_url() in paths
    assert hidden_article.get_absolute_url() not in paths
    assert only_drafts.get_absolute_url() not in paths
    assert draft.get_absolute_url() not in paths


def test_a_large_section_is_paged_in_the_index(client, monkeypatch):
    from factcheck import sitemaps

    monkeypatch.setattr(sitemaps.ClaimSitemap, "limit", 2)
    for _ in range(5):
        ClaimFactory()
    locations = sitemap_locations(client)
    claims = [
        location
        for location in locations
        if "/claims/" in location and location.rstrip("/") != SITE + "/claims"
    ]
    assert len(claims) == 5
    index = client.get(reverse("factcheck:sitemap")).content.decode()
    assert "sitemap-claims.xml?p=3" in index
    assert client.get("/sitemap-claims.xml?p=9").status_code == 404
    assert client.get("/sitemap-claims.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_robots_txt_points_at_the_sitemap_and_keeps_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
