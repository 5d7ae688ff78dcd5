"""Evidence review: changes to a public claim's evidence wait here until a Reviewer decides.

Readers only ever see the rows of Appearance and Article as they are, so holding a change
means not applying it yet: a pending EvidenceChange carries the proposed values, and the
reviewed evidence (and the agreement stored from it) stays what readers see.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from factcheck.models.claims import Claim
from factcheck.models.evidence import Appearance
from factcheck.models.sources import Article


class ChangeKind(models.TextChoices):
    ADD = "add", "Appearance added"
    CHANGE = "change", "Appearance changed"
    REMOVE = "remove", "Appearance removed"
    RETELLS = "retells", "Retelling link changed"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class EvidenceChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ChangeStatus.PENDING)


class EvidenceChange(models.Model):
    """One proposed change to the evidence of one or more public claims."""

    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    claims = models.ManyToManyField(
        Claim, related_name="evidence_changes", help_text="The public claims it would change."
    )
    appearance = models.ForeignKey(
        Appearance,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pending_changes",
        help_text="The appearance changed or removed; empty for an addition.",
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="evidence_changes",
        help_text="The article quoted, or whose retelling link changes.",
    )
    # Field values before and after, as the review screen shows them and acceptance applies.
    previous = models.JSONField(default=dict, blank=True)
    proposed = models.JSONField(default=dict, blank=True)
    # The version of the row when the change was proposed: a change made on top of an
    # older version is refused on acceptance instead of silently undoing a newer edit.
    based_on_version = models.PositiveIntegerField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    objects = EvidenceChangeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="evidence_change_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ChangeStatus.values), name="evidence_change_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ChangeStatus.PENDING)
                | Q(decided_at__isnull=False, decided_by__isnull=False),
                name="evidence_change_decided_has_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="evidence_change_status_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display().lower()})"


class EvidenceReview(models.Model):
    """A Reviewer's acceptance of new evidence for a claim, in the claim's public history."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence_reviews")
    summary = models.CharField(max_length=300, help_text="Public: what the new evidence was.")
    agreement_before = models.CharField(max_length=20)
    agreement_after = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"New reporting on {self.claim} ({self.created_at:%Y-%m-%d})"


class AlertDecision(models.TextChoices):
    KEPT = "kept", "Verdict kept"
    CHANGED = "changed", "Verdict changed with a correction"


class VerdictAlertQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class VerdictAlert(models.Model):
    """New evidence conflicts with a published verdict; open until a Reviewer decides."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdict_alerts")
    reasons = models.TextField(help_text="Why the evidence conflicts with the verdict.")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=AlertDecision.choices, blank=True)
    note = models.TextField(blank=True, help_text="Public: why the verdict was kept or changed.")

    objects = VerdictAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(closed_at__isnull=True),
                name="verdict_alert_one_open_per_claim",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, decision="")
                | Q(closed_at__isnull=False, decision__in=AlertDecision.values),
                name="verdict_alert_closed_has_decision",
            ),
        ]

    def __str__(self):
        return f"Alert on {self.claim}"
