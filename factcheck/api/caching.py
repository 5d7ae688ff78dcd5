"""Answers kept while the content is unchanged, with validators clients can poll with.

A rendered answer is kept under the content stamp's generation, like a reader page
(factcheck/page_cache.py): every committed write retires it. Its ETag is a digest of the
body itself, so it changes exactly when what the client would read changes, and an edit
elsewhere in the corpus leaves it alone: a client polling one claim with If-None-Match
gets 304 until that claim's record changes. Last-Modified is the latest change time
among the rows shown (their updated_at, created_at); rows removed from a list do not
move it, so If-None-Match is the validator to poll with (it takes precedence).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from rest_framework.renderers import JSONRenderer

from factcheck.page_cache import current_generation, is_cacheable

KEY_PREFIX = "api-answer"
TIMESTAMP_FIELDS = frozenset({"updated_at", "created_at", "reviewed_at", "at"})


@dataclass(frozen=True)
class StoredAnswer:
    content: bytes
    etag: str
    last_modified: float | None


def latest_timestamp(data) -> float | None:
    """The latest of the timestamps anywhere in serialized data, as a POSIX time."""
    latest = None
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in TIMESTAMP_FIELDS and isinstance(value, str) and value:
                    moment = datetime.fromisoformat(value).timestamp()
                    latest = moment if latest is None else max(latest, moment)
                elif isinstance(value, dict | list):
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return latest


def stored_answer(data) -> StoredAnswer:
    content = JSONRenderer().render(data)
    etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
    return StoredAnswer(content=content, etag=etag, last_modified=latest_timestamp(data))


def answer_key(generation: int, request) -> str:
    # The view has checked every parameter by now: the sorted query names the answer.
    query = urlencode(sorted(request.query_params.items()))
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"{KEY_PREFIX}:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def cached_answer(request, render) -> HttpResponse:
    """The answer to `request`, from the cache or from `render()`, honouring validators.

    `render` returns the serialized data, or an HttpResponse (an error, a redirect) that
    is passed on as it is and never kept.
    """
    key = None
    if is_cacheable(request._request):
        generation = current_generation()
        key = answer_key(generation, request) if generation is not None else None
    stored = cache.get(key) if key else None
    if stored is None:
        data = render()
        if isinstance(data, HttpResponse):
            return data
        stored = stored_answer(data)
        if key and request.method == "GET":
            cache.set(key, stored, settings.READER_PAGE_CACHE_SECONDS)
    response = HttpResponse(stored.content, content_type="application/json")
    response["ETag"] = stored.etag
    if stored.last_modified is not None:
        response["Last-Modified"] = http_date(stored.last_modified)
    # Clients may keep the answer but must ask again (with its validators) before reuse.
    response["Cache-Control"] = "no-cache"
    return get_conditional_response(
        request._request,
        etag=stored.etag,
        last_modified=int(stored.last_modified) if stored.last_modified is not None else None,
        response=response,
    )
