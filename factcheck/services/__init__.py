"""Every write. Callers (admin, commands, importers, tests) use these names.

- records: outlets, articles, claimants, claims, appearances, contradictions; one transaction each
- pending: evidence held for review, and alerts when evidence conflicts with a verdict
- review: a Reviewer's acceptance or rejection of held evidence
- anchors: quotes after a correction of their article's text, and an editor's check
- derived: origins and stored agreement, refreshed per write or rebuilt in bulk
- intake: outlet aliases, confirming proposed outlets, import batches
"""

from factcheck.services.anchors import appearance_check
from factcheck.services.derived import (
    articles_rebuild_origins,
    articles_refresh_origin,
    claims_lock,
    claims_rebuild_agreement,
    claims_refresh_agreement,
    claims_write_agreement,
)
from factcheck.services.intake import (
    import_batch_discard,
    import_batch_stage,
    import_batch_start,
    outlet_alias_delete,
    outlet_alias_save,
    outlet_proposal_confirm,
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
    "appearance_check",
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
    "import_batch_discard",
    "import_batch_stage",
    "import_batch_start",
    "outlet_alias_delete",
    "outlet_alias_save",
    "outlet_proposal_confirm",
    "outlet_save",
    "record_delete",
]
