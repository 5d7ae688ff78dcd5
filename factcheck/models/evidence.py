"""Appearances: a claim as stated in an article, anchored to a verbatim span."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from factcheck import quotes
from factcheck.models.base import Timestamped, Versioned
from factcheck.models.claims import Claim, ReviewStatus
from factcheck.models.provenance import credited_source_check
from factcheck.models.sources import Article


class Stance(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    REFUTES = "refutes", _("Refutes")
    QUALIFIES = "qualifies", _("Qualifies")
    MENTIONS = "mentions", _("Mentions")


class AnchorStatus(models.TextChoices):
    """Where a quote stands after its article's text was corrected (see reanchoring.py)."""

    ANCHORED = "anchored", "Anchored"
    NEEDS_CHECK = "needs_check", "Needs an editor's check"
    ORPHANED = "orphaned", "Orphaned: not found in the text"


class AppearanceQuerySet(models.QuerySet):
    def in_text(self):
        """Appearances whose offsets point at their quote in the article text.

        An orphaned quote was lost by a correction of the text: it has no offsets, so no
        page can show it and no figure may count it.
        """
        return self.exclude(anchor_status=AnchorStatus.ORPHANED)

    def counted(self):
        """The appearances agreement counts.

        A quote flagged for a check after a correction is still the article stating the
        claim (the text at its offsets), so it counts while an editor looks at it.
        """
        return self.in_text()

    def needing_attention(self):
        """Quotes a correction moved onto changed words, or lost: the editors' to fix."""
        return self.exclude(anchor_status=AnchorStatus.ANCHORED)

    def published(self):
        return self.in_text().filter(claim__status=ReviewStatus.PUBLISHED)

    def public(self):
        """Evidence readers may see: the appearances of published and retracted claims.

        Every appearance row is reviewed evidence (pending changes are kept elsewhere), so
        its claim alone decides. Lists and highlights still use published(): a retracted
        claim keeps its page but is quoted nowhere else.
        """
        return self.in_text().filter(
            claim__status__in=[ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED]
        )


class Appearance(Timestamped, Versioned):
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
    credited_source = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credited_appearances",
        help_text="The upstream report this quote comes from, when it is not the article's "
        "own (e.g. one Financial Times figure in a story retelling the Wall Street Journal). "
        "Empty: as the article. Agreement counts the quote under this report's origin.",
    )
    translation = models.TextField(
        blank=True, help_text="English translation of the quote when the article is not in English."
    )
    editor_note = models.TextField(
        blank=True, help_text="Internal: never shown to readers or exported."
    )
    anchor_status = models.CharField(
        max_length=20,
        choices=AnchorStatus.choices,
        default=AnchorStatus.ANCHORED,
        # Rows written without the ORM (COPY, importers) are anchored quotes too.
        db_default=AnchorStatus.ANCHORED,
        editable=False,
        help_text="Set when the article's text changes: a quote updated to corrected words "
        "needs a check; an orphaned one was not found and is shown to no reader.",
    )

    objects = AppearanceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["article__published_on", "article_id", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=Stance.values), name="appearance_stance_valid"
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="appearance_quote_not_empty"),
            models.CheckConstraint(
                condition=~Q(credited_source=F("article")),
                name="appearance_credits_another_article",
            ),
            models.CheckConstraint(
                condition=Q(anchor_status__in=AnchorStatus.values),
                name="appearance_anchor_status_valid",
            ),
            # An orphaned quote keeps its words and context for the editor, but no offsets:
            # none could point at it, and none may point at other words.
            models.CheckConstraint(
                condition=Q(start__isnull=False, end__isnull=False)
                & ~Q(anchor_status=AnchorStatus.ORPHANED)
                | Q(start__isnull=True, end__isnull=True, anchor_status=AnchorStatus.ORPHANED),
                name="appearance_is_anchored",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("quote"))
                | Q(anchor_status=AnchorStatus.ORPHANED),
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

    @property
    def is_orphaned(self) -> bool:
        return self.anchor_status == AnchorStatus.ORPHANED

    def clean(self):
        """Anchor the quote in the article text, or refuse it with the closest passage."""
        super().clean()
        credited_source_check(self)
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
        except quotes.AmbiguousQuote as ambiguous:
            raise ValidationError({"start": str(ambiguous)}) from ambiguous
        except quotes.QuoteNotFound as missing:
            raise ValidationError({"quote": str(missing)}) from missing
        self.start, self.end = span.start, span.end
        self.prefix, self.suffix = span.prefix, span.suffix
        if self.anchor_status == AnchorStatus.ORPHANED:
            # An editor gave a lost quote words the text has again. A quote flagged for a
            # check stays flagged: only the "checked" service says an editor looked.
            self.anchor_status = AnchorStatus.ANCHORED
