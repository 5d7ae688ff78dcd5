"""Columns that reader pages show; editor notes are never among them."""

# Columns of an appearance that reader pages show; its editor note is never among them.
APPEARANCE_READER_FIELDS = [
    "pk",
    "claim_id",
    "article_id",
    "quote",
    "start",
    "end",
    "stance",
    "attribution",
    "credited_source_id",
    "translation",
]
ARTICLE_LIST_FIELDS = [
    "pk",
    "title",
    "opening",
    "published_on",
    "date_precision",
    "language",
    "is_archived",
    "url",
    "outlet__id",
    "outlet__name",
    "outlet__slug",
]
