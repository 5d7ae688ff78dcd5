"""GIN indexes for reader search, on PostgreSQL only.

The indexes are built from factcheck.search's own expressions, so the queries there and
the indexes here cannot drift apart. SQLite has no such index and searches by matching.
"""

from django.db import migrations


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from factcheck.search import search_indexes

    for model_name, index in search_indexes():
        schema_editor.add_index(apps.get_model("factcheck", model_name), index)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from factcheck.search import search_indexes

    for model_name, index in search_indexes():
        schema_editor.remove_index(apps.get_model("factcheck", model_name), index)


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0003_roles")]

    operations = [migrations.RunPython(create_search_indexes, drop_search_indexes)]
