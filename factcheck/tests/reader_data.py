"""Data sets for the reader-page tests, built through the same services editors use."""

from dataclasses import dataclass, field
from itertools import pairwise

from django.utils import timezone

from factcheck import workflow
from factcheck.models import Article, Claim, Contradiction, ContradictionKind, ReviewStatus, Stance
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
    OutletFactory,
)

# Verbatim spans of factories.ARTICLE_TEXT; the second and third overlap.
QUOTES = [
    "Alibaba e ByteDance stanno addestrando i loro modelli nel sud-est asiatico",
    "DeepSeek addestra i suoi modelli in Cina",
    "modelli in Cina grazie alle scorte di chip Nvidia",
    "Huawei collabora con DeepSeek",
]
STANCES = [Stance.SUPPORTS, Stance.REFUTES, Stance.QUALIFIES, Stance.SUPPORTS]


@dataclass
class ReaderCorpus:
    outlet: object
    upstream: Article
    articles: list[Article]
    claims: list[Claim]
    contradictions: list[Contradiction] = field(default_factory=list)
    hidden: list[Claim] = field(default_factory=list)

    @property
    def claim(self) -> Claim:
        return self.claims[0]

    @property
    def article(self) -> Article:
        return self.articles[0]


def publish(claim: Claim) -> Claim:
    """Take a draft through review the way a reviewer would, so it gets a review date."""
    workflow.claim_transition(claim=claim, name="submit", user=None)
    workflow.claim_transition(claim=claim, name="publish", user=None)
    claim.refresh_from_db()
    return claim


def build_reader_corpus(*, claims: int = 3, articles: int = 3, hidden: bool = True) -> ReaderCorpus:
    """Published claims quoted across articles, some retelling one upstream report.

    Every claim appears in every article (each with a different, partly overlapping quote),
    and neighbouring claims contradict each other, so the rows of every page grow with
    the arguments. With `hidden`, a draft and an in-review claim are quoted too.
    """
    outlet = OutletFactory(name="Il Quotidiano", slug="il-quotidiano")
    upstream = ArticleFactory(
        outlet=OutletFactory(name="Financial Times", slug="financial-times", language="en"),
        title="",
        text="",
        is_archived=False,
        language="en",
    )
    texts = [
        ArticleFactory(outlet=outlet, retells=upstream if index % 2 == 0 else None)
        for index in range(articles)
    ]
    published = []
    for index in range(claims):
        claim = publish(ClaimFactory(status=ReviewStatus.DRAFT, context=f"Background {index}."))
        for position, article in enumerate(texts):
            AppearanceFactory(
                claim=claim,
                article=article,
                quote=QUOTES[(index + position) % len(QUOTES)],
                stance=STANCES[(index + position) % len(STANCES)],
            )
        published.append(claim)
    contradictions = [
        ContradictionFactory(
            claim_a=first,
            claim_b=second,
            kind=ContradictionKind.EXPLAINED_BY_TIME if index % 2 else ContradictionKind.DIRECT,
            superseded_claim=first if index % 2 else None,
        )
        for index, (first, second) in enumerate(pairwise(published))
    ]
    corpus = ReaderCorpus(
        outlet=outlet,
        upstream=upstream,
        articles=texts,
        claims=[Claim.objects.get(pk=claim.pk) for claim in published],
        contradictions=contradictions,
    )
    if hidden:
        corpus.hidden = hidden_claims(article=texts[0], neighbour=published[0])
    return corpus


def hidden_claims(*, article: Article, neighbour: Claim) -> list[Claim]:
    """A draft and an in-review claim, quoted in `article` and contradicting `neighbour`."""
    result = []
    for status in (ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW):
        claim = ClaimFactory(
            status=status,
            statement=f"Unpublished {status} statement zebraquux",
            context=f"Unpublished context {status}",
            verdict_summary=f"Unpublished summary {status}",
        )
        AppearanceFactory(
            claim=claim,
            article=article,
            quote="Huawei collabora con DeepSeek sui nuovi semiconduttori",
            attribution=f"unpublished attribution {status}",
            translation=f"unpublished translation {status}",
        )
        ContradictionFactory(
            claim_a=neighbour, claim_b=claim, explanation=f"Unpublished explanation {status}"
        )
        result.append(claim)
    return result


def quote_publicly(*articles: Article, claim: Claim | None = None) -> Claim:
    """Make articles public the only way there is: a published claim quotes each of them."""
    claim = claim or ClaimFactory()
    for article in articles:
        word = article.text.split()[0]
        AppearanceFactory(claim=claim, article=article, quote=word, start=article.text.index(word))
    return claim


def mark_reviewed_now(claims: list[Claim]) -> None:
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(reviewed_at=timezone.now())
