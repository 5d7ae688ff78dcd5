"""Near-duplicates: copies and light rewrites of stored articles (same wire story, reprints).

INTERFACE STUB on main, to be replaced by the MinHash implementation; callers rely only on
the names and shapes below.
"""

from dataclasses import dataclass, field

from factcheck.models import Article


@dataclass(frozen=True)
class SharedPassage:
    """A passage the two texts share: offsets into the new text and into the stored one."""

    start: int
    end: int
    other_start: int
    other_end: int


@dataclass(frozen=True)
class NearDuplicate:
    article_id: int
    similarity: float  # estimated Jaccard similarity of word shingles, 0..1
    shared: list[SharedPassage] = field(default_factory=list)


def near_duplicates(
    text: str, *, language: str = "", exclude: int | None = None
) -> list[NearDuplicate]:
    """Stored articles whose text is a copy or light rewrite of `text`, most similar first."""
    return []


def signature_save(*, article: Article) -> None:
    """Store (or replace) the article's signature so later lookups find it."""
