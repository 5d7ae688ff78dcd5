"""Migrations are frozen history: they import no live application code."""

import ast
import importlib
from pathlib import Path

import pytest

from factcheck import search

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


def test_the_frozen_search_documents_still_match_the_search_queries():
    """A change to search.py's documents needs a new migration; this says when one is due."""
    frozen = importlib.import_module("factcheck.migrations.0017_perf_counts")
    assert search.document_sql() == frozen.DOCUMENTS
