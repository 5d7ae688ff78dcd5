"""Old addresses of public claims, so links to a renamed claim keep working."""

from django.db import models
from django.urls import reverse


class ClaimSlugRedirect(models.Model):
    """A slug a public claim answered at before it was renamed.

    The redirect names the claim, not its next slug, so a chain of renames needs no chain
    of hops: every old address answers with one permanent redirect to the current one.
    """

    old_slug = models.SlugField(
        max_length=200, unique=True, help_text="Reserved: no other claim may take it."
    )
    claim = models.ForeignKey(
        "factcheck.Claim", on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"{self.old_slug} → {self.claim_id}"

    def get_absolute_url(self):
        return reverse("factcheck:claim_detail", kwargs={"slug": self.old_slug})
