"""Article texts: filler news prose with claim sentences placed among it, offsets recorded.

The offsets are counted while the text is assembled, so every quote is by construction the
span text[start:end] of its article; the writer adds the prefix and suffix from the text.
"""

import random
from dataclasses import dataclass, replace

from factcheck.bench.synthetic import vocabulary as words

TEXT_LENGTH = (2000, 6000)
ATTRIBUTED_SHARE = 0.3
PARAGRAPH_SENTENCES = (3, 6)


@dataclass(frozen=True)
class Quoted:
    """A claim as one article words it; `start` counts from the sentence, then the text."""

    claim_index: int
    stance: str
    quote: str
    start: int
    attribution: str
    translation: str


def claim_sentence(
    rng: random.Random, *, claim_index: int, stance: str, clauses: tuple[str, str], language: str
) -> tuple[str, Quoted]:
    """The sentence an article states a claim in, framed by its stance, maybe attributed."""
    english_frame, italian_frame = rng.choice(words.FRAMES[stance])
    english_clause, italian_clause = clauses
    english = english_frame.format(clause=english_clause)
    quote = english if language == "en" else italian_frame.format(clause=italian_clause)
    attribution, lead = "", ""
    if rng.random() < ATTRIBUTED_SHARE:
        source = rng.choice(words.SOURCES)
        attribution = f"according to {source[0]}"
        lead = words.LEADS[language].format(source=source[0 if language == "en" else 1])
    else:
        quote, english = words.capitalized(quote), words.capitalized(english)
    translation = "" if language == "en" else english
    quoted = Quoted(claim_index, stance, quote, len(lead), attribution, translation)
    return f"{lead}{quote}.", quoted


def article_text(
    rng: random.Random, *, fillers: list[str], claim_sentences: list[tuple[str, Quoted]]
) -> tuple[str, list[Quoted]]:
    """Filler sentences up to a 2-6 kB text, claim sentences at random places, paragraphs."""
    target = rng.randint(*TEXT_LENGTH) - sum(len(sentence) for sentence, _ in claim_sentences)
    sentences: list[tuple[str, Quoted | None]] = []
    length = 0
    while length < target:
        sentence = rng.choice(fillers)
        sentences.append((sentence, None))
        length += len(sentence) + 1
    for sentence, quoted in claim_sentences:
        sentences.insert(rng.randint(0, len(sentences)), (sentence, quoted))
    pieces, placed, position = [], [], 0
    next_break = rng.randint(*PARAGRAPH_SENTENCES)
    for number, (sentence, quoted) in enumerate(sentences):
        if number:
            separator = " "
            if number == next_break:
                separator = "\n\n"
                next_break += rng.randint(*PARAGRAPH_SENTENCES)
            pieces.append(separator)
            position += len(separator)
        if quoted is not None:
            placed.append(replace(quoted, start=position + quoted.start))
        pieces.append(sentence)
        position += len(sentence)
    return "".join(pieces), placed
