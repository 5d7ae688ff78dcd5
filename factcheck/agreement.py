"""The one computation of how much independent reporting agrees with a claim.

Evidence is counted per independent origin, not per article: three outlets retelling one
Financial Times report are one origin. For each stance we count the origins that have at
least one appearance with that stance (an origin whose retellings disagree counts on both
sides).

Score, between -1 and 1 (None when no origin takes a position):

    (supporting + ½ × qualifying − refuting) / (supporting + qualifying + refuting + 1)

The sign says which way the evidence leans; the extra 1 in the divisor is a share of doubt
that more independent origins outweigh, so one supporting origin scores 0.5, two score
0.67 and three 0.75. Sorting by score therefore puts corroboration above a single report.

Label, decided from the origin counts:

    refuted        at least one refuting origin and none supporting
    contested      supporting and refuting origins both present
    corroborated   two or more supporting origins, none refuting
    single_origin  exactly one supporting origin, none refuting
    unconfirmed    no origin supports or refutes (only qualified or mentioned, or absent)
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from factcheck.models import AgreementLabel, Appearance, Article, Claim, Stance

QUALIFYING_WEIGHT = 0.5
DOUBT = 1  # the pseudo-origin in the score's divisor: see the module docstring

LABEL_REASONS = {
    AgreementLabel.REFUTED: "At least one independent origin refutes the claim and none supports it.",
    AgreementLabel.CONTESTED: "Independent origins disagree: some support the claim, others refute it.",
    AgreementLabel.CORROBORATED: "Two or more independent origins support the claim and none refutes it.",
    AgreementLabel.SINGLE_ORIGIN: (
        "Only one independent origin supports the claim, however many articles retell it."
    ),
    AgreementLabel.UNCONFIRMED: "No independent origin supports or refutes the claim.",
}

SCORE_REASON = (
    "The score runs from −1 to +1: each independent origin that supports the claim counts 1, "
    "each that qualifies it ½ and each that refutes it −1; the total is divided by the "
    "number of origins taking a position plus one, so a lone report weighs less than "
    "several that agree."
)


@dataclass(frozen=True)
class Agreement:
    supporting: int
    refuting: int
    qualifying: int
    mentioning: int
    appearances: int
    articles: int
    origins: int

    @property
    def label(self) -> AgreementLabel:
        if self.refuting and not self.supporting:
            return AgreementLabel.REFUTED
        if self.refuting and self.supporting:
            return AgreementLabel.CONTESTED
        if self.supporting >= 2:
            return AgreementLabel.CORROBORATED
        if self.supporting == 1:
            return AgreementLabel.SINGLE_ORIGIN
        return AgreementLabel.UNCONFIRMED

    @property
    def score(self) -> float | None:
        taking_a_position = self.supporting + self.qualifying + self.refuting
        if not taking_a_position:
            return None
        balance = self.supporting + QUALIFYING_WEIGHT * self.qualifying - self.refuting
        return round(balance / (taking_a_position + DOUBT), 4)

    @property
    def reason(self) -> str:
        return LABEL_REASONS[self.label]

    @property
    def score_reason(self) -> str:
        return SCORE_REASON

    def as_claim_fields(self) -> dict:
        return {
            "agreement_label": self.label,
            "agreement_score": self.score,
            "supporting_origins": self.supporting,
            "refuting_origins": self.refuting,
            "qualifying_origins": self.qualifying,
            "mentioning_origins": self.mentioning,
            "appearance_count": self.appearances,
            "article_count": self.articles,
            "origin_count": self.origins,
        }


def agreement_from_evidence(evidence: Iterable[tuple[str, int, int]]) -> Agreement:
    """Evidence is (stance, article id, origin id) for each appearance of one claim."""
    origins_by_stance: dict[str, set[int]] = defaultdict(set)
    articles, origins = set(), set()
    appearances = 0
    for stance, article_id, origin_id in evidence:
        appearances += 1
        articles.add(article_id)
        origins.add(origin_id)
        origins_by_stance[stance].add(origin_id)
    return Agreement(
        supporting=len(origins_by_stance[Stance.SUPPORTS]),
        refuting=len(origins_by_stance[Stance.REFUTES]),
        qualifying=len(origins_by_stance[Stance.QUALIFIES]),
        mentioning=len(origins_by_stance[Stance.MENTIONS]),
        appearances=appearances,
        articles=len(articles),
        origins=len(origins),
    )


def agreement_for_claims(claim_ids: Iterable[int]) -> dict[int, Agreement]:
    """Agreement for many claims in one query; claims without appearances included."""
    claim_ids = list(claim_ids)
    evidence: dict[int, list[tuple[str, int, int]]] = {claim_id: [] for claim_id in claim_ids}
    rows = Appearance.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "stance", "article_id", "article__origin_id"
    )
    for claim_id, stance, article_id, origin_id in rows:
        # An article whose origin is not yet set stands for itself.
        evidence[claim_id].append((stance, article_id, origin_id or article_id))
    return {claim_id: agreement_from_evidence(items) for claim_id, items in evidence.items()}


# --- Explaining it -------------------------------------------------------------------


@dataclass
class OriginEvidence:
    """One independent origin and what its retellings say about the claim."""

    origin: Article
    appearances: list[Appearance] = field(default_factory=list)

    @property
    def stances(self) -> list[str]:
        return sorted({appearance.stance for appearance in self.appearances})

    @property
    def articles(self) -> list[Article]:
        seen = {}
        for appearance in self.appearances:
            seen.setdefault(appearance.article_id, appearance.article)
        return list(seen.values())


@dataclass
class Breakdown:
    agreement: Agreement
    origins: list[OriginEvidence]

    def origins_with_stance(self, stance: str) -> list[OriginEvidence]:
        return [origin for origin in self.origins if stance in origin.stances]


def claim_agreement_breakdown(*, claim: Claim, appearances: Iterable[Appearance]) -> Breakdown:
    """Group a claim's appearances by independent origin, to show why the label is what it is.

    `appearances` should come with article, article.outlet and article.origin loaded
    (selectors.claim_appearances does that) so this adds no queries.
    """
    appearances = list(appearances)
    by_origin: dict[int, OriginEvidence] = {}
    for appearance in appearances:
        article = appearance.article
        origin = article.origin if article.origin_id else article
        by_origin.setdefault(origin.pk, OriginEvidence(origin=origin)).appearances.append(
            appearance
        )
    agreement = agreement_from_evidence(
        (a.stance, a.article_id, a.article.origin_id or a.article_id) for a in appearances
    )
    origins = sorted(by_origin.values(), key=lambda item: (-len(item.appearances), item.origin.pk))
    return Breakdown(agreement=agreement, origins=origins)
