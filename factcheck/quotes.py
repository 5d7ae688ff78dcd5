"""Anchoring quotes in article texts.

A quote is stored the way a W3C Web Annotation selects text: by position (start and end,
in Unicode code points, which is what Python string indices count) and by content (the
exact quote plus a little text before and after it). Position makes lookups cheap;
content lets a quote be found again after the text around it changes.
"""

from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz

CONTEXT_LENGTH = 32


class QuoteNotFound(ValueError):
    """The quote is not a verbatim span of the text; the message names the closest passage."""


class AmbiguousQuote(QuoteNotFound):
    """The quote occurs more than once and nothing says which occurrence is meant."""

    def __init__(self, text: str, quote: str, positions: list[int]):
        self.positions = positions
        shown = positions[:5]
        places = "; ".join(
            f"at {position} (…{text[max(0, position - 30) : position]}[quote]"
            f"{text[position + len(quote) : position + len(quote) + 30]}…)"
            for position in shown
        )
        more = f" and {len(positions) - len(shown)} more" if len(positions) > len(shown) else ""
        super().__init__(
            f"The quote occurs {len(positions)} times in the article: {places}{more}. "
            "Enter the offset of the occurrence you mean as its start."
        )


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    prefix: str
    suffix: str


def span_at(text: str, start: int, end: int) -> Span:
    return Span(
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
    )


def occurrences(text: str, quote: str) -> list[int]:
    found = []
    position = text.find(quote)
    while position != -1:
        found.append(position)
        position = text.find(quote, position + 1)
    return found


def anchor(
    text: str, quote: str, *, start: int | None = None, prefix: str = "", suffix: str = ""
) -> Span:
    """Find where `quote` stands in `text`.

    Offsets that still point at the quote win. Otherwise, among the places the quote
    occurs, the one whose surrounding text best matches the remembered prefix and suffix,
    then the one nearest the old offset, is chosen. A new quote (no offset, no context)
    that occurs several times is refused: the editor says which occurrence is meant.
    """
    if not quote:
        raise QuoteNotFound("The quote is empty.")
    if start is not None and text[start : start + len(quote)] == quote:
        return span_at(text, start, start + len(quote))
    candidates = occurrences(text, quote)
    if not candidates:
        raise QuoteNotFound(not_found_message(text, quote))
    if len(candidates) > 1 and start is None and not prefix and not suffix:
        raise AmbiguousQuote(text, quote, candidates)

    def closeness(position: int) -> tuple:
        context_matches = int(
            bool(prefix) and text[max(0, position - len(prefix)) : position] == prefix
        ) + int(bool(suffix) and text[position + len(quote) :].startswith(suffix))
        distance = abs(position - start) if start is not None else position
        return (-context_matches, distance)

    best = min(candidates, key=closeness)
    return span_at(text, best, best + len(quote))


# The closest passage is a hint for an editor, so its cost is bounded whatever the sizes:
# only the quote's first PROBE_LENGTH characters are looked for, through at most
# PROBE_PIECES short pieces of them, each found at most PIECE_HITS times in the text (a
# few linear scans in C, against SequenceMatcher's seconds on a long text); only the
# CANDIDATES alignments the most pieces agree on, each shifted by up to ALIGNMENT_SLACK, are
# then compared character by character.
PROBE_LENGTH = 1_000
PROBE_PIECES = 16
PIECE_HITS = 16
PIECE_LENGTH = 8
# A short quote with a typo every few letters may share no 8 characters with its passage;
# a long one that shares none has no passage worth naming.
SHORT_QUOTE = 64
SHORT_PIECE_LENGTH = 4
CANDIDATES = 8
ALIGNMENT_SLACK = 8


def closest_passage(text: str, quote: str) -> str:
    """The stretch of `text` most like `quote`, for telling an editor what they meant."""
    candidates = likely_starts(text, quote)
    if not candidates:
        return ""
    probe = quote[:PROBE_LENGTH]
    _, begin = max((_aligned(text, probe, start) for start in candidates), key=_best)
    return text[begin : begin + len(quote)]


def likely_starts(text: str, quote: str) -> list[int]:
    """Up to CANDIDATES places in `text` where a passage like `quote` may begin, likeliest first."""
    if not text or not quote:
        return []
    probe = quote[:PROBE_LENGTH]
    votes = _alignment_votes(text, probe, min(PIECE_LENGTH, len(probe)))
    if not votes and len(probe) < SHORT_QUOTE:
        votes = _alignment_votes(text, probe, min(SHORT_PIECE_LENGTH, len(probe)))
    return sorted(votes, key=lambda start: (-votes[start], start))[:CANDIDATES]


def _best(scored: tuple[float, int]) -> tuple[float, int]:
    score, start = scored
    return (score, -start)


def _alignment_votes(text: str, probe: str, piece_length: int) -> Counter:
    """For each place the probe could start in the text, how many of its pieces agree."""
    last = len(probe) - piece_length
    step = -(-(last + 1) // PROBE_PIECES)  # rounded up: at most PROBE_PIECES pieces
    votes = Counter()
    seen = set()
    for offset in range(0, last + 1, step):
        piece = probe[offset : offset + piece_length]
        if piece in seen or piece.isspace():
            continue
        seen.add(piece)
        position = text.find(piece)
        for _ in range(PIECE_HITS):
            if position == -1:
                break
            votes[position - offset] += 1
            position = text.find(piece, position + 1)
    return votes


def _aligned(text: str, probe: str, start: int) -> tuple[float, int]:
    """How like the probe the text is near `start`, and where it lines up best.

    Pieces that agree on a start can sit beside a shifted stretch (a letter missing or
    doubled in the quote), so every start within a few characters is compared; of equal
    ones the earliest wins, so the passage begins where the quote does.
    """
    scored = []
    for begin in range(max(0, start - ALIGNMENT_SLACK), max(0, start + ALIGNMENT_SLACK) + 1):
        scored.append((fuzz.ratio(probe, text[begin : begin + len(probe)]), begin))
    return max(scored, key=_best)


def not_found_message(text: str, quote: str) -> str:
    passage = closest_passage(text, quote)
    message = "The quote is not a verbatim span of the article text."
    if passage:
        message += f" Closest passage: “{passage}”."
        if passage.replace("’", "'") == quote.replace("’", "'"):
            message += " Check the apostrophes: the article uses a different kind."
    return message
