"""Deep pages of a list read from a kept anchor instead of an OFFSET from the first row.

OFFSET n walks n entries of the ordering's index on every request (50,000 for page 2,000
of the claims index). The rows at every ANCHOR_SPACING-th position of an ordering change
only on writes, so their sort keys are read once per content generation (counted()), and
a page starts from the anchor at or before its first row: a condition on the sort keys
that the ordering's index answers as the start of its scan, then an OFFSET of fewer than
ANCHOR_SPACING rows. The page holds the same rows as with the OFFSET alone, and `?page=N`
addresses stay as they are.

The rows between two anchors share whatever leading sort keys the two anchors share, so
those keys are asked as equalities: the index scan can then also start at the anchor's
value of the next key (a B-tree starts its scan at a bound of one column only after
equalities on the columns before it).
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import BooleanField, F, Func, Q, QuerySet, Value, Window
from django.db.models.expressions import OrderBy
from django.db.models.functions import RowNumber
from django.db.models.lookups import IsNull

from factcheck.selectors.counts import counted, queryset_key

ANCHOR_SPACING = 1000


@dataclass(frozen=True)
class SortKey:
    """One term of an ordering: a column, or whether a column is empty (`nulls_last`)."""

    field: str
    descending: bool
    null_test: bool = False

    def value(self, row: dict):
        return row[self.field] is None if self.null_test else row[self.field]


class IsNullEquals(Func):
    """`(field IS NULL) = value`, written so that PostgreSQL keeps it as an index condition.

    PostgreSQL rewrites `(field IS NULL) = false` to `field IS NOT NULL`, which no column of
    an index on `(field IS NULL), field, id` is; `= ANY('{f}')` it leaves as written.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, field: str, value: bool):
        super().__init__(IsNull(F(field), True))
        self.value = value

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql}) = %s", [*params, self.value]

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql}) = ANY(%s)", [*params, [self.value]]


class RowsFrom(Func):
    """`(a, b, …) >= (x, y, …)` (or `<=`): the start of a scan in an index on those columns
    in one direction, ties on the first column included."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, fields: list[str], values: list, *, descending: bool):
        super().__init__(*[F(name) for name in fields], *[Value(value) for value in values])
        self.width = len(fields)
        self.operator = "<=" if descending else ">="

    def as_sql(self, compiler, connection, **extra):
        compiled = [compiler.compile(expression) for expression in self.source_expressions]
        columns = ", ".join(sql for sql, _ in compiled[: self.width])
        values = ", ".join(sql for sql, _ in compiled[self.width :])
        params = [param for _, part in compiled for param in part]
        return f"(({columns}) {self.operator} ({values}))", params


def sort_keys(queryset: QuerySet) -> list[SortKey] | None:
    """The queryset's ordering as sort keys, or None when a keyset cannot follow it: an
    expression other than a column or its emptiness, a relation, an annotation, a column
    that may be empty without its emptiness ordered first, or no id last (a total order)."""
    opts = queryset.model._meta
    keys = []
    for term in queryset.query.order_by:
        if isinstance(term, str):
            descending, expression = term.startswith("-"), F(term.lstrip("-"))
        elif isinstance(term, OrderBy) and not (term.nulls_first or term.nulls_last):
            descending, expression = term.descending, term.expression
        else:
            return None
        null_test = isinstance(expression, IsNull) and expression.rhs is True
        if null_test:
            expression = expression.lhs
        if not isinstance(expression, F):
            return None
        try:
            field = opts.pk if expression.name == "pk" else opts.get_field(expression.name)
        except FieldDoesNotExist:
            return None
        if field.is_relation:
            return None
        if field.null and not null_test and keys[-1:] != [SortKey(field.name, False, True)]:
            return None  # where empty values sort would be up to the database
        keys.append(SortKey(field.name, descending, null_test))
    if not keys or keys[-1] != SortKey(opts.pk.name, keys[-1].descending):
        return None
    return keys


def _fields(keys: list[SortKey]) -> list[str]:
    return list(dict.fromkeys(key.field for key in keys))


def page_anchors(queryset: QuerySet, keys: list[SortKey]) -> list[dict]:
    """The sort key columns of every ANCHOR_SPACING-th row, first row included, in order;
    read once per content generation for the rows and ordering `queryset` selects."""
    fields = _fields(keys)

    def read(using: str) -> list[dict]:
        # One walk of the ordering's index; the remainder is filtered over the window's
        # output (Django wraps the numbered rows in an outer query for it).
        return list(
            queryset.using(using)
            .annotate(position=Window(RowNumber(), order_by=list(queryset.query.order_by)))
            .annotate(phase=(F("position") - 1) % ANCHOR_SPACING)
            .filter(phase=0)
            .order_by("position")
            .values("position", *fields)
        )

    return counted(f"anchors:{queryset_key(queryset.values('pk'))}", read, using=queryset.db)


def _equal(key: SortKey, value) -> Q:
    if key.null_test:
        return Q(IsNullEquals(key.field, value))
    if value is None:
        return Q(**{f"{key.field}__isnull": True})
    return Q(**{key.field: value})


NOTHING = Q(pk__in=[])


def _after(key: SortKey, value, *, or_equal: bool) -> Q:
    """Rows whose `key` sorts after `value` (or with it, when `or_equal`)."""
    if value is None:
        # An empty column is reached only past its emptiness key, where every row has it
        # empty: all of them sort with the anchor, none after it.
        return Q() if or_equal else NOTHING
    if key.null_test:
        # false sorts before true
        later = [not value] if value == key.descending else []
        values = [*later, value] if or_equal else later
        if len(values) == 2:
            return Q()
        return Q(IsNullEquals(key.field, values[0])) if values else NOTHING
    lookup = ("lte" if or_equal else "lt") if key.descending else ("gte" if or_equal else "gt")
    return Q(**{f"{key.field}__{lookup}": value})


def at_or_after(keys: list[SortKey], anchor: dict, shared: int) -> Q:
    """Rows at or after `anchor` in the ordering, the first `shared` keys equal to its."""
    condition = Q()
    for key in keys[:shared]:
        condition &= _equal(key, key.value(anchor))
    rest = keys[shared:]
    values = [key.value(anchor) for key in rest]
    if (
        not any(key.null_test for key in rest)
        and None not in values
        and len({key.descending for key in rest}) == 1
    ):
        fields = [key.field for key in rest]
        return condition & Q(RowsFrom(fields, values, descending=rest[0].descending))
    # a1 ≥ x AND (a1 > x OR (a2 ≥ y AND (a2 > y OR …))): the outer bound starts the scan.
    nested = _after(rest[-1], rest[-1].value(anchor), or_equal=True)
    for key in reversed(rest[:-1]):
        value = key.value(anchor)
        nested = _after(key, value, or_equal=True) & (_after(key, value, or_equal=False) | nested)
    return condition & nested


def anchored_slice(queryset: QuerySet, start: int, stop: int) -> tuple[QuerySet, int, int] | None:
    """`queryset` narrowed to the rows from the anchor before `start`, with `start` and
    `stop` counted from that anchor; None when no anchor helps (a first page, an
    ordering no keyset follows)."""
    if start < ANCHOR_SPACING:
        return None
    keys = sort_keys(queryset)
    if keys is None:
        return None
    anchors = page_anchors(queryset, keys)
    index = start // ANCHOR_SPACING
    if index >= len(anchors):
        return None  # past the last row: the plain query finds nothing as fast
    anchor = anchors[index]
    bound_index = -(-stop // ANCHOR_SPACING)  # the first anchor at or past the slice's end
    shared = 0
    if bound_index < len(anchors):
        bound = anchors[bound_index]
        while shared < len(keys) - 1 and keys[shared].value(anchor) == keys[shared].value(bound):
            shared += 1
    offset = anchor["position"] - 1
    return (
        queryset.filter(at_or_after(keys, anchor, shared)),
        start - offset,
        stop - offset,
    )
