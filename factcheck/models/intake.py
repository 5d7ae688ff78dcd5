"""Intake: the files articles were imported from, and batches of imports.

The original file is kept as bytes in the database (a BinaryField, not a FileField): the
article, its original and the batch row that reports it are written in one transaction,
so an import either leaves all of them or none, and a backup of the database is a backup
of the originals. Saved news pages are tens of kilobytes; IMPORT_MAX_BYTES bounds them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone

from factcheck.models.sources import Article

SHA256_PATTERN = r"^[0-9a-f]{64}$"


class Original(models.Model):
    """The file an article was imported from, byte for byte, so quotes can be checked
    against what was published. Hostile content: only ever offered as a download."""

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="original")
    data = models.BinaryField(editable=False)
    media_type = models.CharField(
        max_length=100, help_text="As found in the bytes, e.g. text/html."
    )
    sha256 = models.CharField(
        max_length=64,
        unique=True,
        help_text="Hex digest of the bytes: the same file is one original.",
    )
    size = models.PositiveIntegerField(help_text="In bytes.")
    filename = models.CharField(max_length=255, help_text="The file's name when it was imported.")
    captured_at = models.DateTimeField(default=timezone.now)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the page says about its publisher when no known outlet matched: the editor
    # confirms it (creating the outlet and its aliases) or assigns another outlet.
    proposed_outlet_name = models.CharField(max_length=200, blank=True)
    proposed_outlet_domain = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-captured_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=SHA256_PATTERN), name="original_sha256_is_hex_digest"
            ),
            models.CheckConstraint(
                condition=Q(size=Length("data")), name="original_size_is_byte_count"
            ),
        ]
        indexes = [
            models.Index(
                fields=["proposed_outlet_domain", "proposed_outlet_name"],
                condition=~Q(proposed_outlet_name="") | ~Q(proposed_outlet_domain=""),
                name="original_proposal_idx",
            )
        ]

    def __str__(self):
        return self.filename

    def get_download_url(self):
        return reverse("admin:factcheck_original_download", args=[self.pk])

    @property
    def has_proposal(self) -> bool:
        return bool(self.proposed_outlet_name or self.proposed_outlet_domain)


class ImportBatch(models.Model):
    """Files uploaded or given to the command together; its items report each outcome."""

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"Import {self.pk} of {timezone.localtime(self.created_at):%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("admin:factcheck_importbatch_change", args=[self.pk])


class ImportStatus(models.TextChoices):
    STAGED = "staged", "Staged (not yet imported)"
    QUEUED = "queued", "Queued"
    IMPORTED = "imported", "Imported"
    DUPLICATE = "duplicate", "Duplicate"
    ERROR = "error", "Error"


WAITING_STATUSES = [ImportStatus.STAGED, ImportStatus.QUEUED]
FINISHED_STATUSES = [ImportStatus.IMPORTED, ImportStatus.DUPLICATE, ImportStatus.ERROR]


class ImportItem(models.Model):
    """One file of a batch. Holds the bytes until a worker imports them (so any machine's
    worker can), then the outcome: the article, or why there is none."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    filename = models.CharField(max_length=1000)
    data = models.BinaryField(null=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.STAGED
    )
    error = models.TextField(blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The command's JSON line for this file, as the import reported it.
    result = models.JSONField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "position"], name="import_item_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="import_item_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=WAITING_STATUSES) | Q(data__isnull=True),
                name="import_item_bytes_only_until_done",
            ),
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.ERROR) | ~Q(error=""),
                name="import_item_error_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status"], condition=Q(status="queued"), name="import_item_queued_idx"
            )
        ]

    def __str__(self):
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_STATUSES
