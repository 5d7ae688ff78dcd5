"""Provenance found by the machine: text signatures for near-duplicate lookup, and the
suggestions (near-duplicates, credited sources) an editor accepts or rejects."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from factcheck.models.base import Timestamped
from factcheck.models.sources import Article, Outlet


class ArticleSignature(models.Model):
    """An archived article's MinHash signature, written by intake.duplicates only.

    Derived from the text, so never edited. The bands that make it findable live in
    ArticleBand, one indexed row per band.
    """

    article = models.OneToOneField(Article, on_delete=models.CASCADE, related_name="signature")
    # The MinHash values as little-endian unsigned 32-bit integers, one per permutation.
    minhash = models.BinaryField()
    # Distinct shingles in the text: with the estimated Jaccard it gives the containment
    # of a cut-down reprint in its original without reading either text.
    shingles = models.PositiveIntegerField()

    class Meta:
        ordering = ["article"]

    def __str__(self):
        return f"Signature of article {self.article_id}"


class ArticleBand(models.Model):
    """One LSH band of a signature: articles sharing a (band, hash) pair are candidates."""

    # article_band_unique's index serves lookups by article: no second index on 6M rows.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bands", db_index=False
    )
    band = models.PositiveSmallIntegerField()
    hash = models.BigIntegerField()

    class Meta:
        ordering = ["article", "band"]
        constraints = [
            models.UniqueConstraint(fields=["article", "band"], name="article_band_unique"),
        ]
        indexes = [models.Index(fields=["band", "hash"], name="article_band_lookup_idx")]

    def __str__(self):
        return f"Band {self.band} of article {self.article_id}"


class SuggestionKind(models.TextChoices):
    NEAR_DUPLICATE = "near_duplicate", "Near-duplicate"
    CREDIT = "credit", "Credited source"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Relation(models.TextChoices):
    """What the editor decided two near-duplicate articles are to each other."""

    SAME_ORIGIN = "same_origin", "Same origin"
    RETELLS = "retells", "Retells"
    UNRELATED = "unrelated", "Unrelated"


class ProvenanceSuggestionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=SuggestionStatus.OPEN)

    def for_panel(self):
        return self.select_related("other__outlet", "outlet", "upstream__outlet", "decided_by")


class ProvenanceSuggestion(Timestamped):
    """Where an article may come from, as the machine found it: never applied until an
    editor decides. Internal to the newsroom; readers never see these."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="provenance_suggestions"
    )
    kind = models.CharField(max_length=20, choices=SuggestionKind.choices)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    # Near-duplicate: the stored article the text resembles, how much, and where.
    other = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The stored article this one resembles.",
    )
    similarity = models.FloatField(null=True, blank=True)
    shared = models.JSONField(
        default=list, blank=True, help_text="Passages both texts share, as offsets into each."
    )
    # Credit: the outlet the text says it retells, and the phrase that says so.
    outlet = models.ForeignKey(
        Outlet, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True, help_text="The source as written.")
    phrase = models.CharField(max_length=500, blank=True)
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    # The decision.
    relation = models.CharField(max_length=20, choices=Relation.choices, blank=True)
    upstream = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The report the article was linked to on acceptance.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = ProvenanceSuggestionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "kind", "-similarity", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SuggestionKind.values), name="suggestion_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SuggestionStatus.values), name="suggestion_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=SuggestionKind.NEAR_DUPLICATE, other__isnull=False, outlet__isnull=True)
                    | Q(kind=SuggestionKind.CREDIT, other__isnull=True, outlet__isnull=False)
                ),
                name="suggestion_names_what_it_suggests",
            ),
            models.CheckConstraint(
                condition=~Q(other=models.F("article")), name="suggestion_other_is_another"
            ),
            models.CheckConstraint(
                condition=Q(status=SuggestionStatus.OPEN, decided_at__isnull=True)
                | (~Q(status=SuggestionStatus.OPEN) & Q(decided_at__isnull=False)),
                name="suggestion_decided_when_closed",
            ),
            # One suggestion per pair and per credited outlet, so refreshing is idempotent.
            models.UniqueConstraint(
                fields=["article", "other"],
                condition=Q(kind=SuggestionKind.NEAR_DUPLICATE),
                name="suggestion_one_per_pair",
            ),
            models.UniqueConstraint(
                fields=["article", "outlet"],
                condition=Q(kind=SuggestionKind.CREDIT),
                name="suggestion_one_per_credited_outlet",
            ),
        ]
        indexes = [models.Index(fields=["article", "status"], name="suggestion_article_idx")]

    def __str__(self):
        if self.kind == SuggestionKind.CREDIT:
            return f"{self.article} retells a report by {self.outlet}?"
        return f"{self.article} resembles {self.other}?"

    @property
    def is_open(self) -> bool:
        return self.status == SuggestionStatus.OPEN


def credited_source_check(appearance) -> None:
    """A quote's credited source is another article, and not one downstream of it.

    Crediting a report that retells the quoting article (at any depth) would make the
    quote its own upstream: the chain would loop.
    """
    from django.core.exceptions import ValidationError

    source_id = appearance.credited_source_id
    if source_id is None:
        return
    article_id = appearance.article_id
    if article_id is not None and source_id == article_id:
        raise ValidationError(
            {
                "credited_source": "A quote cannot be credited to the article it is quoted "
                "from: leave this empty to count it as the article."
            }
        )
    seen, upstream_id = set(), source_id
    while upstream_id is not None and upstream_id not in seen:
        if upstream_id == article_id:
            raise ValidationError(
                {
                    "credited_source": "That report retells this article, so crediting it "
                    "would make the quote its own source."
                }
            )
        seen.add(upstream_id)
        upstream_id = (
            Article.objects.filter(pk=upstream_id).values_list("retells_id", flat=True).first()
        )
