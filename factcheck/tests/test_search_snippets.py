"""Full-text snippets, cut in Python: the words PostgreSQL matches are the ones marked."""

import html
import re

import pytest
from django.db import connection

from factcheck import search
from factcheck.tests.factories import ArticleFactory, ClaimFactory
from factcheck.tests.reader_data import quote_publicly

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)

ITALIAN = (
    "Gli ospedali della regione hanno chiesto nuovi fondi. L'ospedale di Bergamo, il più "
    "grande, ha assunto medici; gli ospedalieri protestano. Nel sud-est i piccoli presìdi "
    "chiudono, e i pazienti addestrati all'autocura restano soli. Più tardi, il ministero "
    "ha promesso che ogni ospedale avrà nuovi letti e personale formato."
)
ENGLISH = (
    "Hospitals in the region asked for new funds. The hospital in Leeds, the largest, "
    "hired doctors; hospitalised patients wait. In the south-east small clinics are "
    "closing and patients trained for self-care are left alone. Later the ministry "
    "promised that every hospital would get new beds and trained staff."
)


def marked(snippet) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", str(snippet))


def headline_marks(text: str, terms: str, config: str) -> list[str]:
    """The words ts_headline marks in the whole text, for the same query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ts_headline(%s::regconfig, %s, websearch_to_tsquery(%s::regconfig, %s),"
            " 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>')",
            [config, text, config, terms],
        )
        return marked(cursor.fetchone()[0])


def snippet_of_whole_text(text: str, terms: str, config: str):
    with connection.cursor() as cursor:
        cursor.execute("SELECT querytree(websearch_to_tsquery(%s::regconfig, %s))", [config, terms])
        lexemes = search.query_lexemes(cursor.fetchone()[0])
    return search.stemmed_snippet(text, lexemes, config=config, radius=len(text), fragments=1)


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    "text, config, terms",
    [
        (ITALIAN, "italian", "ospedale"),
        (ITALIAN, "italian", "ospedali nuovi fondi"),
        (ITALIAN, "italian", "addestrare personale"),
        (ITALIAN, "italian", "sud-est"),
        (ENGLISH, "english", "hospitals"),
        (ENGLISH, "english", "training patients"),
        (ENGLISH, "english", '"new beds" or clinic'),
        (ENGLISH, "simple", "Hospitals"),
    ],
)
def test_the_words_marked_are_those_postgresql_matches(text, config, terms):
    expected = headline_marks(text, terms, config)
    assert expected, "the query matches nothing: the case proves nothing"
    shown = [html.unescape(word) for word in marked(snippet_of_whole_text(text, terms, config))]
    # ts_headline marks a hyphenated word whole ("sud-est"); the snippet its parts.
    assert "-".join(shown) == "-".join(expected) or shown == expected


def test_query_lexemes_leave_out_negated_ones():
    tree = "'sud-est' <-> 'sud' <-> 'est' & !'nord' & 'l''acqua'"
    assert search.query_lexemes(tree) == {"sud-est", "sud", "est", "l'acqua"}
    assert search.query_lexemes(None) == frozenset()


def test_snippets_show_two_separate_matches_in_whole_words():
    filler = "parole senza niente " * 40
    text = (
        f"Inizio {filler}primo ospedale qui, {filler}secondo ospedale là, {filler}terzo ospedale."
    )
    snippet = search.stemmed_snippet(text, frozenset({"ospedal"}), config="italian", radius=30)
    passages = html.unescape(str(snippet)).removeprefix("… ").removesuffix(" …")
    first, second = passages.replace("<mark>", "").replace("</mark>", "").split(" … ")
    assert "primo ospedale" in first and "secondo ospedale" in second
    assert "terzo" not in passages
    for passage in (first, second):
        start = text.index(passage)
        assert text[start - 1].isspace() and text[start + len(passage)].isspace()
    assert marked(snippet) == ["ospedale", "ospedale"]


def test_snippets_escape_the_text_around_the_marks():
    text = 'Il <b>ospedale</b> & "<script>alert(1)</script>" chiude.'
    snippet = search.stemmed_snippet(text, frozenset({"ospedal"}), config="italian")
    assert "<mark>ospedale</mark>" in snippet
    assert "<b>" not in snippet and "<script" not in snippet
    assert "&lt;script&gt;alert(1)" in snippet


def test_a_text_without_the_words_shows_its_opening_unmarked():
    text = "Le parole cercate sono solo nel titolo. " * 10
    snippet = search.stemmed_snippet(text, frozenset({"ospedal"}), config="italian", radius=20)
    assert str(snippet).startswith("Le parole cercate")
    assert "<mark>" not in snippet


@on_postgresql
@pytest.mark.django_db
def test_search_results_mark_the_stemmed_words():
    article = ArticleFactory(language="it", title="Ospedali", text=ITALIAN)
    quote_publicly(article)
    ClaimFactory(statement="Hospitals asked for funds", verdict_summary=ENGLISH)
    results = search.search("ospedale")
    [hit] = results.articles
    assert marked(hit.snippet)[:2] == ["ospedali", "ospedale"]
    [claim_hit] = search.search("hospital").claims
    assert marked(claim_hit.snippet)[:2] == ["Hospitals", "hospital"]
