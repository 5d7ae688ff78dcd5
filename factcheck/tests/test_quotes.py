import random
import time

import pytest

from factcheck import quotes

TEXT = "Il titolo NVDA è salito dello 0,53%. L’azienda di Derek Aw ha caricato 300 server. Il titolo NVDA è salito ancora."


def test_anchor_finds_the_quote_and_its_context():
    span = quotes.anchor(TEXT, "Derek Aw")
    assert TEXT[span.start : span.end] == "Derek Aw"
    assert TEXT.endswith(span.suffix + TEXT[span.end + len(span.suffix) :])
    assert span.prefix == TEXT[max(0, span.start - quotes.CONTEXT_LENGTH) : span.start]


def test_offsets_count_code_points_not_bytes():
    # "è" and a typographic apostrophe stand before the quote: counted in bytes its offsets would be 3 larger.
    span = quotes.anchor(TEXT, "Derek Aw")
    code_points = TEXT.index("Derek Aw")
    assert len(TEXT[:code_points].encode()) == code_points + 3
    assert (span.start, span.end) == (code_points, code_points + len("Derek Aw"))
    assert TEXT[span.start : span.end] == "Derek Aw"
    # The context is cut by code points too: a byte cut would split the apostrophe.
    assert span.prefix == TEXT[code_points - quotes.CONTEXT_LENGTH : code_points]
    assert span.prefix.endswith("L’azienda di ")


def test_repeated_quote_uses_the_given_offset_then_the_context():
    second = TEXT.rindex("Il titolo NVDA")
    assert quotes.anchor(TEXT, "Il titolo NVDA", start=second).start == second
    # Stale offset: the remembered suffix picks the right occurrence.
    span = quotes.anchor(TEXT, "Il titolo NVDA", start=3, suffix=" è salito ancora.")
    assert span.start == second


def test_repeated_new_quote_asks_which_occurrence():
    """A new quote that occurs twice was silently anchored at the first occurrence."""
    second = TEXT.rindex("Il titolo NVDA")
    with pytest.raises(quotes.AmbiguousQuote) as error:
        quotes.anchor(TEXT, "Il titolo NVDA")
    assert error.value.positions == [0, second]
    message = str(error.value)
    assert "occurs 2 times" in message
    assert f"at {second} (" in message
    assert "Enter the offset" in message


def test_missing_quote_names_the_closest_passage():
    with pytest.raises(quotes.QuoteNotFound) as error:
        quotes.anchor(TEXT, "L'azienda di Derek Aw")
    message = str(error.value)
    assert "not a verbatim span" in message
    assert "Closest passage: “L’azienda di Derek Aw”" in message
    assert "apostrophes" in message


def test_quote_with_nothing_in_common_still_gets_a_clear_message():
    with pytest.raises(quotes.QuoteNotFound, match="not a verbatim span"):
        quotes.anchor(TEXT, "§§§")


# --- The closest passage on large texts ------------------------------------------------

# About 2.4 MB of article text (the largest the corpus may hold) drawn from a vocabulary
# of varied words, so a quote's pieces occur here and there, as in real prose.
_words = random.Random(7)
LARGE_TEXT = " ".join(
    f"{_words.choice(('parola', 'il', 'la', 'di', 'che'))}{_words.randrange(5000)}"
    for _ in range(300_000)
)[:2_400_000]
# Quotes shaped like nothing in the text: before the bound, SequenceMatcher took about
# 3 s for 50 characters on such a text and more than 30 s for 1,000.
UNLIKE = "Zebre viola qwxz danzano 0,53% sul ponte di Brooklyn, ogni martedì! "


@pytest.mark.parametrize("length", [50, 1_000, 100_000])
def test_closest_passage_is_bounded_on_a_large_text(length):
    quote = (UNLIKE * (length // len(UNLIKE) + 1))[:length]
    started = time.process_time()
    message = quotes.not_found_message(LARGE_TEXT, quote)
    spent = time.process_time() - started
    assert "not a verbatim span" in message
    # Generous against a shared machine's noise, tiny against the seconds it cost before.
    assert spent < 1.5, f"{spent:.2f} s of CPU for a {length}-character quote"


def test_closest_passage_is_found_deep_in_a_large_text():
    start = 1_700_003
    original = LARGE_TEXT[start : start + 300]
    quote = original[:100] + "XY" + original[102:200] + original[205:]  # typos, a cut
    assert quote not in LARGE_TEXT
    passage = quotes.closest_passage(LARGE_TEXT, quote)
    assert passage == LARGE_TEXT[start : start + len(quote)]


def test_closest_passage_tolerates_a_typo_in_every_word():
    text = "Prima riga qualsiasi. " * 50 + "Huawei collabora con DeepSeek da mesi." + " Fine." * 50
    passage = quotes.closest_passage(text, "Huawey colabora con Deepseek da mesi.")
    assert passage.startswith("Huawei collabora con DeepSeek")


class CountedText(str):
    """An article text that records each search made in it."""

    def __new__(cls, value):
        text = super().__new__(cls, value)
        text.searches = []
        return text

    def find(self, piece, *args):
        self.searches.append(piece)
        return super().find(piece, *args)


@pytest.mark.parametrize(
    "quote",
    [UNLIKE[:50], UNLIKE * 20, "la " * 400, LARGE_TEXT[9_000:10_000][::-1]],
    ids=["short", "long", "common-words", "reversed"],
)
def test_closest_passage_scans_the_text_a_bounded_number_of_times(quote):
    """Each piece is one pass through the text, resumed after each hit, so the work is
    bounded by the count of pieces and hits, not by the lengths multiplied."""
    text = CountedText(LARGE_TEXT)
    quotes.closest_passage(text, quote)
    pieces = set(text.searches)
    assert 0 < len(pieces) <= 2 * quotes.PROBE_PIECES
    assert all(text.searches.count(piece) <= quotes.PIECE_HITS + 1 for piece in pieces), (
        "a piece was looked for past its cap"
    )
