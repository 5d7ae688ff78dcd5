"""The claim-tracking domain: outlets, articles, claims, appearances, contradictions.

Writes that touch more than one row (agreement, origins, re-anchoring quotes) live in
services.py; agreement is computed in agreement.py. Models hold fields, constraints,
query shapes and what derives from a row's own fields.
"""

from factcheck.models.base import Timestamped
from factcheck.models.claims import (
    DERIVED_AGREEMENT_FIELDS,
    VERDICT_BEST_RATING,
    VERDICT_SCALE,
    VERDICT_WORST_RATING,
    AgreementLabel,
    Claim,
    ClaimQuerySet,
    Contradiction,
    ContradictionKind,
    ContradictionQuerySet,
    ContradictionStatus,
    ReviewStatus,
    Verdict,
)
from factcheck.models.editorial import ClaimTransition, Correction
from factcheck.models.evidence import Appearance, AppearanceQuerySet, Stance
from factcheck.models.redirects import ClaimSlugRedirect
from factcheck.models.sources import (
    Article,
    ArticleQuerySet,
    DatePrecision,
    Outlet,
    OutletKind,
    OutletQuerySet,
)
from factcheck.models.stamp import CONTENT_STAMP_PK, ContentStamp

__all__ = [
    "CONTENT_STAMP_PK",
    "DERIVED_AGREEMENT_FIELDS",
    "VERDICT_BEST_RATING",
    "VERDICT_SCALE",
    "VERDICT_WORST_RATING",
    "AgreementLabel",
    "Appearance",
    "AppearanceQuerySet",
    "Article",
    "ArticleQuerySet",
    "Claim",
    "ClaimQuerySet",
    "ClaimSlugRedirect",
    "ClaimTransition",
    "ContentStamp",
    "Contradiction",
    "ContradictionKind",
    "ContradictionQuerySet",
    "ContradictionStatus",
    "Correction",
    "DatePrecision",
    "Outlet",
    "OutletKind",
    "OutletQuerySet",
    "ReviewStatus",
    "Stance",
    "Timestamped",
    "Verdict",
]
