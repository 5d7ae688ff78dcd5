"""The pages the benchmark measures, with their targets: the one table to edit.

A page whose URL name does not resolve (not built yet on this branch) is reported as not
available instead of failing the run.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from factcheck.bench.synthetic import BENCHMARK_CLAIM_SLUG
from factcheck.models import Article, Claim

# The claims index is read this deep at the default scale (100,000 claims); smaller
# corpora are read at the same relative depth.
DEEP_PAGE = 2000
DEEP_PAGE_SHARE = 0.6
SEARCH_TERM = "hospitals"


@dataclass
class Corpus:
    """What the page table needs to know about the data being served."""

    claims: int
    published_claims: int
    benchmark_claim: str | None
    busiest_article: int | None
    deep_page: int = 2

    @classmethod
    def inspect(cls) -> "Corpus":
        busiest = (
            Article.objects.archived()
            .annotate(quoted=Count("appearances"))
            .order_by("-quoted", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        claims = Claim.objects.count()
        return cls(
            claims=claims,
            published_claims=Claim.objects.published().count(),
            benchmark_claim=Claim.objects.published()
            .filter(slug=BENCHMARK_CLAIM_SLUG)
            .values_list("slug", flat=True)
            .first(),
            busiest_article=busiest,
            deep_page=max(2, round(DEEP_PAGE * claims / 100_000)),
        )

    def read_page_count(self, page_count: int | None) -> None:
        """Aim the deep page at the same relative depth as page 2,000 of the full corpus."""
        if page_count:
            self.deep_page = max(2, min(DEEP_PAGE, round(page_count * DEEP_PAGE_SHARE)))


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    url_name: str
    target: float | None = None  # warm median allowed, as a multiple of the baseline's
    uncached_target: float | None = None  # the same, with the page cache off
    # The uncached median may grow at most GROWTH_LIMIT times from the small corpus to the
    # default one: the page counts nothing per request that only writes change.
    growth_target: bool = False
    kwargs: Callable[[Corpus], dict] = field(default=lambda corpus: {})
    query: Callable[[Corpus], dict] = field(default=lambda corpus: {})
    staff: bool = False

    def path(self, corpus: Corpus) -> str:
        """The page's path and query; NoReverseMatch when the page does not exist yet."""
        path = reverse(self.url_name, kwargs=self.kwargs(corpus))
        query = self.query(corpus)
        return f"{path}?{urlencode(query)}" if query else path


BASELINE = Page("baseline", "Baseline (layout, no query)", "bench_baseline")

PAGES = [
    BASELINE,
    Page("home", "Home", "factcheck:home", uncached_target=8, growth_target=True),
    Page(
        "claim_detail",
        "Claim page (500 appearances)",
        "factcheck:claim_detail",
        target=2,
        uncached_target=40,
        kwargs=lambda corpus: {"slug": corpus.benchmark_claim or BENCHMARK_CLAIM_SLUG},
    ),
    Page(
        "claim_list_first",
        "Claims index by agreement, first page",
        "factcheck:claim_list",
        target=3,
        uncached_target=12,
        query=lambda corpus: {"sort": "-agreement"},
    ),
    Page(
        "claim_list_deep",
        "Claims index by agreement, deep page",
        "factcheck:claim_list",
        target=3,
        uncached_target=12,
        query=lambda corpus: {"sort": "-agreement", "page": corpus.deep_page},
    ),
    Page(
        "api_claim_list_first",
        "API: claims by agreement, first page",
        "api:claim-list",
        target=3,
        query=lambda corpus: {"sort": "-agreement"},
    ),
    Page(
        "api_claim_list_deep",
        "API: claims by agreement, deep cursor page",
        "api:claim-list",
        target=3,
        query=lambda corpus: api_deep_cursor(corpus),
    ),
    Page(
        "api_claim_detail",
        "API: claim detail (500 appearances)",
        "api:claim-detail",
        target=2,
        kwargs=lambda corpus: {"slug": corpus.benchmark_claim or BENCHMARK_CLAIM_SLUG},
    ),
    Page(
        "claim_list_filtered",
        "Claims index, filtered (verdict, language)",
        "factcheck:claim_list",
        uncached_target=12,
        growth_target=True,
        query=lambda corpus: {"verdict": "false", "language": "it", "sort": "-agreement"},
    ),
    Page(
        "search",
        "Search",
        "factcheck:search",
        target=5,
        uncached_target=20,
        query=lambda corpus: {"q": SEARCH_TERM},
    ),
    Page(
        "article_detail",
        "Article page (most quoted article)",
        "factcheck:article_detail",
        uncached_target=8,
        kwargs=lambda corpus: {"pk": corpus.busiest_article or 0},
    ),
    Page(
        "contradiction_list",
        "Contradictions",
        "factcheck:contradiction_list",
        uncached_target=8,
        growth_target=True,
    ),
    Page(
        "admin_claim_changelist",
        "Admin: claims changelist",
        "admin:factcheck_claim_changelist",
        target=5,
        uncached_target=25,
        staff=True,
    ),
]


def api_deep_cursor(corpus: Corpus) -> dict:
    """The API page holding the same rows as the reader index's deep page (25 a page)."""
    from factcheck.api.pagination import DEFAULT_PAGE_SIZE, encode_cursor
    from factcheck.api.views import CLAIM_ORDERINGS

    ordering = CLAIM_ORDERINGS["-agreement"]
    keys = [key.field for key in ordering.keys]
    before = (corpus.deep_page - 1) * DEFAULT_PAGE_SIZE - 1
    rows = Claim.objects.published().order_by(*ordering.order_by()).values_list(*keys)
    last = rows[before : before + 1].first() if before >= 0 else None
    if last is None:
        return {"sort": "-agreement"}
    return {"sort": "-agreement", "cursor": encode_cursor(ordering, list(last))}


WORKER_RSS_LIMIT_MB = 250
GROWTH_LIMIT = 1.5
GENERATION_LIMIT_SECONDS = 600
