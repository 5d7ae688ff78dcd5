"""Intake: articles from files, their originals, outlets, near-duplicates and credited sources.

`extract` turns files into text and metadata, `outlets` resolves names and domains to
outlets, `duplicates` finds copies and light rewrites of stored articles, `credits` finds
the reports a text says it retells, and `tasks` runs imports in the background.
"""
