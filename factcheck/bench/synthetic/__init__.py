"""A synthetic newsroom corpus for load tests: realistic volumes, texts and retelling chains.

plan.py decides every row from a seed; this module writes them with the fastest bulk path
the database offers (COPY on PostgreSQL) inside one transaction, then derives origins and
agreement with the same set-based services that repair a bulk load, and the articles'
near-duplicate signatures in bulk.
"""

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max

from factcheck import services
from factcheck.bench.synthetic.odds import (
    BENCHMARK_CLAIM_APPEARANCES,
    BENCHMARK_CLAIM_SLUG,
    SCALES,
    FirstIds,
    Scale,
)
from factcheck.bench.synthetic.plan import Corpus
from factcheck.intake.duplicates import articles_rebuild_signatures
from factcheck.matching.index import match_index_rebuild
from factcheck.models import Appearance, Article, Claim, Contradiction, Outlet
from factcheck.page_cache import content_changed

__all__ = [
    "BENCHMARK_CLAIM_APPEARANCES",
    "BENCHMARK_CLAIM_SLUG",
    "CORPUS_MODELS",
    "SCALES",
    "CorpusNotEmpty",
    "Scale",
    "corpus_is_empty",
    "generate",
]

CORPUS_MODELS = [Outlet, Article, Claim, Appearance, Contradiction]
CHUNK_SIZE = 2000


class CorpusNotEmpty(Exception):
    """The database already holds editorial data and appending was not asked for."""


@dataclass
class Generated:
    counts: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)
    origins_corrected: int = 0
    claims_refreshed: int = 0
    signatures: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def corpus_is_empty() -> bool:
    return not any(model.objects.exists() for model in CORPUS_MODELS)


def generate(
    *,
    scale: Scale,
    seed: int,
    append: bool = False,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[str], None] = lambda message: None,
) -> Generated:
    """Write a synthetic corpus of `scale` into the default database, all or nothing."""
    if not append and not corpus_is_empty():
        raise CorpusNotEmpty(
            "The database already holds outlets, articles or claims. Generate into an empty "
            "database, or pass --append to add a second corpus beside the existing one."
        )
    result = Generated(counts={})
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        result.seconds[name] = round(now - clock, 2)
        clock = now
        progress(f"{name}: {result.seconds[name]:.1f}s")

    with transaction.atomic():
        corpus = Corpus(
            scale=scale,
            seed=seed,
            first_ids=FirstIds(
                **{model._meta.model_name: next_id(model) for model in CORPUS_MODELS}
            ),
            taken_statements=taken(Claim, "statement", "slug") if append else None,
            taken_outlet_names=taken(Outlet, "name", "slug") if append else None,
            benchmark_claim=not Claim.objects.filter(slug=BENCHMARK_CLAIM_SLUG).exists(),
        )
        lap("plan")
        writer = RowWriter()
        result.counts["outlets"] = writer.write(Outlet, corpus.outlets())
        result.counts["claims"] = writer.write(Claim, corpus.claims())
        lap("outlets and claims")
        result.counts["articles"] = result.counts["appearances"] = 0
        for number, (articles, appearances) in enumerate(corpus.article_chunks(chunk_size)):
            result.counts["articles"] += writer.write(Article, articles)
            result.counts["appearances"] += writer.write(Appearance, appearances)
            if number % 20 == 19:
                progress(f"  {result.counts['articles']} articles written")
        lap("articles and appearances")
        result.counts["contradictions"] = writer.write(Contradiction, corpus.contradictions())
        lap("contradictions")
        reset_sequences()
        result.origins_corrected = services.articles_rebuild_origins()
        lap("origins")
        result.claims_refreshed = services.claims_rebuild_agreement()
        lap("agreement")
        result.counts["match documents"] = match_index_rebuild()
        lap("match documents")
        result.signatures = articles_rebuild_signatures()
        lap("signatures")
        content_changed()  # COPY and executemany send no signals
    analyze()
    lap("analyze")
    return result


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def taken(model: type[models.Model], *names: str) -> set[str]:
    values = set()
    for row in model.objects.values_list(*names).iterator():
        values.update(row)
    return values


class RowWriter:
    """Insert rows given as {attname: value}; missing fields take the model's default."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"

    def write(self, model: type[models.Model], rows: Iterable[dict]) -> int:
        fields = model._meta.concrete_fields
        defaults = {f.attname: f.get_default() for f in fields}
        names = [f.attname for f in fields]
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        tuples = (tuple(row.get(name, defaults[name]) for name in names) for row in rows)
        if self.postgres:
            return self._copy(table, columns, tuples)
        return self._insert(table, columns, fields, tuples)

    def _copy(self, table, columns, tuples) -> int:
        written = 0
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in tuples:
                copy.write_row(row)
                written += 1
        return written

    def _insert(self, table, columns, fields, tuples, batch_size=500) -> int:
        adapt = [self._adapter(f) for f in fields]
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        written, batch = 0, []
        with connection.cursor() as cursor:
            for row in tuples:
                batch.append([convert(value) for convert, value in zip(adapt, row, strict=True)])
                if len(batch) == batch_size:
                    cursor.executemany(sql, batch)
                    written, batch = written + len(batch), []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
        return written

    @staticmethod
    def _adapter(field):
        if isinstance(field, models.DateTimeField):
            return connection.ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return connection.ops.adapt_datefield_value
        return lambda value: value


def reset_sequences() -> None:
    """Rows were written with explicit ids; move the id sequences past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), CORPUS_MODELS)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze() -> None:
    """Give the planner fresh statistics; vacuum too when not inside a transaction."""
    if connection.vendor != "postgresql":
        return
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in CORPUS_MODELS:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
