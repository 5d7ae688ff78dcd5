"""An article's text with its quoted spans marked, for the article page.

Quotes may overlap or nest (two claims can rest on one sentence, or on parts of it), but
HTML elements must nest properly. So a quote that crosses the end of another is closed
there and reopened as a continuation fragment: only its first fragment carries the
`appearance-<id>` anchor, and a numbered link to its claim follows its last fragment.
Every piece of article text is escaped.
"""

from collections.abc import Callable, Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from factcheck.models import Appearance

# The pieces are written with the standard library's escape (the same escaping as
# Django's escape() and format_html(), without their lazy-string wrappers): a much-quoted
# article's text is cut into hundreds of pieces.


def _open_tag(appearance: Appearance, *, first: bool) -> str:
    stance = escape(str(appearance.stance))
    if first:
        return f'<mark id="{escape(appearance.anchor_id)}" class="quote stance-{stance}">'
    return f'<mark class="quote stance-{stance} continued">'


def _claim_link(appearance: Appearance, number: int, claim_url: Callable) -> str:
    return (
        f'<sup class="quote-ref"><a href="{escape(claim_url(appearance.claim))}" '
        f'title="{escape(appearance.claim.statement)}">[{number}]</a></sup>'
    )


def _own_url(claim) -> str:
    return claim.get_absolute_url()


def text_with_quotes(
    text: str, appearances: Sequence[Appearance], *, claim_url: Callable = _own_url
) -> SafeString:
    """`appearances` in the order they are numbered on the page (by start, longest first).

    `claim_url` builds a claim's address (ReaderUrls.claim on a page that links many);
    by default the claim's own get_absolute_url().
    """
    numbers = {appearance.pk: index for index, appearance in enumerate(appearances, start=1)}
    spans = [
        appearance
        for appearance in appearances
        if appearance.start is not None
        and appearance.end is not None
        and 0 <= appearance.start < appearance.end <= len(text)
    ]
    boundaries = sorted({0, len(text)} | {a.start for a in spans} | {a.end for a in spans})
    starting: dict[int, list[Appearance]] = {}
    for appearance in spans:
        starting.setdefault(appearance.start, []).append(appearance)

    pieces: list[str] = []
    stack: list[Appearance] = []  # open marks, outermost first
    for index, position in enumerate(boundaries):
        ending = [appearance for appearance in stack if appearance.end == position]
        if ending:
            lowest = min(stack.index(appearance) for appearance in ending)
            closing = stack[lowest:]
            for appearance in reversed(closing):
                pieces.append("</mark>")
                if appearance.end == position:
                    pieces.append(_claim_link(appearance, numbers[appearance.pk], claim_url))
            stack = stack[:lowest]
            for appearance in closing:
                if appearance.end != position:
                    pieces.append(_open_tag(appearance, first=False))
                    stack.append(appearance)
        for appearance in sorted(starting.get(position, []), key=lambda a: (-a.end, a.pk)):
            pieces.append(_open_tag(appearance, first=True))
            stack.append(appearance)
        if index + 1 < len(boundaries):
            pieces.append(escape(text[position : boundaries[index + 1]]))
    return mark_safe("".join(pieces))  # every value and piece of text escaped above
