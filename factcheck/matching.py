"""Suggested claims for the passages of an article.

INTERFACE STUB on main, to be replaced by the real matcher; callers (the reading desk,
`suggest_claims`) rely only on the names and shapes below.
"""

import re
from dataclasses import dataclass, field

from factcheck.models import Article, Claim

# Candidates scoring below this are not returned (documented with the evaluation).
THRESHOLD = 0.0


@dataclass(frozen=True)
class Candidate:
    claim: Claim
    score: float


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    text: str
    candidates: list[Candidate] = field(default_factory=list)


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+")


def passages_split(text: str) -> list[tuple[int, int]]:
    """Sentence-sized spans of `text`, as (start, end) offsets, blank stretches skipped."""
    spans, start = [], 0
    for boundary in _SENTENCE_END.finditer(text):
        if text[start : boundary.start()].strip():
            spans.append((start, boundary.start()))
        start = boundary.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def passage_candidates(
    text: str, *, language: str = "", limit: int = 5, exclude_claims=()
) -> list[Candidate]:
    """The claims `text` most likely states, best first, above THRESHOLD."""
    return []


def article_suggestions(*, article: Article, limit: int = 5) -> list[Passage]:
    """Every passage of the article with its candidate claims."""
    return [
        Passage(start, end, article.text[start:end], passage_candidates(article.text[start:end]))
        for start, end in passages_split(article.text)
    ]
