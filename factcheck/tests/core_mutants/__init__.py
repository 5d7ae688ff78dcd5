"""Tests that pin behaviour mutation testing of the core (`mutmut run`, configured in
pyproject.toml) found unpinned. They are collected through test_core_mutants.py only."""
