"""The content stamp that keys cached reader pages (see factcheck/page_cache.py)."""

from django.db import models

CONTENT_STAMP_PK = 1


class ContentStamp(models.Model):
    """One row whose generation grows with every committed write to reader-visible data."""

    generation = models.BigIntegerField(
        default=1,
        help_text="Raised after every committed write; cached pages of an older value are dead.",
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"content generation {self.generation}"
