"""Sentence vectors of claim statements, for the matcher's embedding backend.

Derived rows, written only by factcheck.matching.embedding (refreshed with the match
documents by the services, filled in bulk by `rebuild_match_index`). A row is stale when
the statement or the model changes; `digest` tells which.
"""

from django.db import models

from factcheck.models.claims import Claim


class ClaimEmbedding(models.Model):
    """The statement of a claim as a unit vector of the named model, in float16 bytes.

    Only the statement: on the evaluation its vector did as well as every unit's (quotes,
    translations, context) and it is one vector a claim, which 100,000 claims can afford.
    """

    claim = models.OneToOneField(
        Claim, primary_key=True, on_delete=models.CASCADE, related_name="embedding"
    )
    model = models.CharField(max_length=60)
    # SHA-1 of the statement the vector was computed from.
    digest = models.CharField(max_length=40)
    vector = models.BinaryField()

    class Meta:
        ordering = ["claim"]

    def __str__(self):
        return f"Embedding of {self.claim_id} ({self.model})"
