"""Reader search: full text on PostgreSQL, word matching on SQLite."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import search
from factcheck.models import Article, Claim, ReviewStatus
from factcheck.tests.factories import ArticleFactory, ClaimFactory
from factcheck.tests.reader_data import quote_publicly

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the fallback is SQLite's")

ITALIAN = "Le aziende cinesi stanno addestrando i loro modelli linguistici nel sud-est asiatico."
ENGLISH = "Chinese companies are training their language models in South-East Asia."


@pytest.fixture
def texts():
    articles = {
        "it": ArticleFactory(title="Modelli all'estero", language="it", text=ITALIAN),
        "en": ArticleFactory(title="Models abroad", language="en", text=ENGLISH),
        "de": ArticleFactory(title="Modelle", language="de", text="Sprachmodelle in Asien."),
    }
    quote_publicly(*articles.values())
    return articles


def found_articles(terms):
    return [hit.article.pk for hit in search.search(terms).articles]


def found_claims(terms):
    return [hit.claim.pk for hit in search.search(terms).claims]


@on_postgresql
def test_italian_texts_are_stemmed_as_italian(texts):
    # "addestrare" never occurs; the Italian stemmer reduces it and "addestrando" alike.
    assert found_articles("addestrare") == [texts["it"].pk]


@on_postgresql
def test_english_texts_are_stemmed_as_english(texts):
    assert found_articles("trained") == [texts["en"].pk]


@on_postgresql
def test_other_languages_use_the_simple_configuration(texts):
    assert found_articles("sprachmodelle") == [texts["de"].pk]
    assert found_articles("sprachmodell") == []


@on_postgresql
def test_results_are_ranked(texts):
    dense = ArticleFactory(
        language="it", title="Modelli, modelli", text="Modelli e ancora modelli: i modelli."
    )
    quote_publicly(dense)
    assert found_articles("modelli")[0] == dense.pk


@on_postgresql
def test_search_is_answered_from_the_gin_indexes(texts):
    """The queries must use the indexes' very expressions, or the planner ignores them."""
    # Enough published rows that the status index alone is no longer the cheaper path.
    Claim.objects.bulk_create(
        Claim(
            statement=f"Filler {n}",
            slug=f"filler-{n}",
            status=ReviewStatus.PUBLISHED,
            verdict="true",
        )
        for n in range(500)
    )
    Article.objects.bulk_create(
        Article(language=language, text=f"Filler text {n}.")
        for n in range(300)
        for language in ("it", "en", "de")
    )
    with connection.cursor() as cursor:
        # Only the search index may answer: the tables' other indexes (status, language,
        # list orderings, and those migrations create without the models declaring them)
        # would also avoid a sequential scan. Dropped inside the test's transaction, so
        # rolled back after.
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename IN ('factcheck_claim', "
            "'factcheck_article') AND indexname NOT LIKE '%_document_gin' "
            "AND indexdef NOT LIKE 'CREATE UNIQUE %'"
        )
        others = [name for (name,) in cursor.fetchall()]
        cursor.execute(f"DROP INDEX {', '.join(others)}")
        cursor.execute("ANALYZE factcheck_claim")
        cursor.execute("ANALYZE factcheck_article")
    with CaptureQueriesContext(connection) as ran:
        search.search("modelli models")
    article_sql, claim_sql = _plan(ran, "factcheck_article"), _plan(ran, "factcheck_claim")
    assert "article_document_gin" in article_sql
    assert "claim_document_gin" in claim_sql


def _plan(ran, table):
    """The plan of the first captured query on `table` (the one that finds the candidates),
    with sequential scans discouraged."""
    sql = next(query["sql"] for query in ran.captured_queries if f'FROM "{table}"' in query["sql"])
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_sqlite
def test_fallback_matches_every_word_case_insensitively(texts):
    assert found_articles("ADDESTRANDO modelli") == [texts["it"].pk]
    assert found_articles("addestrando treno") == []


def test_claims_are_searched_only_when_published(texts):
    shown = ClaimFactory(statement="Chinese models are trained abroad")
    ClaimFactory(statement="Chinese models are trained at home", status=ReviewStatus.DRAFT)
    ClaimFactory(statement="Chinese models trained in orbit", status=ReviewStatus.IN_REVIEW)
    ClaimFactory(statement="Chinese models trained underwater", status=ReviewStatus.RETRACTED)
    assert found_claims("chinese models") == [shown.pk]


def test_snippets_escape_the_text_but_keep_the_highlight():
    payload = ArticleFactory(
        language="en",
        title="<b>bold</b>",
        text='Payload <script>alert(1)</script> and "><img src=x onerror=alert(1)> chips here.',
    )
    quote_publicly(payload)
    [hit] = search.search("chips").articles
    assert "<mark>chips</mark>" in hit.snippet
    # PostgreSQL's parser drops what looks like a tag; the fallback escapes it. Either way
    # the text survives and no markup does.
    assert "alert(1)" in hit.snippet
    assert "<script" not in hit.snippet
    assert "<img" not in hit.snippet


def test_search_page_lists_both_kinds(client, texts):
    claim = ClaimFactory(statement="Models are trained abroad", verdict_summary="Models moved.")
    response = client.get(reverse("factcheck:search"), {"q": "models"})
    assert response.status_code == 200
    body = response.content.decode()
    assert claim.get_absolute_url() in body
    assert texts["en"].get_absolute_url() in body


def test_empty_search_lists_nothing(client, texts):
    ClaimFactory(statement="Models are trained abroad")
    response = client.get(reverse("factcheck:search"), {"q": "   "})
    assert response.status_code == 200
    assert not response.context["results"]
    assert Article.objects.count() == 3 and Claim.objects.published().count() == 2


@on_postgresql
def test_common_words_rank_a_bounded_number_of_articles(client, monkeypatch):
    quote_publicly(
        *[
            ArticleFactory(language="en", title=f"Hospitals {n}", text=f"Hospitals report {n}.")
            for n in range(4)
        ]
    )
    monkeypatch.setattr(search, "ARTICLE_CANDIDATES", 3)
    results = search.search("hospitals")
    assert len(results.articles) == 3
    assert results.articles_capped
    response = client.get(reverse("factcheck:search"), {"q": "hospitals"})
    assert "among the first 3 found" in response.content.decode()
    assert not search.search("hospitals report 2").articles_capped


@on_postgresql
def test_ranking_reads_the_stored_documents_and_parses_no_text(texts):
    ClaimFactory(statement="Models are trained abroad", verdict_summary="Models moved.")
    with CaptureQueriesContext(connection) as ran:
        results = search.search("models")
    assert results.claims and results.articles
    queries = [query["sql"] for query in ran.captured_queries]
    assert all("search_document" in sql for sql in queries)
    assert not [sql for sql in queries if "to_tsvector" in sql]


@on_postgresql
def test_common_words_rank_a_bounded_number_of_claims(client, monkeypatch):
    for n in range(4):
        ClaimFactory(statement=f"Hospitals report shortage {n}")
    monkeypatch.setattr(search, "CLAIM_CANDIDATES", 3)
    results = search.search("hospitals")
    assert len(results.claims) == 3
    assert results.claims_capped
    response = client.get(reverse("factcheck:search"), {"q": "hospitals"})
    assert "best matches among the first 3 claims found" in response.content.decode()
    assert not search.search("hospitals shortage 2").claims_capped


# --- Snippets never cut a word ----------------------------------------------------------

HYPHENATED = (
    "Nel sud-est asiatico le aziende cinesi hanno affittato server: il co-fondatore "
    "dell'azienda ha spiegato che l'addestramento richiede chip che in Cina non arrivano. "
)


def snippet_fragments(snippet) -> list[str]:
    """The snippet's text passages, without marks, ellipses and fragment delimiters."""
    plain = html.unescape(str(snippet).replace("<mark>", "").replace("</mark>", ""))
    plain = plain.removeprefix("… ").removesuffix(" …")
    return [fragment for fragment in plain.split(search.FRAGMENT_DELIMITER) if fragment]


def assert_whole_words(snippet, text):
    fragments = snippet_fragments(snippet)
    assert fragments, "no snippet"
    for fragment in fragments:
        start = text.find(fragment)
        assert start >= 0, f"{fragment!r} is not a passage of the text"
        end = start + len(fragment)
        assert start == 0 or text[start - 1].isspace(), f"{fragment!r} starts inside a word"
        assert end == len(text) or text[end].isspace(), f"{fragment!r} ends inside a word"


@pytest.mark.parametrize("term", ["asiatico", "fondatore", "addestramento", "arrivano", "est"])
def test_plain_snippets_start_and_end_on_word_boundaries(term):
    text = HYPHENATED * 3
    for radius in range(5, 120, 7):
        snippet = search.plain_snippet(text, term, radius=radius)
        assert_whole_words(snippet, text)
        assert "<mark>" in snippet


def test_plain_snippets_keep_a_word_longer_than_the_radius():
    text = "Before " + "x" * 50 + "needle" + "y" * 50 + " after."
    snippet = search.plain_snippet(text, "needle", radius=10)
    assert_whole_words(snippet, text)


@on_postgresql
@pytest.mark.parametrize("term", ["asiatico", "fondatore", "est", "addestramento"])
def test_full_text_snippets_start_and_end_on_word_boundaries(term):
    text = (HYPHENATED + "Altre frasi riempiono il testo senza parole cercate. ") * 4
    article = ArticleFactory(language="it", title="Server all'estero", text=text)
    quote_publicly(article)
    ClaimFactory(statement="Servers abroad", verdict_summary=text)
    results = search.search(term)
    [hit] = [hit for hit in results.articles if hit.article.pk == article.pk]
    assert "<mark>" in hit.snippet
    assert_whole_words(hit.snippet, text)
    claim_snippets = [hit.snippet for hit in results.claims]
    for snippet in claim_snippets:
        assert_whole_words(snippet, text)
