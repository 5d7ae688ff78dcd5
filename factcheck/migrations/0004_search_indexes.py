"""GIN indexes for reader search, on PostgreSQL only.

The expressions are written out here as they stood when this migration was made, so a
later change to factcheck/search.py cannot rewrite what this applied migration does; a
change of the search documents needs a new migration. SQLite has no such index and
searches by matching.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations
from django.db.models import Q

ARTICLE_INDEXES = [
    ("italian", Q(language__in=["it"])),
    ("english", Q(language__in=["en"])),
    ("simple", ~Q(language__in=["it", "en"])),
]


def search_indexes():
    indexes = [
        (
            "article",
            GinIndex(
                SearchVector("title", "text", config=config),
                condition=condition,
                name=f"article_search_{config}_gin",
            ),
        )
        for config, condition in ARTICLE_INDEXES
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


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in search_indexes():
        schema_editor.add_index(apps.get_model("factcheck", model_name), index)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in search_indexes():
        schema_editor.remove_index(apps.get_model("factcheck", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0003_roles")]

    operations = [migrations.RunPython(create_search_indexes, drop_search_indexes)]
