"""The public, read-only JSON API (/api/v1/): what reader pages show, for machines.

Every view starts from the same public querysets and selectors as the reader pages, so a
record is public in the API exactly when it has a reader page.
"""
