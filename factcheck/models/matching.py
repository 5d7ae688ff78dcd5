"""What claim matching searches: one document per claim, and how many documents hold a term.

Derived rows, written only by factcheck.matching.index (refreshed by the services on every
change to a claim or its appearances, rebuilt in bulk by `rebuild_match_index`).
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from factcheck.models.claims import Claim


class ClaimMatchDocument(models.Model):
    """Everything the corpus knows that a passage stating the claim may repeat.

    `units` keeps each piece of evidence apart (statement, context, every quote in its own
    language and its English translation), because a passage repeats one of them, not
    their sum. `terms` is the set of their terms; on PostgreSQL `vector` holds it as a
    tsvector with a GIN index (migration 0009), which finds the candidates.
    `scored_units` holds what scoring reads of the units, each distinct unit once, as
    plain text: a few hundred candidates' units decode several times faster than JSON.
    """

    claim = models.OneToOneField(
        Claim, primary_key=True, on_delete=models.CASCADE, related_name="match_document"
    )
    units = models.JSONField(default=list)
    terms = models.TextField(blank=True)
    scored_units = models.TextField(
        blank=True,
        editable=False,
        help_text=(
            "The distinct units without appearance and sibling ids, one a line: language, "
            "kind, terms, shared terms, tab-separated. Empty on documents built before it "
            "existed: scoring reads the units then."
        ),
    )
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["claim"]

    def __str__(self):
        return f"Match document of {self.claim_id}"


class MatchTerm(models.Model):
    """How many claim documents hold a term: the rarer, the more it tells."""

    term = models.CharField(max_length=100, primary_key=True)
    documents = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["term"]
        constraints = [
            models.CheckConstraint(condition=models.Q(documents__gte=0), name="match_term_count")
        ]

    def __str__(self):
        return f"{self.term} ({self.documents})"


class MatchTranslation(models.Model):
    """A word pair learned from the corpus's own quotes and their English translations."""

    language = models.CharField(max_length=12)
    source = models.CharField(max_length=100)
    target = models.CharField(max_length=100)
    weight = models.FloatField()

    class Meta:
        ordering = ["language", "source", "-weight"]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "source", "target"], name="match_translation_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, weight__lte=1), name="match_translation_weight"
            ),
        ]
        indexes = [models.Index(fields=["language", "source"], name="match_translation_idx")]

    def __str__(self):
        return f"{self.source} → {self.target} ({self.language})"
