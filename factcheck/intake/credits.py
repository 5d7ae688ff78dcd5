"""Credited sources: the reports a text says it retells ("scrive il Financial Times").

Attribution phrases are matched in Italian and English whatever the text's language, as
newsrooms quote each other across languages. A named source is resolved to an outlet
through its aliases (intake.outlets); anonymous sourcing ("people familiar with the
matter", "fonti informate") is reported with no outlet. Phrases whose name comes before
the verb ("the FT reported", "told Reuters") read the same for any speaker ("Trump
said"), so they count only when the name is a known outlet.
"""

import re
from dataclasses import dataclass

from factcheck.intake.outlets import outlet_find
from factcheck.models import Outlet


@dataclass(frozen=True)
class Credit:
    name: str  # the source as written in the text: "FT", "il Wall Street Journal"
    outlet: Outlet | None  # what the name resolves to, None when no outlet is known
    phrase: str  # the whole attribution phrase, text[start:end]
    start: int  # offsets into the text, in code points
    end: int


# A capitalised word; a dot belongs to it only inside ("Amazon.com"), never at its end.
_WORD = r"[A-ZÀ-Ý](?:[\w&'’-]|\.(?=\w))*"
_CONNECTOR = r"(?:of|de|del|della|di|the|and|&)"
NAME = rf"(?P<name>{_WORD}(?:\s+(?:{_CONNECTOR}\s+)?{_WORD}){{0,5}})"
# Italian articles before a name ("il Financial Times", "l'FT"), and English "the".
_ARTICLE = r"(?:(?i:il|lo|la|i|gli|le|the)\s+|(?i:l)['’])?"
_TO_THE = r"(?i:al|allo|alla|ai|agli|alle|a|all['’])\s*"

_ATTRIBUTIONS = [
    # Italian: verb of reporting, then the source.
    rf"(?i:a\s+(?:scriverlo|riportarlo|rivelarlo|raccontarlo)\s+(?:è|sono))\s+{_ARTICLE}{NAME}",
    rf"(?i:come\s+(?:riportato|scritto|rivelato|riferito)\s+da(?:l|lla|llo|gli|lle|i|ll['’])?)\s*{_ARTICLE}{NAME}",
    rf"(?i:(?:come\s+)?(?:lo\s+)?(?:scrive|scrivono|racconta|raccontano|riporta|riportano|rivela|rivelano|riferisce|riferiscono|ha\s+scritto|ha\s+riportato|ha\s+rivelato|hanno\s+scritto|hanno\s+riportato))\s+{_ARTICLE}{NAME}",
    rf"(?i:secondo)\s+{_ARTICLE}{NAME}",
    rf"(?i:stando)\s+{_TO_THE}{NAME}",
    rf"(?i:citando|cita)\s+{_ARTICLE}{NAME}",
    # English.
    rf"(?i:according\s+to)\s+{_ARTICLE}{NAME}",
    rf"(?i:(?:as\s+)?(?:first\s+)?reported\s+by)\s+{_ARTICLE}{NAME}",
    rf"(?i:citing)\s+{_ARTICLE}{NAME}",
]
# These read the same for any speaker, so only a known outlet makes them an attribution;
# the first names the source before its verb.
_OUTLET_ONLY = [
    rf"(?:(?i:the)\s+)?{NAME}\s+(?i:reported|reports|wrote|writes|revealed|has\s+reported|first\s+reported)\b",
    rf"(?i:told)\s+{_ARTICLE}{NAME}",
    rf"(?i:(?:in\s+)?an\s+interview\s+with)\s+{_ARTICLE}{NAME}",
]
_ANONYMOUS = (
    r"(?i:(?:citing\s+|according\s+to\s+)?(?:people|persons|sources|a\s+person|a\s+source)"
    r"\s+(?:familiar\s+with|close\s+to|with\s+(?:direct\s+)?knowledge\s+of)\s+the\s+"
    r"(?:matter|situation|plans?|talks|discussions|deal|negotiations|company)"
    r"|(?:secondo\s+|stando\s+a\s+|citando\s+)?(?:fonti|persone|i\s+ben)\s+"
    r"(?:informat[ei]|vicin[ei]\s+al(?:la)?\s+(?:dossier|vicenda|trattativa|società|azienda)"
    r"|a\s+conoscenza\s+del(?:la)?\s+(?:dossier|vicenda|questione))"
    r"|(?:secondo\s+)?i\s+ben\s+informati"
    r"|(?:according\s+to\s+|citing\s+)?anonymous\s+sources)"
)

# (pattern, whether its name comes before the verb, whether it needs a known outlet)
_NAMED = [
    *((re.compile(pattern), False, False) for pattern in _ATTRIBUTIONS),
    (re.compile(_OUTLET_ONLY[0]), True, True),
    *((re.compile(pattern), False, True) for pattern in _OUTLET_ONLY[1:]),
]
_ANONYMOUS_RE = re.compile(_ANONYMOUS)
_WORD_RE = re.compile(_WORD)
_ARTICLE_BEFORE = re.compile(r"(?i:the)\s+\Z")
_LEADING_ARTICLE = re.compile(r"^(?i:il|lo|la|i|gli|le|the)\s+|^(?i:l)['’]")


def _name_parts(text: str, start: int, end: int, name_first: bool):
    """Spans of the name and its shorter parts, longest first: for a name before its
    verb the parts end where it ends, otherwise they start where it starts."""
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(text, start, end)]
    if name_first:
        return [(word_start, end) for word_start, _ in words]
    return [(start, word_end) for _, word_end in reversed(words)]


def credits_find(text: str, *, language: str = "") -> list[Credit]:
    """Attribution phrases in `text`, in the order they appear.

    Overlapping matches keep the longest phrase ("come riporta il WSJ" over "riporta il
    WSJ"). `language` is accepted for callers; both languages' phrases are always tried.
    """
    found: list[tuple[int, int, str, Outlet | None]] = []
    resolved: dict[str, Outlet | None] = {}

    def outlet_for(name: str) -> Outlet | None:
        if name not in resolved:
            resolved[name] = outlet_find(name=name)
        return resolved[name]

    for pattern, name_first, needs_outlet in _NAMED:
        for match in pattern.finditer(text):
            start, end = match.start(), match.end()
            name_start, name_end = match.span("name")
            # A name may have run into a capitalised word next to it ("Ieri il Financial
            # Times", "FT Alibaba"): the longest part that is a known outlet is the source.
            for sub_start, sub_end in _name_parts(text, name_start, name_end, name_first):
                outlet = outlet_for(text[sub_start:sub_end])
                if outlet is not None:
                    break
            else:
                sub_start, sub_end, outlet = name_start, name_end, None
            if needs_outlet and outlet is None:
                continue
            if name_first:
                article = _ARTICLE_BEFORE.search(text, max(0, sub_start - 8), sub_start)
                start = article.start() if article else sub_start
            elif outlet is not None:
                end = sub_end
            found.append((start, end, text[sub_start:sub_end], outlet))
    for match in _ANONYMOUS_RE.finditer(text):
        name = re.sub(
            r"^(?i:citing|according\s+to|secondo|stando\s+a|citando)\s+", "", match.group()
        )
        found.append((match.start(), match.end(), _LEADING_ARTICLE.sub("", name), None))

    credits, taken_until = [], -1
    # Earliest first, the longest of those starting together; anything overlapping a
    # phrase already taken is the same attribution read by a shorter pattern.
    for start, end, name, outlet in sorted(found, key=lambda item: (item[0], -item[1])):
        if start < taken_until:
            continue
        credits.append(
            Credit(name=name, outlet=outlet, phrase=text[start:end], start=start, end=end)
        )
        taken_until = end
    return credits
