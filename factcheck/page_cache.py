"""Reader pages served from Django's cache, never stale.

Every cached page is keyed by the content stamp's generation, which every committed write
to reader-visible data raises: saves and deletes through the ORM via the signals connected
here, bulk writes that skip signals by calling content_changed() themselves. A write thus
retires every cached page at once; nothing has to know which pages a row appears on.

The stamp is raised after commit, so a reader that sees the new generation also sees the
new rows. Readers who are logged in (staff) never read or fill the cache.
"""

import hashlib
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict
from simple_history.models import HistoricalChanges

from factcheck.filters import ClaimFilter
from factcheck.models import CONTENT_STAMP_PK, ContentStamp

KEY_PREFIX = "reader-page"


# --- Invalidation ----------------------------------------------------------------------


def content_changed(*, using: str = "default") -> None:
    """Retire every cached reader page once the current transaction commits.

    One admin save writes several rows, and each would queue a raise of its own: the stamp
    is raised once per transaction, so a callback already waiting for this commit is
    enough. It runs exactly when the current write commits: a savepoint it was queued in
    is either still open around this write (and a rollback of it drops both) or already
    released into the enclosing transaction.
    """
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
        callback is _raise_generation for _, callback, _ in connection.run_on_commit
    ):
        return
    transaction.on_commit(_raise_generation, using=using)


def _raise_generation() -> None:
    raised = ContentStamp.objects.filter(pk=CONTENT_STAMP_PK).update(generation=F("generation") + 1)
    if not raised:
        # The row was flushed away. Start from the clock so the new generations cannot
        # meet keys cached under the old ones.
        ContentStamp.objects.get_or_create(
            pk=CONTENT_STAMP_PK, defaults={"generation": time.time_ns() // 1000}
        )


def _row_written(sender, using, **kwargs):
    content_changed(using=using)


def connect_signals(app_config) -> None:
    for model in app_config.get_models():
        # A history row is written beside the save of the row it records, which raises
        # the stamp already.
        if model is ContentStamp or issubclass(model, HistoricalChanges):
            continue
        post_save.connect(_row_written, sender=model, dispatch_uid=f"page-cache-save-{model}")
        post_delete.connect(_row_written, sender=model, dispatch_uid=f"page-cache-del-{model}")


# --- Serving ---------------------------------------------------------------------------


def current_generation() -> int | None:
    return (
        ContentStamp.objects.filter(pk=CONTENT_STAMP_PK)
        .values_list("generation", flat=True)
        .first()
    )


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


def page_key(generation: int, request, parameters: QueryDict | None) -> str:
    if parameters is None:
        query = urlencode(
            sorted((name, sorted(set(values))) for name, values in request.GET.lists()), doseq=True
        )
    else:
        query = parameters.urlencode()
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"{KEY_PREFIX}:{generation}:{digest}"


def cache_reader_page(view):
    """Serve anonymous readers a stored copy of the page while the content is unchanged."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not is_cacheable(request):
            return view(request, *args, **kwargs)
        generation = current_generation()
        if generation is None:
            return view(request, *args, **kwargs)
        parameters = read_parameters(request)
        key = page_key(generation, request, parameters)
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
