"""Covering indexes for the home page's figures, on PostgreSQL only.

The figures (selectors/sources.py, PUBLIC_ARTICLE_FIGURES_SQL) are counted in one pass
over the evidence once per write. These indexes hold just the columns that pass reads,
so it runs as index-only scans of a few tens of megabytes at the bench's default scale
instead of reading the appearance and article tables with their texts. INCLUDE columns
are PostgreSQL's, so, like migration 0017's search documents, the models do not declare
them and SQLite, whose corpora are small, has none.
"""

from django.db import migrations

INDEXES = {
    # The public evidence's articles: the claim decides, the orphaned quotes never count.
    "appearance_evidence_articles_idx": (
        "factcheck_appearance (claim_id) INCLUDE (article_id, credited_source_id) "
        "WHERE anchor_status <> 'orphaned'"
    ),
    "claim_status_id_idx": "factcheck_claim (status, id)",
    # The walk up the retelling chains and what is counted of each public article.
    "article_figures_idx": (
        "factcheck_article (id) INCLUDE (retells_id, is_archived, origin_id, outlet_id)"
    ),
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0018_claim_evidence_span")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
