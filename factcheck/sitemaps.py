"""The sitemap of every public page, and robots.txt pointing at it.

Addresses are written under SITE_URL, the site's public address, rather than through the
sites framework's Site row (installed for the flatpages only): one setting, already
needed for links in mail, and no row to keep in step with it. Each section pages at
Django's 50,000 addresses; the index lists every page of every section.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from factcheck.models import Article, Claim, Outlet


class PublicSitemap(Sitemap):
    """Addresses under SITE_URL; the latest change read with one aggregate, not per row."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.items().order_by().aggregate(latest=Max("updated_at"))["latest"]


class ClaimSitemap(PublicSitemap):
    """Published claims. A retracted claim keeps its page for those who follow a link to
    it, but is listed nowhere, this sitemap included."""

    def items(self):
        return Claim.objects.published().only("id", "slug", "updated_at").order_by("pk")


class ArticleSitemap(PublicSitemap):
    def items(self):
        return Article.objects.public().only("id", "updated_at").order_by("pk")


class OutletSitemap(PublicSitemap):
    def items(self):
        return Outlet.objects.public().only("id", "slug", "updated_at").order_by("pk")


class PageSitemap(PublicSitemap):
    """Index pages, the methodology and the organisation's pages."""

    PAGES = [
        "factcheck:home",
        "factcheck:claim_list",
        "factcheck:contradiction_list",
        "factcheck:corrections_log",
        "factcheck:methodology",
    ]

    def items(self):
        about = (
            FlatPage.objects.filter(
                url__startswith="/about/", registration_required=False, sites=settings.SITE_ID
            )
            .order_by("url")
            .values_list("url", flat=True)
        )
        return [reverse(name) for name in self.PAGES] + list(about)

    def location(self, item):
        return item

    def lastmod(self, item):
        return None

    def get_latest_lastmod(self):
        return None


SITEMAPS = {
    "pages": PageSitemap,
    "claims": ClaimSitemap,
    "articles": ArticleSitemap,
    "outlets": OutletSitemap,
}


@x_robots_tag
def sitemap_index(request):
    """Django's index view, with section addresses under SITE_URL like the sections' own."""
    items = []
    for section, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse(
            "factcheck:sitemap_section", kwargs={"section": section}
        )
        latest = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(location, latest))
        for page in range(2, sitemap.paginator.num_pages + 1):
            items.append(SitemapIndexItem(f"{location}?p={page}", latest))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )


def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: " + reverse("admin:index"),
        "",
        "Sitemap: " + settings.SITE_URL + reverse("factcheck:sitemap"),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
