"""Contradictions on a time line: each pair's two claims with the dates of their evidence,
the older first."""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import Max, Min

from factcheck.models import (
    DERIVED_EVIDENCE_SPAN_FIELDS,
    Appearance,
    Article,
    Claim,
    DatePrecision,
)

# What a list of contradictions shows of each and of its claims (for_list() joins them):
# the claims' summaries, contexts and notes are long texts no list needs. The claims'
# stored evidence spans come in the same row, so the dates cost no query of their own.
CONTRADICTION_LIST_FIELDS = [
    "pk",
    "kind",
    "status",
    "explanation",
    "updated_at",
    *(
        f"{claim}__{name}"
        for claim in ("claim_a", "claim_b")
        for name in (
            "id",
            "slug",
            "statement",
            "statement_it",
            "status",
            "verdict",
            *DERIVED_EVIDENCE_SPAN_FIELDS,
        )
    ),
    *(f"superseded_claim__{name}" for name in ("id", "slug", "statement", "statement_it")),
]

# On one day, the more precise date is the more telling first or last.
PRECISION_RANK = {DatePrecision.DAY: 0, DatePrecision.MONTH: 1, DatePrecision.YEAR: 2}


def period_end(day: datetime.date, precision: str) -> datetime.date:
    """The last day a date written to its precision may mean (2025 → 31 December 2025)."""
    if precision == DatePrecision.YEAR:
        return day.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        next_month = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return next_month - datetime.timedelta(days=1)
    return day


class EvidenceDate(NamedTuple):
    """An article's date and its precision, written as the article writes it (the
    article_date filter reads these two properties): an Article instance per date cost a
    page of contradictions more than its query."""

    published_on: datetime.date
    date_precision: str

    display_date = Article.display_date
    iso_date = Article.iso_date


@dataclass(frozen=True)
class EvidenceSpan:
    """The publication dates of the first and the last article quoting a claim."""

    first: EvidenceDate
    last: EvidenceDate

    @property
    def single(self) -> bool:
        return self.first.iso_date == self.last.iso_date

    @property
    def sort_key(self) -> tuple:
        return (
            self.first.published_on,
            period_end(self.last.published_on, self.last.date_precision),
        )

    def as_claim_fields(self) -> dict:
        return {
            "evidence_first_on": self.first.published_on,
            "evidence_first_precision": self.first.date_precision,
            "evidence_last_on": self.last.published_on,
            "evidence_last_precision": self.last.date_precision,
        }

    @classmethod
    def from_claim(cls, claim: "Claim | ClaimRow") -> "EvidenceSpan | None":
        """The span as stored on the claim (services keep it), shown only for a public
        claim: the stored span is of its counted evidence, which readers see only then."""
        if not claim.is_public or claim.evidence_first_on is None:
            return None
        return cls(
            first=EvidenceDate(claim.evidence_first_on, claim.evidence_first_precision),
            last=EvidenceDate(claim.evidence_last_on, claim.evidence_last_precision),
        )


# What a claim without dated evidence stores.
NO_EVIDENCE_SPAN = {
    "evidence_first_on": None,
    "evidence_first_precision": "",
    "evidence_last_on": None,
    "evidence_last_precision": "",
}


class ClaimRow(NamedTuple):
    """What a pair shows of a claim, read as a plain row with its pair: a page of 50
    pairs built 150 model instances for these few columns."""

    id: int
    slug: str
    statement: str
    statement_it: str
    status: str
    verdict: str
    evidence_first_on: datetime.date | None
    evidence_first_precision: str
    evidence_last_on: datetime.date | None
    evidence_last_precision: str

    @property
    def pk(self) -> int:
        return self.id

    def statement_in(self, language: str) -> str:
        """reader_statement for readers of `language`: a page of pairs reads the active
        language once, not for each of its few hundred statements."""
        if language != settings.LANGUAGE_CODE:
            translated = getattr(self, f"statement_{language}", "")
            if translated:
                return translated
        return self.statement

    in_reader_language = Claim.in_reader_language
    reader_statement = Claim.reader_statement
    is_public = Claim.is_public


class ContradictionRow(NamedTuple):
    """What a pair shows of its contradiction (see ClaimRow)."""

    pk: int
    kind: str
    status: str
    explanation: str
    superseded_claim_id: int | None


# One row a pair: the contradiction's columns, then each claim's.
PAIR_ROW_FIELDS = [
    *ContradictionRow._fields,
    *(f"{claim}__{name}" for claim in ("claim_a", "claim_b") for name in ClaimRow._fields),
]


@dataclass(frozen=True)
class ContradictionSide:
    claim: ClaimRow
    evidence: EvidenceSpan | None  # None: no public article quoting it has a known date


@dataclass(frozen=True)
class ContradictionPair:
    """A contradiction with its claims in time order: `older` is drawn on the left."""

    contradiction: ContradictionRow
    older: ContradictionSide
    newer: ContradictionSide

    @property
    def in_time_order(self) -> bool:
        """Whether the dates (or the editors, for a claim superseded) tell which is older."""
        if self.contradiction.superseded_claim_id:
            return True
        if self.older.evidence is None or self.newer.evidence is None:
            return False
        return self.older.evidence.sort_key != self.newer.evidence.sort_key

    @property
    def sides(self) -> tuple[ContradictionSide, ContradictionSide]:
        return self.older, self.newer

    @property
    def superseded(self) -> ContradictionSide | None:
        if self.contradiction.superseded_claim_id:
            return self.older
        return None


def evidence_spans(appearances) -> dict[int, EvidenceSpan]:
    """The dated span of each claim's evidence among `appearances`, in one query: per
    claim and precision, the earliest and latest date (at most three rows a claim). The
    one computation of a span; claims without a dated quote are left out."""
    rows = (
        appearances.filter(article__published_on__isnull=False)
        .values_list("claim_id", "article__date_precision")
        .annotate(first=Min("article__published_on"), last=Max("article__published_on"))
        .order_by()
    )
    firsts: dict[int, list[tuple[datetime.date, str]]] = {}
    lasts: dict[int, list[tuple[datetime.date, str]]] = {}
    for claim_id, precision, first, last in rows.iterator(chunk_size=10_000):
        firsts.setdefault(claim_id, []).append((first, precision))
        lasts.setdefault(claim_id, []).append((last, precision))
    spans = {}
    for claim_id, known in firsts.items():
        first = min(known, key=lambda date: (date[0], PRECISION_RANK[date[1]]))
        last = max(lasts[claim_id], key=lambda date: (period_end(*date), -PRECISION_RANK[date[1]]))
        spans[claim_id] = EvidenceSpan(
            first=EvidenceDate(*first),
            last=EvidenceDate(*last),
        )
    return spans


def claims_evidence_spans(claim_ids) -> dict[int, EvidenceSpan]:
    """The span of each claim's public evidence, computed: what the stored span of a
    public claim must equal."""
    return evidence_spans(Appearance.objects.public().filter(claim_id__in=list(claim_ids)))


def claims_counted_spans(claim_ids) -> dict[int, EvidenceSpan]:
    """The span of each claim's counted evidence, computed: what the services store."""
    return evidence_spans(Appearance.objects.counted().filter(claim_id__in=list(claim_ids)))


def contradiction_pairs(*, contradictions) -> list[ContradictionPair]:
    """Contradictions (a queryset, sliced or not) with their sides in time order: a
    superseded claim is the older; otherwise the claim first reported earlier, then the
    one whose reporting ended earlier; undated evidence goes right. One query, of plain
    rows: the dates are the claims' stored spans."""
    contradiction_width = len(ContradictionRow._fields)
    claim_width = len(ClaimRow._fields)
    pairs = []
    for row in contradictions.values_list(*PAIR_ROW_FIELDS):
        contradiction = ContradictionRow(*row[:contradiction_width])
        sides = [
            ContradictionSide(claim=claim, evidence=EvidenceSpan.from_claim(claim))
            for claim in (
                ClaimRow(*row[contradiction_width : contradiction_width + claim_width]),
                ClaimRow(*row[contradiction_width + claim_width :]),
            )
        ]
        if contradiction.superseded_claim_id:
            sides.sort(key=lambda side: side.claim.pk != contradiction.superseded_claim_id)
        else:
            sides.sort(
                key=lambda side: (
                    side.evidence is None,
                    side.evidence.sort_key if side.evidence else (),
                    side.claim.pk,
                )
            )
        pairs.append(ContradictionPair(contradiction=contradiction, older=sides[0], newer=sides[1]))
    return pairs
