"""The public editorial record of a claim: review steps and corrections."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from factcheck.models.claims import Claim, ReviewStatus, Verdict


class ClaimTransition(models.Model):
    """One move of a claim through review, with who made it and when."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReviewStatus.choices)
    verdict = models.CharField(
        max_length=30, choices=Verdict.choices, help_text="The verdict when the move was made."
    )
    note = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_status__in=ReviewStatus.values)
                & Q(to_status__in=ReviewStatus.values),
                name="claim_transition_status_valid",
            ),
        ]

    def __str__(self):
        return f"{self.claim}: {self.from_status} → {self.to_status}"


class Correction(models.Model):
    """A public change to a published claim's statement or verdict, shown to readers."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    note = models.TextField(help_text="Public: what changed and why.")
    previous_statement = models.CharField(max_length=500)
    new_statement = models.CharField(max_length=500)
    previous_verdict = models.CharField(max_length=30, choices=Verdict.choices)
    new_verdict = models.CharField(max_length=30, choices=Verdict.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
            models.CheckConstraint(
                condition=~Q(previous_statement=F("new_statement"))
                | ~Q(previous_verdict=F("new_verdict")),
                name="correction_changes_something",
            ),
        ]

    def __str__(self):
        return f"Correction to {self.claim} on {self.created_at:%Y-%m-%d}"

    @property
    def verdict_changed(self) -> bool:
        return self.previous_verdict != self.new_verdict

    @property
    def statement_changed(self) -> bool:
        return self.previous_statement != self.new_statement
