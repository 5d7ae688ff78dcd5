"""The claim-tracking domain: outlets, articles, claims, appearances, contradictions.

Writes that touch more than one row (agreement, origins, re-anchoring quotes) live in
services.py; agreement is computed in agreement.py. Models hold fields, constraints,
query shapes and what derives from a row's own fields.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest, Least, Length
from django.urls import reverse
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from factcheck import quotes


class Timestamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# --- Outlets -------------------------------------------------------------------------


class OutletKind(models.TextChoices):
    NEWSPAPER = "newspaper", "Newspaper"
    MAGAZINE = "magazine", "Magazine"
    WIRE = "wire", "Wire service"
    BROADCASTER = "broadcaster", "Broadcaster"
    DIGITAL = "digital", "Digital news site"
    BLOG = "blog", "Blog or column"
    AGGREGATOR = "aggregator", "Aggregator"
    OTHER = "other", "Other"


class Outlet(Timestamped):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(blank=True, help_text="Leave blank when unknown.")
    country = models.CharField(
        max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code, e.g. IT; blank if unknown."
    )
    language = models.CharField(
        max_length=12, blank=True, help_text="Main language as a BCP 47 tag, e.g. it or en."
    )
    kind = models.CharField(max_length=20, choices=OutletKind.choices, default=OutletKind.OTHER)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutletKind.values), name="outlet_kind_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("factcheck:outlet_detail", kwargs={"slug": self.slug})


# --- Articles ------------------------------------------------------------------------


class ArticleQuerySet(models.QuerySet):
    def archived(self):
        return self.filter(is_archived=True)

    def for_list(self):
        return self.select_related("outlet", "origin__outlet")

    def for_detail(self):
        return self.select_related("outlet", "origin__outlet", "retells__outlet")


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class Article(Timestamped):
    """A news text, or an upstream report we know of but have not archived."""

    outlet = models.ForeignKey(
        Outlet,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
        help_text="Leave empty when the text does not say who published it.",
    )
    title = models.CharField(max_length=500, blank=True, help_text="Blank when unknown.")
    url = models.URLField(max_length=1000, blank=True, help_text="Blank when unknown.")
    author = models.CharField(max_length=200, blank=True, help_text="Blank when unknown.")
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="With month precision store the 1st of the month; with year precision, 1 January.",
    )
    date_precision = models.CharField(
        max_length=10, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    language = models.CharField(max_length=12, help_text="BCP 47 tag of the text, e.g. it.")
    text = models.TextField(
        blank=True, help_text="The full text, verbatim. Quotes are checked against it."
    )
    is_archived = models.BooleanField(
        default=True,
        help_text="Off for an upstream report we know of but whose text we do not hold.",
    )
    retells = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retellings",
        help_text="The upstream report this article retells, if any.",
    )
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="descendants",
        help_text="First report up the retelling chain; the article itself if original.",
    )

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["origin"])

    class Meta:
        ordering = ["-published_on", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(retells=F("pk")), name="article_does_not_retell_itself"
            ),
            models.CheckConstraint(
                condition=Q(is_archived=False) | ~Q(text=""),
                name="article_archived_has_text",
            ),
            models.CheckConstraint(
                condition=(
                    Q(date_precision="unknown", published_on__isnull=True)
                    | (
                        Q(date_precision__in=["day", "month", "year"])
                        & Q(published_on__isnull=False)
                    )
                ),
                name="article_date_matches_precision",
            ),
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique_when_known"
            ),
        ]
        indexes = [models.Index(fields=["origin"], name="article_origin_idx")]

    def __str__(self):
        return self.display_title

    def get_absolute_url(self):
        return reverse("factcheck:article_detail", kwargs={"pk": self.pk})

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        source = self.outlet.name if self.outlet_id else "unknown outlet"
        return f"Untitled article ({source})"

    @property
    def display_date(self) -> str:
        """The publication date written only as precisely as it is known."""
        if self.published_on is None:
            return "date unknown"
        if self.date_precision == DatePrecision.YEAR:
            return self.published_on.strftime("%Y")
        if self.date_precision == DatePrecision.MONTH:
            return self.published_on.strftime("%B %Y")
        return self.published_on.strftime("%-d %B %Y")

    @property
    def iso_date(self) -> str:
        """The date for `<time datetime>` and schema.org, cut to its precision (2025-11)."""
        if self.published_on is None:
            return ""
        if self.date_precision == DatePrecision.YEAR:
            return self.published_on.strftime("%Y")
        if self.date_precision == DatePrecision.MONTH:
            return self.published_on.strftime("%Y-%m")
        return self.published_on.isoformat()

    @property
    def is_original(self) -> bool:
        return self.retells_id is None

    def clean(self):
        super().clean()
        if self.is_archived and not self.text:
            raise ValidationError({"text": "An archived article needs its full text."})
        if (self.published_on is None) != (self.date_precision == DatePrecision.UNKNOWN):
            raise ValidationError(
                {"date_precision": "Give a date with its precision, or neither (unknown)."}
            )
        if self.published_on is not None:
            # Store imprecise dates on their first day so sorting and display agree.
            if self.date_precision == DatePrecision.MONTH:
                self.published_on = self.published_on.replace(day=1)
            elif self.date_precision == DatePrecision.YEAR:
                self.published_on = self.published_on.replace(month=1, day=1)
        self._clean_retelling_chain()

    def _clean_retelling_chain(self):
        upstream = self.retells
        seen = set()
        while upstream is not None:
            if self.pk is not None and upstream.pk == self.pk:
                raise ValidationError(
                    {"retells": "This link would make the article retell itself (a cycle)."}
                )
            if upstream.pk in seen:
                raise ValidationError({"retells": "The upstream chain has a cycle."})
            seen.add(upstream.pk)
            upstream = upstream.retells


# --- Claims --------------------------------------------------------------------------


class Verdict(models.TextChoices):
    """The editors' rating scale, mapped to schema.org reviewRating in VERDICT_SCALE."""

    UNRATED = "unrated", "Not yet rated"
    TRUE = "true", "True"
    MOSTLY_TRUE = "mostly_true", "Mostly true"
    MIXED = "mixed", "Mixed"
    MOSTLY_FALSE = "mostly_false", "Mostly false"
    FALSE = "false", "False"
    NOT_ENOUGH_EVIDENCE = "not_enough_evidence", "Not enough evidence"


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
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


class AgreementLabel(models.TextChoices):
    """Documented in agreement.py, where the label is decided."""

    UNCONFIRMED = "unconfirmed", "Unconfirmed"
    SINGLE_ORIGIN = "single_origin", "Single origin"
    CORROBORATED = "corroborated", "Corroborated"
    CONTESTED = "contested", "Contested"
    REFUTED = "refuted", "Refuted"


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
        open_pairs = Contradiction.objects.filter(status=ContradictionStatus.OPEN)
        return self.filter(
            Q(pk__in=open_pairs.values("claim_a")) | Q(pk__in=open_pairs.values("claim_b"))
        )

    def for_list(self):
        return self.only(
            "pk",
            "slug",
            "statement",
            "status",
            "verdict",
            "agreement_label",
            "agreement_score",
            "article_count",
            "origin_count",
            "reviewed_at",
            "updated_at",
        )


class Claim(Timestamped):
    statement = models.CharField(
        max_length=500,
        unique=True,
        help_text="One checkable assertion, in English, neutral wording.",
    )
    slug = models.SlugField(
        max_length=200, unique=True, blank=True, help_text="Filled from the statement if empty."
    )
    context = models.TextField(blank=True, help_text="Background a reader needs; public.")
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    verdict = models.CharField(max_length=30, choices=Verdict.choices, default=Verdict.UNRATED)
    verdict_summary = models.TextField(
        blank=True, help_text="The editor's public explanation of the verdict."
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
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Bumped on every save; guards concurrent edits."
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

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=[*DERIVED_AGREEMENT_FIELDS, "version"])

    class Meta:
        ordering = ["statement"]
        permissions = [
            ("publish_claim", "Can publish and retract claims"),
            ("set_verdict", "Can set the verdict of claims"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="claim_slug_not_empty"),
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
        ]
        indexes = [
            models.Index(fields=["status", "agreement_score"], name="claim_status_score_idx"),
            models.Index(fields=["status", "agreement_label"], name="claim_status_label_idx"),
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return reverse("factcheck:claim_detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if not self.slug:
            self.slug = slugify(self.statement)[:200]

    @property
    def is_public(self) -> bool:
        return self.status == ReviewStatus.PUBLISHED

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


# --- Appearances ---------------------------------------------------------------------


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    REFUTES = "refutes", "Refutes"
    QUALIFIES = "qualifies", "Qualifies"
    MENTIONS = "mentions", "Mentions"


class AppearanceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(claim__status=ReviewStatus.PUBLISHED)

    def for_list(self):
        return self.select_related("claim", "article__outlet", "article__origin")


class Appearance(Timestamped):
    """A claim as stated in an article: a verbatim span of the article's text.

    The span is anchored like a W3C Web Annotation: a TextPositionSelector (start, end,
    counted in Unicode code points) and a TextQuoteSelector (quote, prefix, suffix), so
    the quote can be found again if the text is ever corrected.
    """

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="appearances")
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="appearances")
    quote = models.TextField(help_text="Copied verbatim from the article text.")
    start = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Character offset of the quote; leave empty to find it automatically.",
    )
    end = models.PositiveIntegerField(null=True, blank=True, editable=False)
    prefix = models.CharField(max_length=quotes.CONTEXT_LENGTH, blank=True, editable=False)
    suffix = models.CharField(max_length=quotes.CONTEXT_LENGTH, blank=True, editable=False)
    stance = models.CharField(max_length=20, choices=Stance.choices)
    attribution = models.CharField(
        max_length=300, blank=True, help_text='Who the article credits, e.g. "according to the FT".'
    )
    translation = models.TextField(
        blank=True, help_text="English translation of the quote when the article is not in English."
    )
    editor_note = models.TextField(
        blank=True, help_text="Internal: never shown to readers or exported."
    )

    objects = AppearanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article__published_on", "article_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="appearance_stance_valid"
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="appearance_quote_not_empty"),
            models.CheckConstraint(
                condition=Q(start__isnull=False, end__isnull=False),
                name="appearance_is_anchored",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote")),
                name="appearance_offsets_match_quote_length",
            ),
            models.UniqueConstraint(
                fields=["claim", "article", "start"], name="appearance_unique_span_per_claim"
            ),
        ]
        indexes = [models.Index(fields=["article", "start"], name="appearance_article_idx")]

    def __str__(self):
        return f"{self.claim} — {self.article}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor_id}"

    @property
    def anchor_id(self) -> str:
        return f"appearance-{self.pk}"

    def clean(self):
        """Anchor the quote in the article text, or refuse it with the closest passage."""
        super().clean()
        try:
            # In an admin inline the article may be unsaved yet, so no article_id to test.
            article = self.article
        except ObjectDoesNotExist:
            return
        if not self.quote:
            return
        text = article.text
        if not article.is_archived or not text:
            raise ValidationError(
                {
                    "article": "This article's text is not archived, so nothing can be quoted from it."
                }
            )
        try:
            span = quotes.anchor(
                text, self.quote, start=self.start, prefix=self.prefix, suffix=self.suffix
            )
        except quotes.QuoteNotFound as missing:
            raise ValidationError({"quote": str(missing)}) from missing
        self.start, self.end = span.start, span.end
        self.prefix, self.suffix = span.prefix, span.suffix


# --- Contradictions ------------------------------------------------------------------


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
    DIRECT = "direct", "Direct contradiction"
    TENSION = "tension", "Tension"
    EXPLAINED_BY_TIME = "explained_by_time", "Explained by time"


class ContradictionStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class Contradiction(Timestamped):
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
    history = HistoricalRecords()

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

    def __str__(self):
        return f"{self.claim_a} ⟷ {self.claim_b}"

    def get_absolute_url(self):
        return reverse("factcheck:contradiction_list") + f"#contradiction-{self.pk}"

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


# --- Editorial record ----------------------------------------------------------------


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
