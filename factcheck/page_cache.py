"""Reader pages served from Django's cache, never stale.

Every cached page is keyed by generations that committed writes raise. The claim pages,
the largest and most numerous, are keyed by their own claim's generation: a write raises
only the generations of the claims whose pages show the rows it wrote (CLAIM_PAGE_RULES),
so an edit to one claim leaves every other claim page cached. Every other page is keyed
by the site-wide generation, which every write raises. A write whose claims are not known
(bulk updates that send no signals, `loaddata`, rows of a model with no rule) raises the
bulk generation, part of every claim page's key, and so retires them all.

Saves and deletes through the ORM are seen by the signals connected here; bulk writes
call content_changed() themselves. Generations are raised once per transaction, after it
commits, so a reader that sees a new generation also sees the new rows. Readers who are
logged in (staff) never read or fill the cache.
"""

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.core.cache import cache
from django.db import connection as default_connection
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.http import QueryDict
from django.utils import translation
from simple_history.models import HistoricalChanges

from factcheck.filters import ClaimFilter
from factcheck.models import (
    CONTENT_STAMP_PK,
    Appearance,
    Article,
    ArticleBand,
    ArticleSignature,
    Claim,
    Claimant,
    ClaimEmbedding,
    ClaimMatchDocument,
    ClaimPageStamp,
    ClaimSlugRedirect,
    ClaimTransition,
    ContentStamp,
    Contradiction,
    Correction,
    EvidenceChange,
    EvidenceReview,
    ImportBatch,
    ImportItem,
    MatchTerm,
    MatchTranslation,
    Original,
    Outlet,
    OutletAlias,
    ProvenanceSuggestion,
    VerdictAlert,
)

KEY_PREFIX = "reader-page"


# --- Invalidation ----------------------------------------------------------------------


@dataclass
class PendingRaise:
    """What the current transaction wrote, as far as cached pages care; raised on commit."""

    bulk: bool = False
    claim_pages: set[int] = field(default_factory=set)
    # Resolved to claim pages only at commit, in a few grouped queries.
    claims: set[int] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    outlets: set[int] = field(default_factory=set)
    evidence_changes: set[int] = field(default_factory=set)

    def __call__(self) -> None:
        _raise_site_generation(bulk=self.bulk)
        if not self.bulk:
            _raise_claim_pages(self.claim_pages_touched())

    def claim_pages_touched(self) -> set[int]:
        """The claims whose pages show a row this transaction wrote, as the data now stands."""
        pages = set(self.claim_pages) | set(self.claims)
        # Claims whose evidence dates may have changed: shown beside them on the pages of
        # the claims they contradict.
        dated = set(self.claims)
        if self.articles or self.outlets:
            # A claim page shows each quoted article with its outlet and its origin.
            shown = Q()
            # A quote's credited source is shown like its article.
            if self.articles:
                shown |= (
                    Q(article__in=self.articles)
                    | Q(article__origin__in=self.articles)
                    | Q(article__retells__in=self.articles)
                    | Q(credited_source__in=self.articles)
                    | Q(credited_source__origin__in=self.articles)
                )
            if self.outlets:
                shown |= (
                    Q(article__outlet__in=self.outlets)
                    | Q(article__origin__outlet__in=self.outlets)
                    | Q(credited_source__outlet__in=self.outlets)
                    | Q(credited_source__origin__outlet__in=self.outlets)
                )
            quoting = set(
                Appearance.objects.filter(shown).values_list("claim_id", flat=True).distinct()
            )
            pages.update(quoting)
            if self.articles:
                dated.update(quoting)
        if dated:
            # A claim page names the claims it contradicts, the one that superseded it, and
            # the dates of their evidence.
            for pair in Contradiction.objects.filter(
                Q(claim_a__in=dated) | Q(claim_b__in=dated)
            ).values_list("claim_a_id", "claim_b_id"):
                pages.update(pair)
        if self.evidence_changes:
            pages.update(
                EvidenceChange.claims.through.objects.filter(
                    evidencechange_id__in=self.evidence_changes
                ).values_list("claim_id", flat=True)
            )
        pages.discard(None)
        return pages


def content_changed(
    *,
    claim_pages: Iterable[int] = (),
    claims: Iterable[int] = (),
    articles: Iterable[int] = (),
    outlets: Iterable[int] = (),
    evidence_changes: Iterable[int] = (),
    site_only: bool = False,
    using: str = "default",
) -> None:
    """Retire the cached pages that show what the current transaction wrote, on commit.

    Name what was written: the claims whose pages show it (`claim_pages`), or the claims,
    articles and outlets themselves, whose pages are found at commit; `site_only` for rows
    no claim page shows. Called with nothing named, it retires every claim page: the safe
    answer for bulk writes, whose rows are not known. Every page other than the claim
    pages is retired by any write.

    One raise is queued per transaction, however many writes it holds; what they name
    gathers in it. It runs exactly when the current write commits: a savepoint it was
    queued in is either still open around this write (and a rollback of it drops both) or
    already released into the enclosing transaction.
    """
    connection = transaction.get_connection(using)
    pending = None
    if connection.in_atomic_block:
        pending = next(
            (
                callback
                for _, callback, _ in connection.run_on_commit
                if isinstance(callback, PendingRaise)
            ),
            None,
        )
    queue = pending is None
    if queue:
        pending = PendingRaise()
    named = {
        "claim_pages": set(claim_pages),
        "claims": set(claims),
        "articles": set(articles),
        "outlets": set(outlets),
        "evidence_changes": set(evidence_changes),
    }
    for name, ids in named.items():
        ids.discard(None)  # a new row had no earlier value
        getattr(pending, name).update(ids)
    if not site_only and not any(named.values()):
        pending.bulk = True
    if queue:
        transaction.on_commit(pending, using=using)


def _raise_site_generation(*, bulk: bool) -> None:
    raises = {"generation": F("generation") + 1}
    if bulk:
        raises["bulk_generation"] = F("bulk_generation") + 1
    if not ContentStamp.objects.filter(pk=CONTENT_STAMP_PK).update(**raises):
        # The row was flushed away. Start from the clock so the new generations cannot
        # meet keys cached under the old ones.
        start = time.time_ns() // 1000
        ContentStamp.objects.get_or_create(
            pk=CONTENT_STAMP_PK, defaults={"generation": start, "bulk_generation": start}
        )


CLAIM_STAMP_UPSERT = (
    "INSERT INTO {table} (claim_id, generation) VALUES {values} "
    "ON CONFLICT (claim_id) DO UPDATE SET generation = {table}.generation + 1"
)


def _raise_claim_pages(claim_ids: set[int]) -> None:
    """Raise each claim's page generation; a claim without a stamp starts from the clock,
    far above the 0 its pages were keyed by until now."""
    if not claim_ids:
        return
    table = default_connection.ops.quote_name(ClaimPageStamp._meta.db_table)
    start = time.time_ns() // 1000
    ordered = sorted(claim_ids)  # one lock order for concurrent raises
    with default_connection.cursor() as cursor:
        for offset in range(0, len(ordered), 500):
            chunk = ordered[offset : offset + 500]
            cursor.execute(
                CLAIM_STAMP_UPSERT.format(table=table, values=", ".join(["(%s, %s)"] * len(chunk))),
                [value for claim_id in chunk for value in (claim_id, start)],
            )


def _loaded(instance, *names) -> set:
    """The row's current values of these fields and those it had when loaded (kept by
    _remember_loaded), so a row moved from one claim to another retires both pages."""
    values = {getattr(instance, name) for name in names}
    values.update(getattr(instance, "_page_cache_loaded", ()))
    return values


# What a row shows on: for each model, the claim pages (or the claims, articles and
# outlets whose pages) a write to one of its rows changes, as content_changed() arguments.
# A model without a rule retires every claim page on each write: add one for a new model.
CLAIM_PAGE_RULES: dict[type, Callable] = {
    Claim: lambda row: {"claims": [row.pk]},
    # An appearance is shown on its claim's page, and its date beside that claim on the
    # pages of the claims contradicting it (resolved at commit, as for a claim).
    Appearance: lambda row: {"claims": _loaded(row, "claim_id")},
    Article: lambda row: {"articles": [row.pk]},
    Outlet: lambda row: {"outlets": [row.pk]},
    Contradiction: lambda row: {"claim_pages": _loaded(row, "claim_a_id", "claim_b_id")},
    Correction: lambda row: {"claim_pages": [row.claim_id]},
    ClaimTransition: lambda row: {"claim_pages": [row.claim_id]},
    ClaimSlugRedirect: lambda row: {"claim_pages": [row.claim_id]},
    EvidenceReview: lambda row: {"claim_pages": [row.claim_id]},
    VerdictAlert: lambda row: {"claim_pages": [row.claim_id]},
    EvidenceChange: lambda row: {"evidence_changes": [row.pk]},
    # Shown on no claim page: the site generation alone retires the pages that show it.
    FlatPage: lambda row: {"site_only": True},
    FlatPage.sites.through: lambda row: {"site_only": True},
    # A claimant is named on the pages of its claims (none when it is deleted: PROTECT).
    Claimant: lambda row: {
        "claim_pages": Claim.objects.filter(claimant=row.pk).values_list("pk", flat=True),
        "site_only": True,
    },
}
# Rows no reader page shows (staff's tools, internal indexes): writing them retires
# nothing, and their deletes stay fast deletes, with no signal to send.
NOT_SHOWN_TO_READERS = (
    OutletAlias,
    Original,
    ImportBatch,
    ImportItem,
    ClaimMatchDocument,
    ClaimEmbedding,
    MatchTerm,
    MatchTranslation,
    ArticleSignature,
    ArticleBand,
    ProvenanceSuggestion,
)
# The fields whose values on load the rules above need.
LOADED_FIELDS = {Appearance: ("claim_id",), Contradiction: ("claim_a_id", "claim_b_id")}


def _remember_loaded(sender, instance, **kwargs):
    # From __dict__, never through the descriptor: a deferred field must not cost a query.
    instance._page_cache_loaded = tuple(
        instance.__dict__.get(name) for name in LOADED_FIELDS[sender]
    )


def _row_written(sender, instance, using, raw=False, **kwargs):
    rule = CLAIM_PAGE_RULES.get(sender)
    if raw or rule is None:
        content_changed(using=using)  # every claim page
        return
    content_changed(**rule(instance), using=using)


def _claims_of_change_written(sender, instance, action, pk_set, using, **kwargs):
    if action in ("post_add", "post_remove"):
        content_changed(claim_pages=pk_set or (), evidence_changes=[instance.pk], using=using)
    elif action == "pre_clear":
        content_changed(evidence_changes=[instance.pk], using=using)


def connect_signals(app_config) -> None:
    for model in app_config.get_models():
        # A history row is written beside the save of the row it records, which raises
        # the stamps already.
        if model in (ContentStamp, ClaimPageStamp, *NOT_SHOWN_TO_READERS) or issubclass(
            model, HistoricalChanges
        ):
            continue
        post_save.connect(_row_written, sender=model, dispatch_uid=f"page-cache-save-{model}")
        post_delete.connect(_row_written, sender=model, dispatch_uid=f"page-cache-del-{model}")
    for model in LOADED_FIELDS:
        post_init.connect(_remember_loaded, sender=model, dispatch_uid=f"page-cache-init-{model}")
    m2m_changed.connect(
        _claims_of_change_written,
        sender=EvidenceChange.claims.through,
        dispatch_uid="page-cache-evidence-change-claims",
    )


# --- Serving ---------------------------------------------------------------------------


def current_generation() -> int | None:
    """The site-wide generation, which keys every page but the claim pages."""
    return (
        ContentStamp.objects.filter(pk=CONTENT_STAMP_PK)
        .values_list("generation", flat=True)
        .first()
    )


def site_page_generation(request, kwargs) -> str | None:
    generation = current_generation()
    return None if generation is None else f"site{generation}"


def claim_page_generation(request, kwargs) -> str | None:
    """The bulk generation and the claim's own, read in one query by the page's slug.

    None, so the page renders uncached, when no claim has the slug (a 404 or the
    redirect of a renamed claim) or the stamp was flushed away.
    """
    row = (
        Claim.objects.filter(slug=kwargs.get("slug", ""))
        .annotate(
            bulk=Subquery(
                ContentStamp.objects.filter(pk=CONTENT_STAMP_PK).values("bulk_generation")
            ),
            page=Subquery(
                ClaimPageStamp.objects.filter(claim_id=OuterRef("pk")).values("generation")
            ),
        )
        .values_list("pk", "bulk", "page")
        .first()
    )
    if row is None or row[1] is None:
        return None
    claim_id, bulk, page = row
    return f"claim{claim_id}:{bulk}.{page or 0}"


def is_cacheable(request) -> bool:
    return (
        settings.READER_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.user.is_authenticated
    )


def storable(request, response) -> bool:
    """A 200 meant for everyone: no cookie, and no CSRF token tied to this reader's cookie."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


# The query parameters each reader page reads, by URL name: only these tell one page from
# another. Anything else in the address is dropped before the page is rendered and left
# out of the key, so random parameters can neither fill the cache nor reach the page (the
# table's sort and page links carry the query string along). A page not listed here keys
# on its whole query string, normalised.
CLAIM_LIST_PARAMETERS = ("sort", "page", *ClaimFilter.base_filters, "_export")
PAGE_PARAMETERS = {
    "home": (),
    "claim_list": CLAIM_LIST_PARAMETERS,
    "claim_detail": (),
    "article_detail": (),
    "outlet_detail": (),
    "contradiction_list": ("page",),
    "search": ("q",),
    "corrections_log": ("page",),
    "about_page": (),
    "factchecks_atom": (),
    "factchecks_rss": (),
    "corrections_atom": (),
    "corrections_rss": (),
    "sitemap": (),
    "sitemap_section": ("p",),
}


def read_parameters(request) -> QueryDict | None:
    """The parameters the page reads, sorted, each once with the value the page reads (the
    last); None for a page whose parameters are not listed."""
    match = request.resolver_match
    known = PAGE_PARAMETERS.get(match.url_name) if match else None
    if known is None:
        return None
    return QueryDict(
        urlencode([(name, request.GET[name]) for name in sorted(set(known) & set(request.GET))])
    )


def page_key(generation: str, request, parameters: QueryDict | None) -> str:
    if parameters is None:
        query = urlencode(
            sorted((name, sorted(set(values))) for name, values in request.GET.lists()), doseq=True
        )
    else:
        query = parameters.urlencode()
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    # The language a page is rendered in is part of what it is, whatever chose it.
    return f"{KEY_PREFIX}:{generation}:{translation.get_language()}:{digest}"


def cache_reader_page(view, *, generation=site_page_generation):
    """Serve anonymous readers a stored copy of the page while the content is unchanged.

    `generation(request, kwargs)` reads what keys the page: by default the site-wide
    generation; the claim pages pass claim_page_generation.
    """

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not is_cacheable(request):
            return view(request, *args, **kwargs)
        key_generation = generation(request, kwargs)
        if key_generation is None:
            return view(request, *args, **kwargs)
        parameters = read_parameters(request)
        key = page_key(key_generation, request, parameters)
        response = cache.get(key)
        if response is not None:
            return response
        if parameters is not None:
            # Rendered from exactly what the key holds, so the copy suits every address
            # that shares the key.
            request.GET = parameters
            request.META["QUERY_STRING"] = parameters.urlencode()
        response = view(request, *args, **kwargs)
        if not storable(request, response):
            return response
        if hasattr(response, "render"):
            response.render()
        if request.method == "GET":
            cache.set(key, response, settings.READER_PAGE_CACHE_SECONDS)
        return response

    return cached_view
