"""Contradictions between claims: a kind, an explanation, a status, perhaps explained by time."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from factcheck.models.base import Timestamped, Versioned
from factcheck.models.claims import Claim, ReviewStatus


class ContradictionQuerySet(models.QuerySet):
    def published(self):
        """Both sides must be public: a contradiction never reveals a draft claim."""
        return self.filter(
            claim_a__status=ReviewStatus.PUBLISHED, claim_b__status=ReviewStatus.PUBLISHED
        )

    def open(self):
        return self.filter(status=ContradictionStatus.OPEN)

    def for_list(self):
        return self.select_related("claim_a", "claim_b", "superseded_claim")

    def involving(self, claim):
        return self.filter(Q(claim_a=claim) | Q(claim_b=claim))


class ContradictionKind(models.TextChoices):
    DIRECT = "direct", _("Direct contradiction")
    TENSION = "tension", _("Tension")
    EXPLAINED_BY_TIME = "explained_by_time", _("Explained by time")


class ContradictionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")
    DISMISSED = "dismissed", _("Dismissed")


def open_first() -> list:
    """The contradictions list's order: open ones first, then the latest changed."""
    is_open = Case(
        When(status=ContradictionStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=models.IntegerField(),
    )
    return [is_open.asc(), F("updated_at").desc(), F("id").asc()]


class Contradiction(Timestamped, Versioned):
    claim_a = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="contradictions_as_a")
    claim_b = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="contradictions_as_b")
    kind = models.CharField(
        max_length=20, choices=ContradictionKind.choices, default=ContradictionKind.DIRECT
    )
    status = models.CharField(
        max_length=20, choices=ContradictionStatus.choices, default=ContradictionStatus.OPEN
    )
    explanation = models.TextField(help_text="Why the two claims conflict, for readers.")
    superseded_claim = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a conflict explained by time: the claim the newer reporting supersedes.",
    )
    editor_note = models.TextField(
        blank=True, help_text="Internal: never shown to readers or exported."
    )

    objects = ContradictionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["status", "-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(claim_a=F("claim_b")), name="contradiction_two_different_claims"
            ),
            models.UniqueConstraint(
                Least("claim_a", "claim_b"),
                Greatest("claim_a", "claim_b"),
                name="contradiction_unique_unordered_pair",
                violation_error_message="A contradiction between these two claims already exists.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContradictionKind.values), name="contradiction_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ContradictionStatus.values),
                name="contradiction_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(superseded_claim__isnull=True)
                | Q(superseded_claim=F("claim_a"))
                | Q(superseded_claim=F("claim_b")),
                name="contradiction_superseded_is_a_side",
            ),
        ]
        indexes = [
            models.Index(*open_first(), name="contradiction_open_first_idx"),
            models.Index(fields=["status", "-updated_at"], name="contradiction_status_idx"),
        ]

    def __str__(self):
        return f"{self.claim_a} ⟷ {self.claim_b}"

    def get_absolute_url(self):
        # The list is paginated, so the stable address is the first claim's page.
        return self.claim_a.get_absolute_url() + f"#contradiction-{self.pk}"

    def clean(self):
        super().clean()
        if self.claim_a_id and self.claim_a_id == self.claim_b_id:
            raise ValidationError("A contradiction needs two different claims.")
        if self.superseded_claim_id and self.superseded_claim_id not in {
            self.claim_a_id,
            self.claim_b_id,
        }:
            raise ValidationError(
                {"superseded_claim": "The superseded claim must be one of the two sides."}
            )
        if self.superseded_claim_id and self.kind != ContradictionKind.EXPLAINED_BY_TIME:
            raise ValidationError(
                {"superseded_claim": "Only a conflict explained by time supersedes a claim."}
            )

    def other_claim(self, claim):
        return self.claim_b if claim.pk == self.claim_a_id else self.claim_a
