"""Reads of the reading desk: the conflicts a new link would put in front of an editor.

An origin (an article and every retelling of the same first report) that states a claim
one way and, elsewhere, the opposite way, or that stands behind both sides of a known
contradiction, is telling the editor something: either the report changed its mind or the
link is wrong. These are candidates for the editor's eye, never decisions.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from factcheck.models import (
    Appearance,
    Article,
    Claim,
    Contradiction,
    ContradictionStatus,
    Stance,
)

OPPOSITE_STANCE = {Stance.SUPPORTS: Stance.REFUTES, Stance.REFUTES: Stance.SUPPORTS}
DECISIVE_STANCES = set(OPPOSITE_STANCE)


class ConflictKind:
    # The same origin states the linked claim with the opposite stance elsewhere.
    STATED_OPPOSITE = "stated_opposite"
    # The same origin takes the same side on a claim the linked one is known to contradict.
    CONTRADICTION_STATED = "contradiction_stated"
    # A known contradiction of the linked claim that this origin does not state.
    CONTRADICTION_KNOWN = "contradiction_known"


@dataclass(frozen=True)
class ContradictionCandidate:
    kind: str
    claim: Claim  # the claim in conflict: the linked claim itself for STATED_OPPOSITE
    contradiction: Contradiction | None = None
    appearances: tuple[Appearance, ...] = ()  # where the same origin states it
    in_same_article: bool = False  # every one of those appearances is in the linked article


def contradiction_candidates(
    *, article: Article, claim: Claim, stance: str
) -> list[ContradictionCandidate]:
    """What linking a span of `article` to `claim` with `stance` would contradict.

    Same-origin conflicts first (the origin stating the claim the other way; the origin
    taking the same side of a known contradiction), then the claim's other known
    contradictions. Dismissed contradictions are left out: an editor has ruled on them.
    """
    found = contradiction_candidates_by_claim(article=article, claims=[claim], stance=stance)
    return found.get(claim.pk, [])


def contradiction_candidates_by_claim(
    *, article: Article, claims: Iterable[Claim], stance: str
) -> dict[int, list[ContradictionCandidate]]:
    """contradiction_candidates for several claims at once, in two queries whatever their number."""
    claim_ids = {claim.pk for claim in claims}
    if not claim_ids:
        return {}
    contradictions = list(
        Contradiction.objects.filter(Q(claim_a__in=claim_ids) | Q(claim_b__in=claim_ids))
        .exclude(status=ContradictionStatus.DISMISSED)
        .select_related("claim_a", "claim_b")
        .order_by("pk")
    )
    other_ids = {c.claim_a_id for c in contradictions} | {c.claim_b_id for c in contradictions}
    origin_id = article.origin_id or article.pk
    stated = defaultdict(list)  # (claim id, stance) -> appearances in the same origin
    for appearance in (
        Appearance.objects.filter(Q(article__origin_id=origin_id) | Q(article_id=article.pk))
        .filter(claim_id__in=claim_ids | other_ids, stance__in=DECISIVE_STANCES)
        # A quote a correction lost from the text (no offsets) no longer states anything.
        .filter(start__isnull=False)
        .select_related("article")
        .order_by("article_id", "start", "pk")
    ):
        stated[appearance.claim_id, appearance.stance].append(appearance)

    found: dict[int, list[ContradictionCandidate]] = {}
    for claim in claims:
        same_origin, known = [], []
        opposite = OPPOSITE_STANCE.get(stance)
        if opposite and stated[claim.pk, opposite]:
            same_origin.append(
                _candidate(
                    ConflictKind.STATED_OPPOSITE, claim, None, stated[claim.pk, opposite], article
                )
            )
        for contradiction in contradictions:
            if claim.pk not in (contradiction.claim_a_id, contradiction.claim_b_id):
                continue
            other = contradiction.other_claim(claim)
            alongside = stated[other.pk, stance] if stance in DECISIVE_STANCES else []
            if alongside:
                same_origin.append(
                    _candidate(
                        ConflictKind.CONTRADICTION_STATED, other, contradiction, alongside, article
                    )
                )
            else:
                known.append(
                    _candidate(ConflictKind.CONTRADICTION_KNOWN, other, contradiction, [], article)
                )
        found[claim.pk] = [*same_origin, *known]
    return found


def _candidate(kind, claim, contradiction, appearances, article) -> ContradictionCandidate:
    return ContradictionCandidate(
        kind=kind,
        claim=claim,
        contradiction=contradiction,
        appearances=tuple(appearances),
        in_same_article=bool(appearances) and all(a.article_id == article.pk for a in appearances),
    )
