"""Migrations are frozen history: they import no live application code."""

import ast
import importlib
from pathlib import Path

import pytest
from django.db import connection

from factcheck import search
from factcheck.models import Article, Claim

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


@pytest.mark.parametrize("path", sorted(MIGRATIONS.glob("0*.py")), ids=lambda path: path.name)
def test_a_migration_imports_nothing_of_the_app(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
    assert not {name for name in imported if name.startswith("factcheck")}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the indexes are PostgreSQL's")
@pytest.mark.django_db
def test_the_frozen_search_indexes_still_match_the_search_queries():
    """A change to search.py's documents needs a new migration; this says when one is due."""
    frozen = importlib.import_module("factcheck.migrations.0004_search_indexes").search_indexes()
    models = {"article": Article, "claim": Claim}
    with connection.schema_editor(collect_sql=True) as editor:

        def sql(indexes):
            return sorted(str(index.create_sql(models[name], editor)) for name, index in indexes)

        assert sql(frozen) == sql(search.search_indexes())
