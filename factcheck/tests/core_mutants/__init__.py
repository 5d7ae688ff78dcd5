"""Tests that pin behaviour mutation testing of the core found unpinned (see the README's
"Mutation testing"). They are collected through test_core_mutants.py only."""
