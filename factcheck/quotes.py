"""Anchoring quotes in article texts.

A quote is stored the way a W3C Web Annotation selects text: by position (start and end,
in Unicode code points, which is what Python string indices count) and by content (the
exact quote plus a little text before and after it). Position makes lookups cheap;
content lets a quote be found again after the text around it changes.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher

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


def closest_passage(text: str, quote: str) -> str:
    """The stretch of `text` most like `quote`, for telling an editor what they meant."""
    if not text:
        return ""
    matcher = SequenceMatcher(None, text, quote, autojunk=False)
    match = matcher.find_longest_match(0, len(text), 0, len(quote))
    if match.size == 0:
        return ""
    # Line the passage up with the quote around the longest shared run of characters.
    begin = max(0, match.a - match.b)
    return text[begin : begin + len(quote)]


def not_found_message(text: str, quote: str) -> str:
    passage = closest_passage(text, quote)
    message = "The quote is not a verbatim span of the article text."
    if passage:
        message += f" Closest passage: “{passage}”."
        if passage.replace("’", "'") == quote.replace("’", "'"):
            message += " Check the apostrophes: the article uses a different kind."
    return message
