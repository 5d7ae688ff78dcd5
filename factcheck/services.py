"""Writes. Each validates, saves and keeps derived state (origins, agreement) in step,
inside one transaction, so no caller can forget a step.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce

from factcheck import quotes
from factcheck.agreement import Agreement, agreement_for_claims
from factcheck.models import (
    DERIVED_AGREEMENT_FIELDS,
    Appearance,
    Article,
    Claim,
    Contradiction,
    Stance,
)
from factcheck.page_cache import content_changed

REFRESH_BATCH_SIZE = 2000
REBUILD_WRITE_BATCH_SIZE = 5000


# --- Agreement -----------------------------------------------------------------------


def claims_refresh_agreement(*, claim_ids: Iterable[int]) -> int:
    """Recompute and store the agreement of these claims, in batches. Returns how many."""
    claim_ids = sorted({claim_id for claim_id in claim_ids if claim_id is not None})
    refreshed = 0
    for offset in range(0, len(claim_ids), REFRESH_BATCH_SIZE):
        batch = claim_ids[offset : offset + REFRESH_BATCH_SIZE]
        agreements = agreement_for_claims(batch)
        claims = []
        for claim_id, agreement in agreements.items():
            claim = Claim(pk=claim_id)
            for name, value in agreement.as_claim_fields().items():
                setattr(claim, name, value)
            claims.append(claim)
        Claim.objects.bulk_update(claims, DERIVED_AGREEMENT_FIELDS)
        refreshed += len(claims)
    if refreshed:
        content_changed()  # bulk_update sends no signals
    return refreshed


def claims_rebuild_agreement() -> int:
    """Recompute every claim's stored agreement at once; returns how many claims changed.

    For whole-corpus work (bulk loads, repairs), where refreshing claim by claim would take
    hours. The database counts the origins per stance for all claims in one grouped query;
    label and score still come from agreement.Agreement, so the stored values are exactly
    those claims_refresh_agreement would write. Only claims whose values differ are written.
    """
    origin = Coalesce("article__origin_id", "article_id")

    def origins_with(stance):
        return Count(origin, distinct=True, filter=Q(stance=stance))

    counts = (
        Appearance.objects.order_by()
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
        claim_id: Agreement(*numbers).as_claim_fields()
        for claim_id, *numbers in counts.iterator(chunk_size=10_000)
    }
    no_evidence = Agreement(0, 0, 0, 0, 0, 0, 0).as_claim_fields()
    stale = []
    stored = Claim.objects.order_by().values_list("pk", *DERIVED_AGREEMENT_FIELDS)
    for pk, *values in stored.iterator(chunk_size=10_000):
        wanted = fresh.get(pk, no_evidence)
        if [wanted[name] for name in DERIVED_AGREEMENT_FIELDS] != values:
            stale.append((pk, wanted))
    claims_write_agreement(stale)
    return len(stale)


def claims_write_agreement(rows: list[tuple[int, dict]]) -> None:
    """Store (claim id, agreement fields) pairs, a few thousand per statement."""
    if rows:
        content_changed()  # neither bulk_update nor raw SQL sends signals
    if connection.vendor != "postgresql":
        claims = []
        for pk, fields in rows:
            claim = Claim(pk=pk)
            for name, value in fields.items():
                setattr(claim, name, value)
            claims.append(claim)
        Claim.objects.bulk_update(claims, DERIVED_AGREEMENT_FIELDS, batch_size=500)
        return
    # bulk_update's CASE per field is slow at this size; join a VALUES list instead.
    meta = Claim._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in DERIVED_AGREEMENT_FIELDS]
    assignments = ", ".join(
        f"{quote(field.column)} = CAST(v.{quote(field.column)} AS {field.db_type(connection)})"
        for field in columns
    )
    names = ", ".join(quote(field.column) for field in columns)
    placeholders = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    for offset in range(0, len(rows), REBUILD_WRITE_BATCH_SIZE):
        batch = rows[offset : offset + REBUILD_WRITE_BATCH_SIZE]
        params = []
        for pk, fields in batch:
            params.append(pk)
            params.extend(fields[name] for name in DERIVED_AGREEMENT_FIELDS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {assignments} "
                f"FROM (VALUES {', '.join([placeholders] * len(batch))}) AS v(id, {names}) "
                f"WHERE {quote(meta.db_table)}.{quote(meta.pk.column)} = v.id",
                params,
            )


def claims_affected_by_articles(article_ids: Iterable[int]) -> set[int]:
    return set(
        Appearance.objects.filter(article_id__in=list(article_ids))
        .values_list("claim_id", flat=True)
        .distinct()
    )


# --- Articles ------------------------------------------------------------------------


@dataclass(frozen=True)
class Reanchoring:
    """What a new article text does to the quotes already anchored in it."""

    moved: list[tuple[Appearance, quotes.Span]]
    broken: list[Appearance]

    def error(self) -> ValidationError:
        lines = [
            f"appearance #{appearance.pk} of “{appearance.claim}”: “{appearance.quote}”"
            for appearance in self.broken
        ]
        return ValidationError(
            "This text change would break %(count)d stored quote(s); fix or remove them "
            "first: %(lines)s",
            code="quotes_broken",
            params={"count": len(self.broken), "lines": "; ".join(lines)},
        )


def article_reanchoring(*, article: Article, new_text: str) -> Reanchoring:
    """Check every stored quote of `article` against `new_text`."""
    moved, broken = [], []
    if article.pk is None:
        return Reanchoring(moved, broken)
    for appearance in article.appearances.select_related("claim").order_by("pk"):
        try:
            span = quotes.anchor(
                new_text,
                appearance.quote,
                start=appearance.start,
                prefix=appearance.prefix,
                suffix=appearance.suffix,
            )
        except quotes.QuoteNotFound:
            broken.append(appearance)
            continue
        if (span.start, span.end, span.prefix, span.suffix) != (
            appearance.start,
            appearance.end,
            appearance.prefix,
            appearance.suffix,
        ):
            moved.append((appearance, span))
    return Reanchoring(moved, broken)


def article_origin(article: Article) -> Article:
    upstream, seen = article, set()
    while upstream.retells_id is not None:
        if upstream.pk in seen:
            raise ValidationError({"retells": "The upstream chain has a cycle."})
        seen.add(upstream.pk)
        upstream = upstream.retells
    return upstream


def articles_refresh_origin(*, article: Article) -> set[int]:
    """Set the origin of `article` and of everything that retells it, at any depth.

    Returns the ids of articles whose origin changed.
    """
    origin = article_origin(article)
    changed = set()
    level = [article.pk]
    visited = set()
    while level:
        visited.update(level)
        stale = Article.objects.filter(pk__in=level).exclude(origin=origin)
        changed.update(stale.values_list("pk", flat=True))
        if stale.update(origin=origin):
            content_changed()  # QuerySet.update sends no signals
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


@transaction.atomic
def article_save(*, article: Article) -> Article:
    """Validate and save an article, re-anchor its quotes, and keep origins and agreement in step.

    A text change that would leave a stored quote pointing at the wrong characters is
    refused with the list of affected appearances.
    """
    article.full_clean()
    reanchoring = article_reanchoring(article=article, new_text=article.text)
    if reanchoring.broken:
        raise ValidationError({"text": reanchoring.error()})
    article.save()
    for appearance, span in reanchoring.moved:
        appearance.start, appearance.end = span.start, span.end
        appearance.prefix, appearance.suffix = span.prefix, span.suffix
        appearance.save(update_fields=["start", "end", "prefix", "suffix", "updated_at"])
    changed = articles_refresh_origin(article=article)
    article.refresh_from_db(fields=["origin"])
    if changed:
        claims_refresh_agreement(claim_ids=claims_affected_by_articles(changed))
    return article


# --- Claims, appearances, contradictions ---------------------------------------------


@transaction.atomic
def appearance_save(*, appearance: Appearance) -> Appearance:
    """Anchor the quote (or refuse it), save, and refresh the agreement it affects."""
    previous_claim_id = None
    if appearance.pk is not None:
        previous_claim_id = (
            Appearance.objects.filter(pk=appearance.pk).values_list("claim_id", flat=True).first()
        )
    appearance.full_clean()
    appearance.save()
    claims_refresh_agreement(claim_ids={appearance.claim_id, previous_claim_id})
    return appearance


@transaction.atomic
def appearance_delete(*, appearance: Appearance) -> None:
    claim_id = appearance.claim_id
    appearance.delete()
    claims_refresh_agreement(claim_ids=[claim_id])


@transaction.atomic
def appearances_delete(*, appearances: QuerySet[Appearance]) -> int:
    claim_ids = set(appearances.values_list("claim_id", flat=True))
    deleted, _ = appearances.delete()
    claims_refresh_agreement(claim_ids=claim_ids)
    return deleted


@transaction.atomic
def contradiction_save(*, contradiction: Contradiction) -> Contradiction:
    contradiction.full_clean()
    contradiction.save()
    return contradiction
