"""The stamps that key cached reader pages (see factcheck/page_cache.py)."""

from django.db import models

CONTENT_STAMP_PK = 1


class ContentStamp(models.Model):
    """One row of site-wide generations, raised after committed writes.

    `generation` grows with every write to reader-visible data and keys every page but the
    claim pages; `bulk_generation` grows only with writes whose claims are not known (bulk
    updates, loaddata, rows of models the cache has no rule for) and keys the claim pages
    beside each claim's own ClaimPageStamp.
    """

    generation = models.BigIntegerField(
        default=1,
        help_text="Raised after every committed write; cached pages of an older value are dead.",
    )
    bulk_generation = models.BigIntegerField(
        default=1, help_text="Raised after writes that may touch any claim page."
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"content generation {self.generation}"


class ClaimPageStamp(models.Model):
    """The generation of one claim's page, raised after writes to what that page shows.

    Keyed by the claim's id rather than a foreign key: a stamp may outlive its claim
    harmlessly, and writing one never waits on the claim row's lock.
    """

    claim_id = models.BigIntegerField(primary_key=True)
    generation = models.BigIntegerField()

    class Meta:
        ordering = ["claim_id"]

    def __str__(self):
        return f"claim {self.claim_id} page generation {self.generation}"
