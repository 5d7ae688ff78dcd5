"""Claims with their verdicts, review state and stored agreement."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import IsNull
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from factcheck.models.base import Timestamped, Versioned
from factcheck.models.redirects import ClaimSlugRedirect

# --- Claims --------------------------------------------------------------------------


class Verdict(models.TextChoices):
    """The editors' rating scale, mapped to schema.org reviewRating in VERDICT_SCALE."""

    UNRATED = "unrated", _("Not yet rated")
    TRUE = "true", _("True")
    MOSTLY_TRUE = "mostly_true", _("Mostly true")
    MIXED = "mixed", _("Mixed")
    MOSTLY_FALSE = "mostly_false", _("Mostly false")
    FALSE = "false", _("False")
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence", _("Not enough evidence")


# ratingValue on a 1 (worst) to 5 (best) scale; verdicts outside the scale carry None.
VERDICT_BEST_RATING = 5
VERDICT_WORST_RATING = 1
VERDICT_SCALE = {
    Verdict.TRUE: 5,
    Verdict.MOSTLY_TRUE: 4,
    Verdict.MIXED: 3,
    Verdict.MOSTLY_FALSE: 2,
    Verdict.FALSE: 1,
    Verdict.NOT_ENOUGH_EVIDENCE: None,
    Verdict.UNRATED: None,
}


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETRACTED = "retracted", _("Retracted")


class AgreementLabel(models.TextChoices):
    """Documented in agreement.py, where the label is decided."""

    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    SINGLE_ORIGIN = "single_origin", _("Single origin")
    CORROBORATED = "corroborated", _("Corroborated")
    CONTESTED = "contested", _("Contested")
    REFUTED = "refuted", _("Refuted")


def nulls_last(field: str, *, descending: bool) -> list:
    """Order by `field` with empty values last in either direction, then by id.

    Written as `field IS NULL, field, id` rather than NULLS LAST because SQLite cannot index
    NULLS LAST; this way the lists' ORDER BY and the indexes below are the same expressions
    on both databases, which is what lets the planner read a page straight from an index.
    """
    direction = "desc" if descending else "asc"
    return [
        IsNull(F(field), True).asc(),
        getattr(F(field), direction)(),
        getattr(F("id"), direction)(),
    ]


def disagreement() -> Least:
    """How many independent origins stand on the weaker side of a claim."""
    return Least(F("supporting_origins"), F("refuting_origins"))


PUBLISHED_ONLY = Q(status=ReviewStatus.PUBLISHED)


DERIVED_AGREEMENT_FIELDS = [
    "agreement_label",
    "agreement_score",
    "supporting_origins",
    "refuting_origins",
    "qualifying_origins",
    "mentioning_origins",
    "appearance_count",
    "article_count",
    "origin_count",
]

# The dated span of a claim's counted evidence (selectors.contradictions.EvidenceSpan):
# the first and last publication date of the articles quoting it, each with its precision.
DERIVED_EVIDENCE_SPAN_FIELDS = [
    "evidence_first_on",
    "evidence_first_precision",
    "evidence_last_on",
    "evidence_last_precision",
]
# Article.date_precision's values for a known date (models.sources imports this module).
KNOWN_DATE_PRECISIONS = ["day", "month", "year"]


class ClaimQuerySet(models.QuerySet):
    def published(self):
        """What readers may see. Every reader page starts here."""
        return self.filter(status=ReviewStatus.PUBLISHED)

    def public(self):
        """Claims whose page answers: the published ones, and retracted ones.

        A retracted claim keeps its address so that links to it explain the retraction
        instead of breaking, but it is listed, searched, highlighted and marked up nowhere:
        everything else starts from published().
        """
        return self.filter(status__in=[ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED])

    def with_open_contradictions(self):
        """Annotate `open_contradictions`: open conflicts with other published claims.

        One correlated subquery, so a page of claims costs one query whatever its length.
        """
        from factcheck.models.contradictions import Contradiction

        conflicts = (
            Contradiction.objects.published()
            .open()
            .filter(Q(claim_a=OuterRef("pk")) | Q(claim_b=OuterRef("pk")))
            .order_by()
            .annotate(total=Func(F("pk"), function="COUNT"))
            .values("total")
        )
        return self.annotate(
            open_contradictions=Coalesce(Subquery(conflicts, output_field=models.IntegerField()), 0)
        )

    def awaiting_review(self):
        return self.filter(status=ReviewStatus.IN_REVIEW)

    def with_open_alert(self):
        """Published claims whose new evidence conflicts with the verdict, undecided."""
        return self.filter(verdict_alerts__closed_at__isnull=True).distinct()

    def with_pending_evidence(self):
        return self.filter(evidence_changes__status="pending").distinct()

    def agreement_changed_since_review(self):
        """Published claims whose evidence moved after a reviewer signed them off."""
        signed_off = self.published().exclude(reviewed_agreement_label="")
        return signed_off.filter(
            ~Q(agreement_label=F("reviewed_agreement_label"))
            | Q(agreement_score__isnull=True, reviewed_agreement_score__isnull=False)
            | Q(agreement_score__isnull=False, reviewed_agreement_score__isnull=True)
            | Q(
                agreement_score__isnull=False,
                reviewed_agreement_score__isnull=False,
            )
            & ~Q(agreement_score=F("reviewed_agreement_score"))
        )

    def in_open_contradiction(self):
        from factcheck.models.contradictions import Contradiction, ContradictionStatus

        open_pairs = Contradiction.objects.filter(status=ContradictionStatus.OPEN)
        return self.filter(
            Q(pk__in=open_pairs.values("claim_a")) | Q(pk__in=open_pairs.values("claim_b"))
        )

    def for_list(self):
        """The columns that lists of claims render; editor notes are never among them."""
        return self.only(*CLAIM_LIST_FIELDS)


# Fields with a translation beside them, as `<name>_<language>` (Claim.in_reader_language).
TRANSLATED_FIELDS = ("statement", "context", "verdict_summary")

# The columns lists of claims load (for_list); shapes that add a related row extend it.
CLAIM_LIST_FIELDS = (
    "pk",
    "slug",
    "statement",
    "statement_it",
    "status",
    "verdict",
    "agreement_label",
    "agreement_score",
    "supporting_origins",
    "refuting_origins",
    "article_count",
    "origin_count",
    "reviewed_at",
    "updated_at",
)


class Claim(Timestamped, Versioned):
    statement = models.CharField(
        max_length=500,
        unique=True,
        help_text="One checkable assertion, in English, neutral wording.",
    )
    slug = models.SlugField(
        max_length=200, unique=True, blank=True, help_text="Filled from the statement if empty."
    )
    context = models.TextField(blank=True, help_text="Background a reader needs; public.")
    # Italian readers read these when they are filled, the English beside them otherwise
    # (Claim.in_reader_language); the English statement stays the claim's identity.
    statement_it = models.CharField(
        "statement in Italian",
        max_length=500,
        blank=True,
        help_text="Public: the statement as Italian readers read it. Empty: they read the English.",
    )
    context_it = models.TextField(
        "context in Italian", blank=True, help_text="Public: the context in Italian."
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    verdict = models.CharField(max_length=30, choices=Verdict.choices, default=Verdict.UNRATED)
    verdict_summary = models.TextField(
        blank=True, help_text="The editor's public explanation of the verdict."
    )
    verdict_summary_it = models.TextField(
        "verdict summary in Italian",
        blank=True,
        help_text="Public: the explanation of the verdict in Italian.",
    )
    claimant = models.ForeignKey(
        "factcheck.Claimant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="claims",
        help_text="Public: who made the claim, when one person or organisation did.",
    )
    editor_note = models.TextField(
        blank=True, help_text="Internal: never shown to readers or exported."
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    retraction_note = models.TextField(
        blank=True, editable=False, help_text="Public: why a published claim was withdrawn."
    )
    # The agreement as it stood when a reviewer last signed the claim off, so the review
    # queue can show published claims whose evidence has moved since.
    reviewed_agreement_label = models.CharField(
        max_length=20, choices=AgreementLabel.choices, blank=True, editable=False
    )
    reviewed_agreement_score = models.FloatField(null=True, blank=True, editable=False)

    # Stored agreement, written only by services.claims_refresh_agreement.
    agreement_label = models.CharField(
        max_length=20,
        choices=AgreementLabel.choices,
        default=AgreementLabel.UNCONFIRMED,
        editable=False,
    )
    agreement_score = models.FloatField(null=True, blank=True, editable=False)
    supporting_origins = models.PositiveIntegerField(default=0, editable=False)
    refuting_origins = models.PositiveIntegerField(default=0, editable=False)
    qualifying_origins = models.PositiveIntegerField(default=0, editable=False)
    mentioning_origins = models.PositiveIntegerField(default=0, editable=False)
    appearance_count = models.PositiveIntegerField(default=0, editable=False)
    article_count = models.PositiveIntegerField(default=0, editable=False)
    origin_count = models.PositiveIntegerField(default=0, editable=False)
    # Stored evidence span, written beside the agreement by the same services; empty when
    # no counted quote is in an article with a known date. Pages show it only for public
    # claims, whose counted evidence is their public evidence.
    evidence_first_on = models.DateField(null=True, blank=True, editable=False)
    evidence_first_precision = models.CharField(
        max_length=10, blank=True, default="", editable=False
    )
    evidence_last_on = models.DateField(null=True, blank=True, editable=False)
    evidence_last_precision = models.CharField(
        max_length=10, blank=True, default="", editable=False
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[*DERIVED_AGREEMENT_FIELDS, *DERIVED_EVIDENCE_SPAN_FIELDS, "version"]
    )

    class Meta:
        ordering = ["statement"]
        permissions = [
            ("publish_claim", "Can publish and retract claims"),
            ("set_verdict", "Can set the verdict of claims"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="claim_slug_not_empty"),
            # The reader URL pattern takes only these characters: another slug would make
            # every page that links the claim fail to build its address.
            models.CheckConstraint(
                condition=Q(slug__regex=r"^[-a-zA-Z0-9_]+$"), name="claim_slug_is_url_safe"
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED])
                | ~Q(verdict=Verdict.UNRATED),
                name="claim_public_has_verdict",
                violation_error_message="A published claim needs a verdict: retract it rather than unrate it.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="claim_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="claim_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(agreement_label__in=AgreementLabel.values),
                name="claim_agreement_label_valid",
            ),
            models.CheckConstraint(
                condition=Q(agreement_score__isnull=True)
                | Q(agreement_score__gte=-1, agreement_score__lte=1),
                name="claim_agreement_score_range",
            ),
            # Both ends with their precisions, or none; the first never after the last.
            models.CheckConstraint(
                condition=Q(
                    evidence_first_on__isnull=True,
                    evidence_first_precision="",
                    evidence_last_on__isnull=True,
                    evidence_last_precision="",
                )
                | Q(
                    evidence_first_on__isnull=False,
                    evidence_first_precision__in=KNOWN_DATE_PRECISIONS,
                    evidence_last_on__isnull=False,
                    evidence_last_precision__in=KNOWN_DATE_PRECISIONS,
                    evidence_first_on__lte=F("evidence_last_on"),
                ),
                name="claim_evidence_span_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "agreement_score"], name="claim_status_score_idx"),
            models.Index(fields=["status", "agreement_label"], name="claim_status_label_idx"),
            # Reader lists of published claims, one index per ordering they offer.
            models.Index(
                *nulls_last("agreement_score", descending=True),
                name="claim_pub_score_desc_idx",
                condition=PUBLISHED_ONLY,
            ),
            models.Index(
                *nulls_last("agreement_score", descending=False),
                name="claim_pub_score_asc_idx",
                condition=PUBLISHED_ONLY,
            ),
            models.Index(
                F("verdict"),
                *nulls_last("agreement_score", descending=True),
                name="claim_pub_verdict_score_idx",
                condition=PUBLISHED_ONLY,
            ),
            models.Index(
                F("agreement_label"),
                *nulls_last("agreement_score", descending=True),
                name="claim_pub_label_score_idx",
                condition=PUBLISHED_ONLY,
            ),
            models.Index(
                *nulls_last("reviewed_at", descending=True),
                name="claim_pub_reviewed_idx",
                condition=PUBLISHED_ONLY,
            ),
            models.Index(
                disagreement().desc(), name="claim_pub_disagreement_idx", condition=PUBLISHED_ONLY
            ),
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("factcheck:claim_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.statement)[:200]
        # An old address of another claim must keep leading there (models/redirects.py).
        reserved = (
            ClaimSlugRedirect.objects.filter(old_slug=self.slug)
            .exclude(claim_id=self.pk)
            .select_related("claim")
            .first()
        )
        if reserved is not None:
            raise ValidationError(
                {
                    "slug": f"The slug “{self.slug}” is taken: it is an old address of the "
                    f"claim “{reserved.claim.statement}”, which was renamed and still "
                    "answers there. Choose another slug."
                }
            )

    def in_reader_language(self, name: str) -> str:
        """A translated field as readers of the active language read it: its translation
        when there is one, else the English."""
        language = translation.get_language()
        if name in TRANSLATED_FIELDS and language != settings.LANGUAGE_CODE:
            translated = getattr(self, f"{name}_{language}", "")
            if translated:
                return translated
        return getattr(self, name)

    @property
    def reader_statement(self) -> str:
        return self.in_reader_language("statement")

    @property
    def reader_context(self) -> str:
        return self.in_reader_language("context")

    @property
    def reader_verdict_summary(self) -> str:
        return self.in_reader_language("verdict_summary")

    @property
    def is_published(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

    @property
    def is_public(self) -> bool:
        """Whether the claim has a reader page: published, or retracted with its notice."""
        return self.status in (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED)

    @property
    def is_retracted(self) -> bool:
        return self.status == ReviewStatus.RETRACTED

    @property
    def agreement_changed_since_review(self) -> bool:
        return (self.status == ReviewStatus.PUBLISHED and self.reviewed_agreement_label != "") and (
            self.agreement_label != self.reviewed_agreement_label
            or self.agreement_score != self.reviewed_agreement_score
        )

    @property
    def rating_value(self) -> int | None:
        return VERDICT_SCALE[Verdict(self.verdict)]
