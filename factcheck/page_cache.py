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

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from factcheck.models import CONTENT_STAMP_PK, ContentStamp

KEY_PREFIX = "reader-page"


# --- Invalidation ----------------------------------------------------------------------


def content_changed(*, using: str = "default") -> None:
    """Retire every cached reader page once the current transaction commits."""
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
        if model is ContentStamp:
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


def page_key(generation: int, request) -> str:
    address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"{KEY_PREFIX}:{generation}:{address}"


def cache_reader_page(view):
    """Serve anonymous readers a stored copy of the page while the content is unchanged."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if not is_cacheable(request):
            return view(request, *args, **kwargs)
        generation = current_generation()
        if generation is None:
            return view(request, *args, **kwargs)
        key = page_key(generation, request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if not storable(request, response):
            return response
        if hasattr(response, "render"):
            response.render()
        if request.method == "GET":
            cache.set(key, response, settings.READER_PAGE_CACHE_SECONDS)
        return response

    return cached_view
