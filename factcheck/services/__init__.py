"""Every write. Callers (admin, commands, importers, tests) use these names.

- records: outlets, articles, claimants, claims, appearances, contradictions; one transaction each
- pending: evidence held for review, and alerts when evidence conflicts with a verdict
- review: a Reviewer's acceptance or rejection of held evidence
- derived: origins and stored agreement, refreshed per write or rebuilt in bulk
"""

from factcheck.services.derived import (
    articles_rebuild_origins,
    articles_refresh_origin,
    claims_lock,
    claims_rebuild_agreement,
    claims_refresh_agreement,
    claims_write_agreement,
)
from factcheck.services.records import (
    EvidenceOutcome,
    appearance_delete,
    appearance_save,
    appearances_delete,
    article_save,
    claim_delete,
    claim_save,
    claimant_save,
    contradiction_save,
    evidence_save,
    outlet_save,
    record_delete,
)
from factcheck.services.review import evidence_accept, evidence_reject

__all__ = [
    "EvidenceOutcome",
    "appearance_delete",
    "appearance_save",
    "appearances_delete",
    "article_save",
    "articles_rebuild_origins",
    "articles_refresh_origin",
    "claim_delete",
    "claim_save",
    "claimant_save",
    "claims_lock",
    "claims_rebuild_agreement",
    "claims_refresh_agreement",
    "claims_write_agreement",
    "contradiction_save",
    "evidence_accept",
    "evidence_reject",
    "evidence_save",
    "outlet_save",
    "record_delete",
]
