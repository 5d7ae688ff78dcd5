"""The shape of a synthetic corpus: its scales, the odds of each kind of row, and the
distributions stories and quotes are drawn from."""

import datetime
import functools
import itertools
import random
from dataclasses import dataclass

from factcheck.models import (
    DatePrecision,
    OutletKind,
    ReviewStatus,
    Stance,
    Verdict,
)


@dataclass(frozen=True)
class Scale:
    outlets: int
    articles: int
    claims: int
    appearances: int
    contradictions: int


SCALES = {
    "default": Scale(
        outlets=500, articles=200_000, claims=100_000, appearances=1_000_000, contradictions=20_000
    ),
    "small": Scale(outlets=40, articles=1_000, claims=500, appearances=5_000, contradictions=100),
}

BENCHMARK_CLAIM_SLUG = "benchmark-claim-500"
BENCHMARK_CLAIM_APPEARANCES = 500

FIRST_DAY = datetime.date(2019, 1, 1)
LAST_DAY = datetime.date(2026, 6, 30)
RETELLING_SHARE = 0.35
NOT_ARCHIVED_SHARE = 0.06
CLAIMS_PER_STORY = 12
FILLER_POOL_SIZE = 4000

# Stance odds (supports, refutes, qualifies, mentions) given the editors' verdict.
STANCES = [Stance.SUPPORTS, Stance.REFUTES, Stance.QUALIFIES, Stance.MENTIONS]
STANCE_ODDS = {
    Verdict.TRUE: (70, 4, 16, 10),
    Verdict.MOSTLY_TRUE: (60, 8, 20, 12),
    Verdict.MIXED: (35, 30, 20, 15),
    Verdict.MOSTLY_FALSE: (20, 45, 20, 15),
    Verdict.FALSE: (12, 60, 13, 15),
    Verdict.NOT_ENOUGH_EVIDENCE: (25, 15, 20, 40),
    Verdict.UNRATED: (40, 15, 20, 25),
}
STATUS_ODDS = {
    ReviewStatus.PUBLISHED: 85,
    ReviewStatus.DRAFT: 6,
    ReviewStatus.IN_REVIEW: 5,
    ReviewStatus.RETRACTED: 4,
}
PUBLISHED_VERDICT_ODDS = {
    Verdict.TRUE: 20,
    Verdict.MOSTLY_TRUE: 20,
    Verdict.MIXED: 15,
    Verdict.MOSTLY_FALSE: 15,
    Verdict.FALSE: 20,
    Verdict.NOT_ENOUGH_EVIDENCE: 10,
}
OUTLET_KIND_ODDS = {
    OutletKind.NEWSPAPER: 50,
    OutletKind.DIGITAL: 20,
    OutletKind.MAGAZINE: 8,
    OutletKind.BROADCASTER: 8,
    OutletKind.WIRE: 4,
    OutletKind.BLOG: 6,
    OutletKind.AGGREGATOR: 4,
}
PRECISION_ODDS = {
    DatePrecision.DAY: 90,
    DatePrecision.MONTH: 5,
    DatePrecision.YEAR: 2,
    DatePrecision.UNKNOWN: 3,
}


@dataclass(frozen=True)
class FirstIds:
    """The first free primary key of each table; rows are written with explicit ids."""

    outlet: int = 1
    article: int = 1
    claim: int = 1
    appearance: int = 1
    contradiction: int = 1


def weighted(rng: random.Random, odds: dict):
    return rng.choices(list(odds), weights=list(odds.values()))[0]


def zipf_cumulative(count: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(count)))


@functools.cache
def story_weights(size: int) -> list[float]:
    """The first claims of a story are the ones most articles repeat."""
    return zipf_cumulative(size, 1.0)
