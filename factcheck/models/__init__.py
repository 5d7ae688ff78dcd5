"""The claim-tracking domain: outlets, articles, claims, appearances, contradictions.

Writes that touch more than one row (agreement, origins, re-anchoring quotes) live in
services.py; agreement is computed in agreement.py. Models hold fields, constraints,
query shapes and what derives from a row's own fields.
"""

from factcheck.models.base import Timestamped, Versioned
from factcheck.models.claimants import Claimant, ClaimantKind, ClaimantQuerySet
from factcheck.models.claims import (
    DERIVED_AGREEMENT_FIELDS,
    DERIVED_EVIDENCE_SPAN_FIELDS,
    VERDICT_BEST_RATING,
    VERDICT_SCALE,
    VERDICT_WORST_RATING,
    AgreementLabel,
    Claim,
    ClaimQuerySet,
    ReviewStatus,
    Verdict,
)
from factcheck.models.contradictions import (
    Contradiction,
    ContradictionKind,
    ContradictionQuerySet,
    ContradictionStatus,
)
from factcheck.models.editorial import ClaimTransition, Correction
from factcheck.models.embeddings import ClaimEmbedding
from factcheck.models.evidence import AnchorStatus, Appearance, AppearanceQuerySet, Stance
from factcheck.models.intake import (
    FINISHED_STATUSES,
    ImportBatch,
    ImportItem,
    ImportStatus,
    Original,
)
from factcheck.models.matching import ClaimMatchDocument, MatchTerm, MatchTranslation
from factcheck.models.provenance import (
    ArticleBand,
    ArticleSignature,
    ProvenanceSuggestion,
    ProvenanceSuggestionQuerySet,
    Relation,
    SuggestionKind,
    SuggestionStatus,
)
from factcheck.models.redirects import ClaimSlugRedirect
from factcheck.models.review import (
    AlertDecision,
    ChangeKind,
    ChangeStatus,
    EvidenceChange,
    EvidenceReview,
    VerdictAlert,
)
from factcheck.models.sources import (
    ARTICLE_TEXT_MAX_LENGTH,
    Article,
    ArticleQuerySet,
    DatePrecision,
    Outlet,
    OutletAlias,
    OutletAliasKind,
    OutletKind,
    OutletQuerySet,
    alias_key,
)
from factcheck.models.stamp import CONTENT_STAMP_PK, ClaimPageStamp, ContentStamp

__all__ = [
    "ARTICLE_TEXT_MAX_LENGTH",
    "CONTENT_STAMP_PK",
    "DERIVED_AGREEMENT_FIELDS",
    "DERIVED_EVIDENCE_SPAN_FIELDS",
    "FINISHED_STATUSES",
    "VERDICT_BEST_RATING",
    "VERDICT_SCALE",
    "VERDICT_WORST_RATING",
    "AgreementLabel",
    "AlertDecision",
    "AnchorStatus",
    "Appearance",
    "AppearanceQuerySet",
    "Article",
    "ArticleBand",
    "ArticleQuerySet",
    "ArticleSignature",
    "ChangeKind",
    "ChangeStatus",
    "Claim",
    "ClaimEmbedding",
    "ClaimMatchDocument",
    "ClaimPageStamp",
    "ClaimQuerySet",
    "ClaimSlugRedirect",
    "ClaimTransition",
    "Claimant",
    "ClaimantKind",
    "ClaimantQuerySet",
    "ContentStamp",
    "Contradiction",
    "ContradictionKind",
    "ContradictionQuerySet",
    "ContradictionStatus",
    "Correction",
    "DatePrecision",
    "EvidenceChange",
    "EvidenceReview",
    "ImportBatch",
    "ImportItem",
    "ImportStatus",
    "MatchTerm",
    "MatchTranslation",
    "Original",
    "Outlet",
    "OutletAlias",
    "OutletAliasKind",
    "OutletKind",
    "OutletQuerySet",
    "ProvenanceSuggestion",
    "ProvenanceSuggestionQuerySet",
    "Relation",
    "ReviewStatus",
    "Stance",
    "SuggestionKind",
    "SuggestionStatus",
    "Timestamped",
    "Verdict",
    "VerdictAlert",
    "Versioned",
    "alias_key",
]
