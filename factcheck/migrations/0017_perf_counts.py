"""Stored search documents, on PostgreSQL only.

Articles and claims get `search_document`, a generated tsvector column with a GIN index,
replacing migration 0004's expression indexes: matching reads the index, ranking the
stored vectors, and no query parses a text again. PostgreSQL computes the column on every
insert and update (COPY included), so no write has to name it; the models do not declare
it, and SQLite, which searches by matching, has none. The expressions are written out as
they stood when this migration was made; test_migrations.py says when factcheck/search.py
drifts from them. Adding the column rewrites both tables (a minute or two at the bench's
default scale).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Q

ARTICLE_CONFIG = (
    "CASE language WHEN 'it' THEN 'italian'::regconfig WHEN 'en' THEN 'english'::regconfig "
    "ELSE 'simple'::regconfig END"
)
DOCUMENTS = {
    "factcheck_article": (
        f"to_tsvector({ARTICLE_CONFIG}, COALESCE(title, '') || ' ' || COALESCE(text, ''))"
    ),
    "factcheck_claim": (
        "to_tsvector('english'::regconfig, COALESCE(statement, '') || ' ' "
        "|| COALESCE(context, '') || ' ' || COALESCE(verdict_summary, ''))"
    ),
}
INDEXES = {"factcheck_article": "article_document_gin", "factcheck_claim": "claim_document_gin"}


def former_indexes():
    """Migration 0004's expression indexes, which the stored documents replace."""
    indexes = [
        (
            "article",
            GinIndex(
                SearchVector("title", "text", config=config),
                condition=condition,
                name=f"article_search_{config}_gin",
            ),
        )
        for config, condition in [
            ("italian", Q(language__in=["it"])),
            ("english", Q(language__in=["en"])),
            ("simple", ~Q(language__in=["it", "en"])),
        ]
    ]
    indexes.append(
        (
            "claim",
            GinIndex(
                SearchVector("statement", "context", "verdict_summary", config="english"),
                name="claim_search_gin",
            ),
        )
    )
    return indexes


def store_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in former_indexes():
        schema_editor.remove_index(apps.get_model("factcheck", model_name), index)
    for table, document in DOCUMENTS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({document}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX {INDEXES[table]} ON {table} USING gin (search_document)"
        )


def drop_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in DOCUMENTS:
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")
    for model_name, index in former_indexes():
        schema_editor.add_index(apps.get_model("factcheck", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0016_claim_italian")]

    operations = [migrations.RunPython(store_documents, drop_documents)]
