"""Derived state: the origins of articles, and the stored agreement and evidence span of
claims.

Only the services write these fields. The per-row refreshes run inside the write that
caused them; the rebuilds are set-based, for whole-corpus work.
"""

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Q

from factcheck.agreement import Agreement, agreement_for_claims, appearance_origin
from factcheck.models import (
    DERIVED_AGREEMENT_FIELDS,
    DERIVED_EVIDENCE_SPAN_FIELDS,
    Appearance,
    Article,
    Claim,
    Stance,
)
from factcheck.page_cache import content_changed
from factcheck.selectors.contradictions import (
    NO_EVIDENCE_SPAN,
    claims_counted_spans,
    evidence_spans,
)

REFRESH_BATCH_SIZE = 2000
REBUILD_WRITE_BATCH_SIZE = 5000
# Everything the services derive onto a claim row from its evidence, written together.
DERIVED_CLAIM_FIELDS = [*DERIVED_AGREEMENT_FIELDS, *DERIVED_EVIDENCE_SPAN_FIELDS]


# --- Agreement -----------------------------------------------------------------------


def claims_refresh_agreement(*, claim_ids: Iterable[int]) -> int:
    """Recompute and store the agreement and the evidence span of these claims, in
    batches. Returns how many.

    Each claim row is locked before its evidence is read. Two transactions changing one
    claim's evidence thus take turns: the second reads after the first commits, so the
    last agreement stored counts both (under READ COMMITTED each statement sees what was
    committed before it began).
    """
    claim_ids = sorted({claim_id for claim_id in claim_ids if claim_id is not None})
    refreshed = 0
    for offset in range(0, len(claim_ids), REFRESH_BATCH_SIZE):
        batch = claim_ids[offset : offset + REFRESH_BATCH_SIZE]
        with transaction.atomic():
            claims_lock(claim_ids=batch)
            agreements = agreement_for_claims(batch)
            spans = claims_counted_spans(batch)
            _bulk_update_derived(
                [
                    (claim_id, _derived_fields(agreement, spans.get(claim_id)))
                    for claim_id, agreement in agreements.items()
                ],
                DERIVED_CLAIM_FIELDS,
            )
        refreshed += len(batch)
    return refreshed


def claims_lock(*, claim_ids: Iterable[int]) -> None:
    """Lock claim rows until the transaction ends, always in id order (no deadlock)."""
    ids = sorted(set(claim_ids) - {None})
    if ids:
        list(Claim.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))


def _derived_fields(agreement: Agreement, span) -> dict:
    return {**agreement.as_claim_fields(), **(span.as_claim_fields() if span else NO_EVIDENCE_SPAN)}


def _bulk_update_derived(rows: list[tuple[int, dict]], names: list[str]) -> None:
    claims = []
    for pk, fields in rows:
        claim = Claim(pk=pk)
        for name in names:
            setattr(claim, name, fields[name])
        claims.append(claim)
    Claim.objects.bulk_update(claims, names, batch_size=500)
    _claim_pages_changed(rows)  # bulk_update sends no signals


def claims_rebuild_agreement() -> int:
    """Recompute every claim's stored agreement and evidence span at once; returns how
    many claims changed.

    For whole-corpus work (bulk loads, repairs), where refreshing claim by claim would take
    hours. The database counts the origins per stance for all claims in one grouped query,
    and the dates per claim and precision in another; label, score and span still come
    from agreement.Agreement and selectors.evidence_spans, so the stored values are
    exactly those claims_refresh_agreement would write. Only claims whose values differ
    are written.
    """
    origin = appearance_origin()

    def origins_with(stance):
        return Count(origin, distinct=True, filter=Q(stance=stance))

    counts = (
        Appearance.objects.counted()
        .order_by()
        .values("claim_id")
        .annotate(
            supporting=origins_with(Stance.SUPPORTS),
            refuting=origins_with(Stance.REFUTES),
            qualifying=origins_with(Stance.QUALIFIES),
            mentioning=origins_with(Stance.MENTIONS),
            appearances=Count("pk"),
            articles=Count("article_id", distinct=True),
            origins=Count(origin, distinct=True),
        )
        .values_list(
            "claim_id",
            "supporting",
            "refuting",
            "qualifying",
            "mentioning",
            "appearances",
            "articles",
            "origins",
        )
    )
    fresh = {
        claim_id: Agreement(*numbers) for claim_id, *numbers in counts.iterator(chunk_size=10_000)
    }
    spans = evidence_spans(Appearance.objects.counted())
    no_evidence = Agreement(0, 0, 0, 0, 0, 0, 0)
    stale = []
    stored = Claim.objects.order_by().values_list("pk", *DERIVED_CLAIM_FIELDS)
    for pk, *values in stored.iterator(chunk_size=10_000):
        wanted = _derived_fields(fresh.get(pk, no_evidence), spans.get(pk))
        if [wanted[name] for name in DERIVED_CLAIM_FIELDS] != values:
            stale.append((pk, wanted))
    _write_derived(stale, DERIVED_CLAIM_FIELDS)
    return len(stale)


# Past this many claims, retiring every claim page costs less than one stamp per claim.
SCOPED_RAISE_LIMIT = 10_000


def _claim_pages_changed(rows: list[tuple[int, dict]]) -> None:
    if len(rows) > SCOPED_RAISE_LIMIT:
        content_changed()
    elif rows:
        content_changed(claim_pages=[pk for pk, _ in rows])


def claims_write_agreement(rows: list[tuple[int, dict]]) -> None:
    """Store (claim id, agreement fields) pairs, a few thousand per statement."""
    _write_derived(rows, DERIVED_AGREEMENT_FIELDS)


def _write_derived(rows: list[tuple[int, dict]], names: list[str]) -> None:
    if connection.vendor != "postgresql":
        _bulk_update_derived(rows, names)
        return
    _claim_pages_changed(rows)  # raw SQL sends no signals
    # bulk_update's CASE per field is slow at this size; join a VALUES list instead.
    meta = Claim._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in names]
    assignments = ", ".join(
        f"{quote(field.column)} = CAST(v.{quote(field.column)} AS {field.db_type(connection)})"
        for field in columns
    )
    column_names = ", ".join(quote(field.column) for field in columns)
    placeholders = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    for offset in range(0, len(rows), REBUILD_WRITE_BATCH_SIZE):
        batch = rows[offset : offset + REBUILD_WRITE_BATCH_SIZE]
        params = []
        for pk, fields in batch:
            params.append(pk)
            params.extend(fields[name] for name in names)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {assignments} "
                f"FROM (VALUES {', '.join([placeholders] * len(batch))}) AS v(id, {column_names}) "
                f"WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = v.id",
                params,
            )


def articles_refresh_origin(*, article: Article) -> set[int]:
    """Set the origin of `article` and of everything that retells it, at any depth.

    Returns the ids of articles whose origin changed.
    """
    origin = article.find_origin()
    changed = set()
    level = [article.pk]
    visited = set()
    while level:
        visited.update(level)
        stale = Article.objects.filter(pk__in=level).exclude(origin=origin)
        level_changed = set(stale.values_list("pk", flat=True))
        if level_changed and stale.update(origin=origin):
            content_changed(articles=level_changed)  # QuerySet.update sends no signals
        changed |= level_changed
        level = [
            pk
            for pk in Article.objects.filter(retells_id__in=level).values_list("pk", flat=True)
            if pk not in visited
        ]
    return changed


def articles_rebuild_origins() -> int:
    """Set every article's origin in one statement; returns how many changed.

    Walks the retelling chains down from the originals with a recursive query, so the cost
    does not grow with the number of chains the way articles_refresh_origin's does. Articles
    caught in a cycle (which validation refuses) are left as they are.
    """
    quote = connection.ops.quote_name
    meta = Article._meta
    table = quote(meta.db_table)
    pk = quote(meta.pk.column)
    retells = quote(meta.get_field("retells").column)
    origin = quote(meta.get_field("origin").column)
    content_changed()  # raw SQL sends no signals
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE chain (article_id, origin_id) AS (
                SELECT {pk}, {pk} FROM {table} WHERE {retells} IS NULL
                UNION ALL
                SELECT retelling.{pk}, chain.origin_id
                FROM {table} AS retelling JOIN chain ON retelling.{retells} = chain.article_id
            )
            UPDATE {table} SET {origin} = chain.origin_id
            FROM chain
            WHERE {table}.{pk} = chain.article_id
              AND ({table}.{origin} IS NULL OR {table}.{origin} <> chain.origin_id)
            """
        )
        if cursor.rowcount >= 0:
            return cursor.rowcount
        # Python's sqlite3 reports no row count for a statement that opens with WITH.
        cursor.execute("SELECT changes()")
        return cursor.fetchone()[0]
