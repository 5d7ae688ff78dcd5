"""What editors are told when a quote cannot be anchored, pinned word for word.

The messages are the only help an editor gets when a pasted quote is refused, so their
wording, the passage they point at and the places they list are behaviour, not decoration.
"""

import pytest

from factcheck import quotes, services
from factcheck.models import Article
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

LONG_SENTENCE = (
    "DeepSeek addestra i suoi modelli in Cina grazie alle scorte di chip Nvidia accumulate "
    "prima delle restrizioni americane, mentre Alibaba e ByteDance stanno addestrando i loro "
    "modelli nei centri dati del sud-est asiatico per aggirare i divieti di esportazione."
)


def test_not_found_message_in_full_with_the_apostrophe_hint():
    text = "L’azienda di Derek Aw ha caricato 300 server."
    assert quotes.not_found_message(text, "L'azienda di Derek Aw") == (
        "The quote is not a verbatim span of the article text. "
        "Closest passage: “L’azienda di Derek Aw”. "
        "Check the apostrophes: the article uses a different kind."
    )


def test_apostrophe_hint_the_other_way_round():
    # Typographic apostrophe in the pasted quote, a straight one in the article.
    text = "L'azienda di Derek Aw ha caricato 300 server."
    assert quotes.not_found_message(text, "L’azienda di Derek Aw") == (
        "The quote is not a verbatim span of the article text. "
        "Closest passage: “L'azienda di Derek Aw”. "
        "Check the apostrophes: the article uses a different kind."
    )


def test_no_apostrophe_hint_when_the_passage_differs_otherwise():
    text = "L’azienda di Derek Aw ha caricato 300 server."
    message = quotes.not_found_message(text, "L'azienda di Derek Ax")
    assert message == (
        "The quote is not a verbatim span of the article text. "
        "Closest passage: “L’azienda di Derek Aw”."
    )


def test_closest_passage_of_an_empty_text_or_nothing_shared_is_empty():
    # An upstream report known only by name has no text at all.
    assert quotes.closest_passage("", "Huawei") == ""
    assert quotes.closest_passage("abc", "§§§") == ""
    assert quotes.not_found_message("", "Huawei") == (
        "The quote is not a verbatim span of the article text."
    )


def test_long_quote_is_lined_up_on_its_longest_run_not_on_rare_characters():
    # Over 200 characters, difflib's automatic junk heuristic would ignore every common
    # letter and line the passage up on the year, at the wrong place.
    text = "Roma, 2024. " + LONG_SENTENCE
    quote = LONG_SENTENCE + " (2024)"
    assert len(quote) > 200
    passage = quotes.closest_passage(text, quote)
    assert passage.startswith("DeepSeek addestra")
    assert passage == text[text.index("DeepSeek") :]


def test_ambiguous_quote_lists_five_places_with_context_and_counts_the_rest():
    text = "abcde" + "NVDA sale. " * 7
    with pytest.raises(quotes.AmbiguousQuote) as error:
        quotes.anchor(text, "NVDA")
    positions = [5 + 11 * i for i in range(7)]
    assert error.value.positions == positions
    places = "; ".join(
        f"at {p} (…{text[max(0, p - 30) : p]}[quote]{text[p + 4 : p + 34]}…)" for p in positions[:5]
    )
    assert str(error.value) == (
        f"The quote occurs 7 times in the article: {places} and 2 more. "
        "Enter the offset of the occurrence you mean as its start."
    )
    # The first place shows all five characters before it.
    assert "at 5 (…abcde[quote] sale. NVDA" in str(error.value)


def test_ambiguous_quote_with_few_places_says_no_more():
    with pytest.raises(quotes.AmbiguousQuote) as error:
        quotes.anchor("x NVDA y NVDA", "NVDA")
    assert str(error.value) == (
        "The quote occurs 2 times in the article: at 2 (…x [quote] y NVDA…); "
        "at 9 (…x NVDA y [quote]…). Enter the offset of the occurrence you mean as its start."
    )


def test_text_change_losing_quotes_records_each_reason_in_full():
    claim = ClaimFactory(statement="Huawei works with DeepSeek")
    article = ArticleFactory(
        text="Huawei colabora con DeepSeek sui nuovi semiconduttori. DeepSeek addestra in Cina."
    )
    first = AppearanceFactory(claim=claim, article=article, quote="Huawei colabora")
    second = AppearanceFactory(claim=claim, article=article, quote="nuovi semiconduttori")
    moved = AppearanceFactory(claim=claim, article=article, quote="DeepSeek addestra")
    article = Article.objects.get(pk=article.pk)
    article.text = "Aggiornato: Huawei collabora con DeepSeek. DeepSeek addestra in Cina."
    services.article_save(article=article)
    reasons = {
        appearance.pk: appearance.history.first().history_change_reason
        for appearance in (first, second, moved)
    }
    assert reasons == {
        first.pk: "Article text corrected: quote updated (similarity 97), to be checked; "
        "was “Huawei colabora”",
        second.pk: "Article text corrected: quote not found, orphaned",
        moved.pk: "Article text corrected: quote moved",
    }
