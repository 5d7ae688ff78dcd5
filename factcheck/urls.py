from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from factcheck import feeds, sitemaps, transparency, views
from factcheck.page_cache import cache_reader_page, claim_page_generation

app_name = "factcheck"

reader_patterns = [
    path("", cache_reader_page(views.home), name="home"),
    path("claims/", cache_reader_page(views.ClaimListView.as_view()), name="claim_list"),
    path(
        "claims/<slug:slug>/",
        cache_reader_page(views.ClaimDetailView.as_view(), generation=claim_page_generation),
        name="claim_detail",
    ),
    path("articles/<int:pk>/", cache_reader_page(views.article_detail), name="article_detail"),
    path(
        "outlets/<slug:slug>/",
        cache_reader_page(views.OutletDetailView.as_view()),
        name="outlet_detail",
    ),
    path("contradictions/", cache_reader_page(views.contradiction_list), name="contradiction_list"),
    path("search/", cache_reader_page(views.search), name="search"),
    # Transparency pages and the public record for machines (feeds.py, sitemaps.py,
    # transparency.py). The methodology is computed from the code and queries nothing,
    # so it is never cached: it changes with the code, not with the content stamp.
    path("corrections/", cache_reader_page(transparency.corrections_log), name="corrections_log"),
    path("methodology/", transparency.methodology, name="methodology"),
    path("about/<slug:name>/", cache_reader_page(transparency.about_page), name="about_page"),
    path("feed/", cache_reader_page(feeds.FactChecksAtom()), name="factchecks_atom"),
    path("feed/rss/", cache_reader_page(feeds.FactChecksRss()), name="factchecks_rss"),
    path(
        "feed/corrections/",
        cache_reader_page(feeds.CorrectionsAtom()),
        name="corrections_atom",
    ),
    path(
        "feed/corrections/rss/",
        cache_reader_page(feeds.CorrectionsRss()),
        name="corrections_rss",
    ),
    path("data/claimreview.json", feeds.claimreview_feed, name="claimreview_feed"),
    path("sitemap.xml", cache_reader_page(sitemaps.sitemap_index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        cache_reader_page(sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon, name="favicon"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("factcheck.api.urls")),
    path("", include((reader_patterns, app_name))),
]
