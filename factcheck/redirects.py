"""Permanent addresses: a public claim's old slugs keep answering after a rename.

Readers, search engines and other sites link to a claim's address; a reviewer who
rewords a slug must not break those links. The old slug is kept as a ClaimSlugRedirect
(and reserved: no other claim may take it), and the claim page answers it with a
permanent redirect to the claim's current address.
"""

from factcheck.models import Claim, ClaimSlugRedirect, ReviewStatus

PUBLIC_STATUSES = (ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED)


def claim_slug_was_seen(*, claim: Claim) -> bool:
    """Whether readers may have the claim's address: it is public, or was published before."""
    return claim.status in PUBLIC_STATUSES or claim.reviewed_at is not None


def claim_slug_record_change(*, claim: Claim, previous: Claim) -> ClaimSlugRedirect | None:
    """Keep `previous.slug` answering for `claim` after a save that changed its slug.

    Call it inside the save's transaction, with `previous` the row as it was stored. A
    claim taking back one of its own old slugs drops that redirect, since the slug is
    its live address again.
    """
    if previous.slug == claim.slug:
        return None
    ClaimSlugRedirect.objects.filter(claim=claim, old_slug=claim.slug).delete()
    if not claim_slug_was_seen(claim=previous):
        return None
    redirect, _ = ClaimSlugRedirect.objects.update_or_create(
        old_slug=previous.slug, defaults={"claim": claim}
    )
    return redirect
