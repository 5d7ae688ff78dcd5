"""Terms of a text for matching: words stemmed in their language, names and figures kept whole.

A name ("Nvidia", "Malesia") or a figure ("H20", "2025") is kept as written, lowercased,
because the stemmers of two languages would cut it differently and it is what passages in
different languages most often share. Function words carry nothing and are dropped.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

STEMMERS = {"en": "english", "it": "italian"}


def _words(listing: str) -> frozenset[str]:
    return frozenset(listing.split())


# General function words of each language (articles, prepositions, pronouns, auxiliaries).
STOPWORDS = {
    "en": _words(
        """
    a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down
    during each few for from further had has have having he her here hers him his
    how i if in into is it its itself just me more most my no nor not now of off on
    once only or other our out over own said same says she should so some such than
    that the their them then there these they this those through to too under until
    up very was we were what when where which while who whom why will with would you
    your
        """
    ),
    "it": _words(
        """
    a ad agli ai al alla alle allo anche ancora avere aveva avevano c che chi ci
    come con contro cui d da dagli dai dal dalla dalle dallo degli dei del della
    delle dello di dopo e ed essere gli ha hanno i il in io l la le lei li lo loro
    lui ma mentre mi molto ne negli nei nel nella nelle nello no noi non o oltre per
    perché più poi proprio può qual quale quali quando quanto quella quelle quelli
    quello questa queste questi questo sarebbe se si sia siamo sono stata stato su
    sua sue sugli sui sul sulla sulle suo suoi tra tutti tutto un una uno va vi
        """
    ),
}

_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = set(".!?:;\n")


@lru_cache(maxsize=16)
def _stemmer(language: str):
    return snowballstemmer.stemmer(STEMMERS[language])


@lru_cache(maxsize=200_000)
def _stem(word: str, language: str) -> str:
    return _stemmer(language).stemWord(word)


def _fold(word: str) -> str:
    """Lowercase without accents, so "perché" and "perche" or "è" and "e" meet."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_OPENING_MARKS = frozenset(" \t\"'“”«»‘’()")


def _opens_sentence(text: str, position: int) -> bool:
    index = position - 1
    while index >= 0 and text[index] in _OPENING_MARKS:
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


@lru_cache(maxsize=500_000)
def _term(word: str, language: str, is_name: bool) -> str | None:
    """The term of one word, or None for a word that carries nothing."""
    lowered = word.lower()
    stopwords = STOPWORDS.get(language, STOPWORDS["en"])
    if lowered in stopwords:
        return None
    folded = _fold(word)
    if len(folded) < 2 and not folded.isdigit():
        return None
    if is_name or language not in STEMMERS or any(c.isdigit() for c in folded):
        return folded[:100]
    return _fold(_stem(lowered, language))[:100]


def text_terms(text: str, language: str) -> list[str]:
    """The terms of `text`, in order, repeats kept."""
    base = (language or "").split("-")[0].lower()
    terms = []
    for match in _WORD.finditer(text):
        word = match.group()
        is_name = word[0].isupper() and not _opens_sentence(text, match.start())
        term = _term(word, base, is_name)
        if term is not None:
            terms.append(term)
    return terms
