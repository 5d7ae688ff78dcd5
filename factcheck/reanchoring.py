"""What a corrected article text does to the quotes anchored in it.

Outlets correct their articles: a typo is fixed, a paragraph is added, a passage is cut.
Each stored quote is then found again from what its appearance remembers (the quote, the
text just before and after it, and its old position), the way annotation tools such as
Hypothesis re-anchor theirs:

1. the quote still at its old offsets stays there;
2. otherwise the places where the quote occurs verbatim and, unless one of them has the
   remembered surroundings, the passages most like it (fuzzy matching with rapidfuzz)
   are scored on how like the quote they are and how like their surroundings are to the
   remembered ones; the best one within SIMILARITY_THRESHOLD wins;
3. a quote found nowhere is *orphaned*: it keeps its words for the editor, loses its
   offsets, and no reader sees it.

The outcome is a status. A verbatim quote with its surroundings (or at its old place) is
*anchored*: only the offsets moved. A quote whose words changed (a corrected typo inside
it) takes the new words and *needs a check*, as does a verbatim one found among different
surroundings: an editor confirms the quote still says what the claim needs.
"""

from dataclasses import dataclass

from django.utils.text import Truncator
from rapidfuzz import fuzz

from factcheck import quotes
from factcheck.models import AnchorStatus, Appearance, Article

# Similarity (rapidfuzz's normalised Indel ratio, 0 to 100) a passage needs to be taken for a
# corrected version of the quote. 85 lets about one character in seven change: a fixed
# typo or two, a changed apostrophe or number, but not a reworded sentence.
SIMILARITY_THRESHOLD = 85.0
# Similarity of the text before or after a candidate to the remembered one for the place
# to count as the same. The context is CONTEXT_LENGTH characters, so 70 survives a small
# edit beside the quote; a paragraph inserted right before it leaves the suffix whole.
CONTEXT_THRESHOLD = 70.0
# The characters right beside a quote, which weigh twice in telling places apart.
NEAR_CONTEXT = 8
# A short quote can occur many times; the nearest ones are the only plausible places.
MAX_OCCURRENCES = 50
# A corrected passage is looked for this far around each likely place, at least.
MIN_SLACK = 16
# simple_history keeps a change reason of up to 100 characters.
REASON_LENGTH = 100


@dataclass(frozen=True)
class Anchoring:
    """Where a quote stands in a new text: its status, span and (possibly updated) words."""

    status: AnchorStatus
    quote: str
    span: quotes.Span | None = None
    similarity: float = 0.0
    verbatim: bool = False


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    similarity: float
    context: float  # the better side: one agreeing side is enough to say it is the place
    context_total: float  # both sides: which of several places is likelier
    distance: int

    @property
    def score(self) -> tuple:
        # Quote and surroundings weigh alike, so the corrected passage where the quote was
        # beats the same words elsewhere in other surroundings; nearer wins a tie.
        return (self.similarity + self.context_total / 2, -self.distance)


def quote_reanchor(
    text: str, *, quote: str, start: int | None, prefix: str, suffix: str
) -> Anchoring:
    """Find `quote` (last seen at `start` between `prefix` and `suffix`) in `text`."""
    if start is not None and text[start : start + len(quote)] == quote:
        return _anchoring(text, quote, start, start + len(quote), AnchorStatus.ANCHORED)

    exact = [
        _candidate(text, quote, position, position + len(quote), start, prefix, suffix, 100.0)
        for position in _nearest(quotes.occurrences(text, quote), start)
    ]
    in_place = [item for item in exact if item.context >= CONTEXT_THRESHOLD]
    if in_place:
        best = max(in_place, key=lambda item: item.score)
        return _anchoring(text, quote, best.start, best.end, AnchorStatus.ANCHORED)

    candidates = exact + _fuzzy_candidates(text, quote, start, prefix, suffix)
    acceptable = [
        item
        for item in candidates
        if item.similarity >= SIMILARITY_THRESHOLD
        and (item.similarity == 100.0 or item.context >= CONTEXT_THRESHOLD or item.distance == 0)
    ]
    if not acceptable:
        return Anchoring(status=AnchorStatus.ORPHANED, quote=quote)
    best = max(acceptable, key=lambda item: item.score)
    return _anchoring(text, quote, best.start, best.end, AnchorStatus.NEEDS_CHECK)


def _anchoring(text: str, quote: str, start: int, end: int, status: AnchorStatus) -> Anchoring:
    found = text[start:end]
    return Anchoring(
        status=status,
        quote=found,
        span=quotes.span_at(text, start, end),
        similarity=fuzz.ratio(quote, found),
        verbatim=found == quote,
    )


def _nearest(positions: list[int], start: int | None) -> list[int]:
    if start is None:
        return positions[:MAX_OCCURRENCES]
    return sorted(positions, key=lambda position: abs(position - start))[:MAX_OCCURRENCES]


def _context(text: str, begin: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    """How like the remembered text before and after it the text around [begin, end) is."""
    # As long as the remembered context: a quote that stood near the start of the text
    # remembers only the few characters before it, and those are what must agree.
    before = text[max(0, begin - len(prefix)) : begin]
    after = text[end : end + len(suffix)]
    return (
        _side(prefix[-NEAR_CONTEXT:], before[-NEAR_CONTEXT:], prefix, before),
        _side(suffix[:NEAR_CONTEXT], after[:NEAR_CONTEXT], suffix, after),
    )


def _side(near_remembered, near_found, remembered, found) -> float:
    # The characters next to the quote count twice: in repetitive text ("Primo: il piano
    # ... Secondo: il piano ...") the whole context of two places can be alike while the
    # words right beside the quote tell them apart.
    return (fuzz.ratio(near_remembered, near_found) + fuzz.ratio(remembered, found)) / 2


def _candidate(text, quote, begin, end, start, prefix, suffix, similarity) -> _Candidate:
    before, after = _context(text, begin, end, prefix, suffix)
    return _Candidate(
        start=begin,
        end=end,
        similarity=similarity,
        context=max(before, after),
        context_total=before + after,
        distance=abs(begin - start) if start is not None else 0,
    )


def _fuzzy_candidates(text, quote, start, prefix, suffix) -> list[_Candidate]:
    """The passage most like the quote near each place it may have gone to.

    Those places are its old position, right after each occurrence of its old prefix,
    right before each occurrence of its old suffix (the text around a quote survives a
    correction inside it), and where pieces of the quote line up (quotes.likely_starts).
    """
    places = [] if start is None else [start]
    if prefix:
        places += [at + len(prefix) for at in quotes.occurrences(text, prefix)[:MAX_OCCURRENCES]]
    if suffix:
        places += [at - len(quote) for at in quotes.occurrences(text, suffix)[:MAX_OCCURRENCES]]
    places += quotes.likely_starts(text, quote)
    found = {}
    for place in places:
        span = _closest_span(text, quote, max(0, min(place, len(text))))
        if span is not None and span not in found:
            begin, end = span
            similarity = fuzz.ratio(quote, text[begin:end])
            found[span] = _candidate(text, quote, begin, end, start, prefix, suffix, similarity)
    if start is not None:
        # Within the slack of the old place is where the quote was: no context needed.
        slack = _slack(quote)
        found = {
            span: item if item.distance > slack else _at_old_place(item)
            for span, item in found.items()
        }
    return list(found.values())


def _at_old_place(item: _Candidate) -> _Candidate:
    return _Candidate(item.start, item.end, item.similarity, item.context, item.context_total, 0)


def _slack(quote: str) -> int:
    return max(MIN_SLACK, len(quote) // 4)


def _closest_span(text: str, quote: str, place: int) -> tuple[int, int] | None:
    """The span near `place` most like `quote`, its ends moved to where it matches best.

    partial_ratio aligns a stretch exactly as long as the quote; a correction adds or
    drops characters, so each end then moves a little to where the whole quote matches.
    """
    slack = _slack(quote)
    low = max(0, place - slack)
    high = min(len(text), max(place, low) + len(quote) + slack)
    window = text[low:high]
    if not window.strip():
        return None
    alignment = fuzz.partial_ratio_alignment(quote, window)
    begin, end = low + alignment.dest_start, low + alignment.dest_end
    edge = max(4, len(quote) // 10)
    end = _best_end(text, quote, begin, end, edge)
    begin = _best_begin(text, quote, begin, end, edge)
    # Corrections seldom touch the spaces around a quote: keep the span's ends on words.
    while begin < end and text[begin].isspace() and not quote[:1].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace() and not quote[-1:].isspace():
        end -= 1
    return (begin, end) if end > begin else None


def _best_end(text, quote, begin, end, edge) -> int:
    ends = range(max(begin + 1, end - edge), min(len(text), end + edge) + 1)
    return max(ends, key=lambda e: (fuzz.ratio(quote, text[begin:e]), -abs(e - end)), default=end)


def _best_begin(text, quote, begin, end, edge) -> int:
    begins = range(max(0, begin - edge), min(end - 1, begin + edge) + 1)
    return max(
        begins, key=lambda b: (fuzz.ratio(quote, text[b:end]), -abs(b - begin)), default=begin
    )


# --- Articles --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reanchored:
    """An appearance whose anchoring a new text changes, and what it becomes."""

    appearance: Appearance
    anchoring: Anchoring
    previous_status: str
    previous_quote: str

    @classmethod
    def of(cls, appearance: Appearance, anchoring: Anchoring) -> "Reanchored":
        return cls(appearance, anchoring, appearance.anchor_status, appearance.quote)

    def orphaned(self) -> "Reanchored":
        lost = Anchoring(status=AnchorStatus.ORPHANED, quote=self.previous_quote)
        return Reanchored(self.appearance, lost, self.previous_status, self.previous_quote)

    @property
    def status(self) -> AnchorStatus:
        found = self.anchoring.status
        if self.previous_status == AnchorStatus.NEEDS_CHECK and found == AnchorStatus.ANCHORED:
            return AnchorStatus.NEEDS_CHECK  # not checked yet: the flag stays until it is
        return found

    @property
    def counted_before(self) -> bool:
        return self.previous_status != AnchorStatus.ORPHANED

    @property
    def counted_after(self) -> bool:
        return self.status != AnchorStatus.ORPHANED

    def change_reason(self) -> str:
        """Why the row changed, for its history (the row before holds the old quote)."""
        if self.status == AnchorStatus.ORPHANED:
            return "Article text corrected: quote not found, orphaned"
        if not self.anchoring.verbatim:
            reason = (
                f"Article text corrected: quote updated (similarity "
                f"{self.anchoring.similarity:.0f}), to be checked; was “{self.previous_quote}”"
            )
            return Truncator(reason).chars(REASON_LENGTH)
        if self.anchoring.status == AnchorStatus.NEEDS_CHECK:
            return "Article text corrected: quote found among changed surroundings, to be checked"
        if self.previous_status == AnchorStatus.ORPHANED:
            return "Article text corrected: orphaned quote found again"
        return "Article text corrected: quote moved"

    def apply(self) -> None:
        """Set the appearance's fields to the new anchoring (the caller saves it)."""
        appearance, span = self.appearance, self.anchoring.span
        appearance.anchor_status = self.status
        if span is None:
            appearance.start = appearance.end = None  # prefix and suffix kept: where it was
            return
        appearance.quote = self.anchoring.quote
        appearance.start, appearance.end = span.start, span.end
        appearance.prefix, appearance.suffix = span.prefix, span.suffix


REANCHOR_FIELDS = ["quote", "start", "end", "prefix", "suffix", "anchor_status", "updated_at"]


def article_reanchoring(*, article: Article, new_text: str, appearances=None) -> list[Reanchored]:
    """What `new_text` does to each stored quote of `article`: only the ones it changes."""
    if article.pk is None:
        return []
    if appearances is None:
        appearances = article.appearances.order_by("pk")
    changes = []
    for appearance in appearances:
        anchoring = quote_reanchor(
            new_text,
            quote=appearance.quote,
            start=appearance.start,
            prefix=appearance.prefix,
            suffix=appearance.suffix,
        )
        change = Reanchored.of(appearance, anchoring)
        span = anchoring.span
        now = (
            (anchoring.quote, span.start, span.end, span.prefix, span.suffix)
            if span is not None
            else (appearance.quote, None, None, appearance.prefix, appearance.suffix)
        )
        before = (
            appearance.quote,
            appearance.start,
            appearance.end,
            appearance.prefix,
            appearance.suffix,
        )
        if now != before or change.status != appearance.anchor_status:
            changes.append(change)
    return changes
