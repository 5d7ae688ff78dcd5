import pytest

from factcheck import quotes

TEXT = "Il titolo NVDA è salito dello 0,53%. L’azienda di Derek Aw ha caricato 300 server. Il titolo NVDA è salito ancora."


def test_anchor_finds_the_quote_and_its_context():
    span = quotes.anchor(TEXT, "Derek Aw")
    assert TEXT[span.start : span.end] == "Derek Aw"
    assert TEXT.endswith(span.suffix + TEXT[span.end + len(span.suffix) :])
    assert span.prefix == TEXT[max(0, span.start - quotes.CONTEXT_LENGTH) : span.start]


def test_offsets_count_code_points_not_bytes():
    span = quotes.anchor(TEXT, "è salito dello")
    assert span.start == TEXT.index("è salito dello")
    assert len("è".encode()) == 2  # the byte offset would differ


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
