"""Cursor pagination over the lists' own orders: each page starts after the last row read.

A page costs the same at any depth: the cursor carries the sort key of the last row of
the previous page, and the next page is the rows after it in the list's order, read from
the index that order was built for (no OFFSET). Like the reader index
(tables.IdsFirstQuerysetData), a page reads its ids first, then only those rows.

The cursor is opaque to clients (base64 of the sort and the key); one made for another
sort, or altered, is refused with a 400 rather than silently answering something else.
"""

import base64
import binascii
import json
import math
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q
from django.db.models.lookups import IsNull
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from factcheck.middleware import control_character

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100
# PostgreSQL's bigint: a larger number in a forged cursor would fail in the database.
LARGEST_INTEGER = 2**63 - 1


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool = False
    # Empty values go last in both directions, written as the indexes are (nulls_last()).
    nulls_last: bool = False

    def order_by(self) -> list:
        column = F(self.field)
        ordered = column.desc() if self.descending else column.asc()
        return [IsNull(column, True).asc(), ordered] if self.nulls_last else [ordered]

    def equal(self, value) -> Q:
        return Q(**{f"{self.field}__isnull": True}) if value is None else Q(**{self.field: value})

    def after(self, value) -> Q | None:
        """Rows that come after `value` in this key's direction; None when none can."""
        if value is None:
            # Empty values are last and equal to each other: nothing sorts after them.
            return None
        lookup = "lt" if self.descending else "gt"
        later = Q(**{f"{self.field}__{lookup}": value})
        if self.nulls_last:
            later |= Q(**{f"{self.field}__isnull": True})
        return later


@dataclass(frozen=True)
class Ordering:
    """A list's order: keys compared left to right, the last one unique (the id)."""

    name: str
    keys: tuple[SortKey, ...]

    def order_by(self) -> list:
        return [expression for key in self.keys for expression in key.order_by()]

    def after(self, values: list) -> Q:
        """Rows after the row whose keys are `values`, in lexicographic order."""
        condition = Q(pk__in=[])
        equal_so_far = Q()
        for key, value in zip(self.keys, values, strict=True):
            later = key.after(value)
            if later is not None:
                condition |= equal_so_far & later
            equal_so_far &= key.equal(value)
        return condition

    def values_of(self, row) -> list:
        return [getattr(row, key.field) for key in self.keys]


class KeyEncoder(DjangoJSONEncoder):
    """Times to the microsecond: DjangoJSONEncoder keeps milliseconds, and a cursor a
    little before its row would start the next page with that row again."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


def encode_cursor(ordering: Ordering, values: list) -> str:
    payload = json.dumps({"sort": ordering.name, "after": values}, cls=KeyEncoder)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


INVALID_CURSOR = (
    "This cursor is not valid for this list and sort: use the `next` link of a page "
    "exactly as it was given, with the same parameters."
)


def decode_cursor(cursor: str, *, ordering: Ordering, model) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValidationError({"cursor": INVALID_CURSOR}) from None
    if not isinstance(payload, dict) or payload.get("sort") != ordering.name:
        raise ValidationError({"cursor": INVALID_CURSOR})
    values = payload.get("after")
    if not isinstance(values, list) or len(values) != len(ordering.keys):
        raise ValidationError({"cursor": INVALID_CURSOR})
    return [key_value(model, key, value) for key, value in zip(ordering.keys, values, strict=True)]


def key_value(model, key: SortKey, value):
    """A cursor value as the database compares it; anything a key cannot hold is refused."""
    if value is None:
        if key.nulls_last:
            return None
        raise ValidationError({"cursor": INVALID_CURSOR})
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValidationError({"cursor": INVALID_CURSOR})
    if isinstance(value, str) and control_character(value):
        raise ValidationError({"cursor": INVALID_CURSOR})
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError({"cursor": INVALID_CURSOR})
    if isinstance(value, int) and abs(value) > LARGEST_INTEGER:
        raise ValidationError({"cursor": INVALID_CURSOR})
    try:
        field = model._meta.get_field("id" if key.field == "pk" else key.field)
    except FieldDoesNotExist:
        # An annotation (a count): whole numbers only.
        if not isinstance(value, int):
            raise ValidationError({"cursor": INVALID_CURSOR}) from None
        return value
    try:
        converted = field.to_python(value)
    except (DjangoValidationError, TypeError, ValueError, OverflowError):
        raise ValidationError({"cursor": INVALID_CURSOR}) from None
    # "NaN" and "inf" convert to floats no row holds: refused like any other forgery.
    if converted is None or (isinstance(converted, float) and not math.isfinite(converted)):
        raise ValidationError({"cursor": INVALID_CURSOR})
    return converted


def page_size_of(request) -> int:
    raw = request.query_params.get("page_size")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": f"A page holds 1 to {MAX_PAGE_SIZE} rows; “{raw[:40]}” is not that."}
        )
    return int(raw)


class KeysetPagination(BasePagination):
    """Pages of a list whose view names its order in `ordering` (an Ordering)."""

    cursor_query_param = "cursor"

    def paginate_queryset(self, queryset, request, view=None):
        ordering: Ordering = view.ordering
        self.request = request
        self.page_size = page_size_of(request)
        rows = queryset.order_by(*ordering.order_by())
        cursor = request.query_params.get(self.cursor_query_param)
        if cursor is not None:
            values = decode_cursor(cursor, ordering=ordering, model=queryset.model)
            rows = rows.filter(ordering.after(values))
        ids = list(rows.values_list("pk", flat=True)[: self.page_size + 1])
        self.has_next = len(ids) > self.page_size
        ids = ids[: self.page_size]
        by_pk = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)} if ids else {}
        page = [by_pk[pk] for pk in ids if pk in by_pk]
        self.next_cursor = (
            encode_cursor(ordering, ordering.values_of(page[-1])) if self.has_next else None
        )
        return page

    def get_next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from the previous page's `next`.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
