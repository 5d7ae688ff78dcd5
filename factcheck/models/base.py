"""What every editorial model shares."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class ConcurrentEdit(ValidationError):
    """Someone else saved the row after this editor opened it."""


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Versioned(models.Model):
    """A row editors change in forms: the version a form was opened at guards the save."""

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save; guards concurrent edits."
    )

    class Meta:
        abstract = True

    def check_version(self, expected_version: int | None) -> None:
        """Refuse a save based on an older copy; `self` is the row as stored, locked."""
        if expected_version is None or self.version == expected_version:
            return
        raise ConcurrentEdit(
            "Someone else saved this %(noun)s (now version %(current)s, at %(when)s) after you "
            "opened it (version %(yours)s). Your changes were not saved: reload the %(noun)s "
            "to see theirs, then apply yours again.",
            code="concurrent_edit",
            params={
                "noun": self._meta.verbose_name,
                "current": self.version,
                "yours": expected_version,
                "when": timezone.localtime(self.updated_at).strftime("%Y-%m-%d %H:%M:%S"),
            },
        )
