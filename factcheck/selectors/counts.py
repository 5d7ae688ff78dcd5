"""Counts that change only on writes, kept in the cache under the site-wide generation.

Every committed write to reader-visible rows raises ContentStamp.generation (see
factcheck/page_cache.py), so a count stored under generation G is exact for as long as G
is current, and no request after a write can meet it. The generation is read before
the count: a writer commits its rows before it raises the generation, so a count made
after reading G holds every write that G stands for; one that also saw a later write is
stored under a generation that write retires. When the stamp is missing (flushed) the
count is made each time. The cache is Django's, so with REDIS_URL every worker and
server shares each count; READER_COUNT_CACHE_SECONDS = 0 counts on every request.

Within one request the generation is read once, by the first count the page asks for;
the counts after it are still made after that read, which is all correctness needs.
"""

import contextvars
import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import router
from django.db.models import QuerySet
from django.utils.functional import cached_property

from factcheck.models import CONTENT_STAMP_PK, ContentStamp

KEY_PREFIX = "reader-count"

# The generations read during the current request, by database; None outside requests
# (commands, the shell), where every count reads the generation afresh.
_request_generations: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "request_generations", default=None
)


def _request_began(**kwargs) -> None:
    _request_generations.set({})


def _request_ended(**kwargs) -> None:
    _request_generations.set(None)


request_started.connect(_request_began, dispatch_uid="reader-count-request-started")
request_finished.connect(_request_ended, dispatch_uid="reader-count-request-finished")


def _generation(using: str) -> int | None:
    read = _request_generations.get()
    if read is not None and using in read:
        return read[using]
    generation = (
        ContentStamp.objects.using(using)
        .filter(pk=CONTENT_STAMP_PK)
        .values_list("generation", flat=True)
        .first()
    )
    if read is not None:
        read[using] = generation
    return generation


def counted(name: str, count: Callable[[str], object], *, using: str | None = None):
    """`count(using)`, made once per content generation under `name`.

    The generation and the count are read from one database (`using`, or the one the
    router picks for a read), so a replica's count is stored under that replica's
    generation.
    """
    using = using or router.db_for_read(ContentStamp)
    seconds = settings.READER_COUNT_CACHE_SECONDS
    generation = _generation(using) if seconds > 0 else None
    if generation is None:
        return count(using)
    key = f"{KEY_PREFIX}:{generation}:{name}"
    value = cache.get(key)
    if value is None:
        value = count(using)
        cache.set(key, value, seconds)
    return value


def queryset_key(queryset: QuerySet) -> str:
    """A name for the rows a queryset selects: its SQL and parameters, hashed."""
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()


def queryset_count(queryset: QuerySet) -> int:
    rows = queryset.order_by()
    try:
        name = f"rows:{queryset_key(rows)}"
    except EmptyResultSet:  # e.g. a filter given a value it cannot take
        return 0
    return counted(name, lambda using: rows.using(using).count(), using=rows.db)


class CountedPaginator(Paginator):
    """A paginator whose row count is made once per content generation.

    `name`, when given, names the count for counted(): a page whose rows never vary
    with the request names them once rather than have its SQL compiled and hashed on
    every request for the key. The name must stand for those rows alone.
    """

    def __init__(self, object_list, per_page, *args, name: str | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.name = name

    @cached_property
    def count(self):
        if self.name is None:
            return queryset_count(self.object_list)
        rows = self.object_list.order_by()
        return counted(self.name, lambda using: rows.using(using).count(), using=rows.db)
