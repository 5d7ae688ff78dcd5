"""The one computation of how much independent reporting agrees with a claim.

Evidence is counted per independent origin, not per article: three outlets retelling one
Financial Times report are one origin. An appearance counts under its article's origin, or
under its credited source's origin when the quote credits a report of its own. For each stance we count the origins that have at
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
from dataclasses import dataclass
from functools import cached_property

from django.db.models import F
from django.db.models.functions import Coalesce

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


def origin_of(path: str = "") -> Coalesce:
    """The independent origin an article (at `path`) counts for, as a query expression.

    An article's origin is the first report up its retelling chain; an article whose
    origin is not set yet stands for itself.
    """
    return Coalesce(F(f"{path}origin_id"), F(f"{path}id"))


def appearance_origin() -> Coalesce:
    """The origin an appearance counts for: its credited source's, when it credits one
    (one Financial Times figure in a story retelling the Wall Street Journal), else its
    article's."""
    return Coalesce(
        F("credited_source__origin_id"),
        F("credited_source_id"),
        F("article__origin_id"),
        F("article_id"),
    )


def origin_of_appearance(appearance: Appearance) -> Article:
    """The same, for a loaded appearance (credited_source and article with their origins)."""
    if appearance.credited_source_id is not None:
        return appearance.credited_source.origin_or_self
    return appearance.article.origin_or_self


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

    @classmethod
    def from_claim(cls, claim: Claim) -> "Agreement":
        """The agreement as stored on the claim: what readers and lists are shown."""
        return cls(
            supporting=claim.supporting_origins,
            refuting=claim.refuting_origins,
            qualifying=claim.qualifying_origins,
            mentioning=claim.mentioning_origins,
            appearances=claim.appearance_count,
            articles=claim.article_count,
            origins=claim.origin_count,
        )

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
    rows = (
        Appearance.objects.counted()
        .filter(claim_id__in=claim_ids)
        .annotate(origin=appearance_origin())
        .values_list("claim_id", "stance", "article_id", "origin")
    )
    for claim_id, *item in rows:
        evidence[claim_id].append(tuple(item))
    return {claim_id: agreement_from_evidence(items) for claim_id, items in evidence.items()}


# --- Explaining it -------------------------------------------------------------------


@dataclass(frozen=True)
class OriginEvidence:
    """One independent origin and what its retellings say about the claim."""

    origin: Article
    appearances: tuple[Appearance, ...]

    @cached_property
    def stances(self) -> list[str]:
        return sorted({appearance.stance for appearance in self.appearances})

    @cached_property
    def articles(self) -> list[Article]:
        seen = {}
        for appearance in self.appearances:
            seen.setdefault(appearance.article_id, appearance.article)
        return list(seen.values())

    @property
    def quoted_only_itself(self) -> bool:
        """Every quote counted under this origin is in the origin's own text: no article
        here retells it, so there is nothing to group under it."""
        return all(article.pk == self.origin.pk for article in self.articles)


@dataclass
class Breakdown:
    """The stored agreement, and the appearances grouped by the origins it counted."""

    agreement: Agreement
    origins: list[OriginEvidence]

    def origins_with_stance(self, stance: str) -> list[OriginEvidence]:
        return [origin for origin in self.origins if stance in origin.stances]

    @cached_property
    def retold_origins(self) -> list[OriginEvidence]:
        """Origins with at least one quoted article that retells them (or credits them)."""
        return [origin for origin in self.origins if not origin.quoted_only_itself]

    @cached_property
    def self_quoted_origins(self) -> list[OriginEvidence]:
        """Origins quoted only in their own text: most of a much-quoted claim's origins."""
        return [origin for origin in self.origins if origin.quoted_only_itself]


def claim_agreement_breakdown(*, claim: Claim, appearances: Iterable[Appearance]) -> Breakdown:
    """Group a claim's appearances by independent origin, to show why the label is what it is.

    The figures are the claim's stored ones, never a second computation, so the page
    cannot contradict the lists. `appearances` should come with article, article.outlet,
    article.origin and credited_source.origin loaded (selectors.claim_appearances does
    that): no queries here. A quote with a credited source is grouped under that
    source's origin, as agreement counts it.
    """
    by_origin: dict[int, tuple[Article, list[Appearance]]] = {}
    for appearance in appearances:
        origin = origin_of_appearance(appearance)
        by_origin.setdefault(origin.pk, (origin, []))[1].append(appearance)
    origins = sorted(
        (
            OriginEvidence(origin=origin, appearances=tuple(group))
            for origin, group in by_origin.values()
        ),
        key=lambda item: (-len(item.appearances), item.origin.pk),
    )
    return Breakdown(agreement=Agreement.from_claim(claim), origins=origins)
