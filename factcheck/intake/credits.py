"""Credited sources: the reports a text says it retells ("scrive il Financial Times").

INTERFACE STUB on main, to be replaced; callers rely only on the names and shapes below.
"""

from dataclasses import dataclass

from factcheck.models import Outlet


@dataclass(frozen=True)
class Credit:
    name: str  # the source as written in the text: "FT", "il Wall Street Journal"
    outlet: Outlet | None  # what the name resolves to, None when no outlet is known
    phrase: str  # the whole attribution phrase, text[start:end]
    start: int  # offsets into the text, in code points
    end: int


def credits_find(text: str, *, language: str = "") -> list[Credit]:
    """Attribution phrases in `text`, in the order they appear."""
    return []
