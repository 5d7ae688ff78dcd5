"""Articles without a headline are named by their opening words, kept on the row.

Lists name many articles at once: the label is read with the row, never by loading each
article's full text.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import services
from factcheck.models import Article, DatePrecision
from factcheck.models.sources import opening_words
from factcheck.tests.factories import (
    ARTICLE_TEXT,
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
)

# --- The opening words -----------------------------------------------------------------


def test_opening_words_end_on_a_word_with_an_ellipsis():
    text = "Le grandi aziende cinesi hanno trovato il modo di aggirare i blocchi del governo"
    assert opening_words(text) == "Le grandi aziende cinesi hanno trovato il modo di…"


def test_a_short_text_is_its_own_opening_without_ellipsis():
    assert opening_words("  Huawei collabora\ncon DeepSeek  ") == "Huawei collabora con DeepSeek"
    assert opening_words("") == ""


def test_opening_words_skip_a_leading_bullet_or_quote_mark():
    assert opening_words("• Alibaba e ByteDance") == "Alibaba e ByteDance"
    assert opening_words("“Noi non delocalizziamo”, dice") == "Noi non delocalizziamo”, dice"


def test_opening_words_stop_before_a_word_that_would_make_the_label_too_long():
    text = "Leggi https://example.org/" + "a" * 200 + " e altro"
    assert opening_words(text) == "Leggi…"


def test_a_first_word_longer_than_a_label_is_cut_with_an_ellipsis():
    label = opening_words("x" * 300)
    assert label == "x" * 79 + "…"


def test_opening_words_drop_the_punctuation_before_the_ellipsis():
    text = "Uno, due, tre, quattro, cinque, sei, sette, otto, nove, dieci, undici"
    assert opening_words(text) == "Uno, due, tre, quattro, cinque, sei, sette, otto, nove…"


# --- Kept by the write path ------------------------------------------------------------


def test_saving_an_article_keeps_its_opening_and_a_corrected_text_renews_it(db):
    article = ArticleFactory(title="", text="Prima versione del testo, poi corretta.")
    assert Article.objects.get(pk=article.pk).opening == "Prima versione del testo, poi corretta."

    article.text = "Seconda versione: il testo corretto dall'editore."
    services.article_save(article=article, expected_version=article.version)

    stored = Article.objects.get(pk=article.pk)
    assert stored.opening == "Seconda versione: il testo corretto dall'editore."
    assert stored.display_title == "“Seconda versione: il testo corretto dall'editore.”"


def test_a_headline_names_the_article_whatever_its_text(db):
    article = ArticleFactory(title="Ecco perché la Cina delocalizza")
    assert article.display_title == "Ecco perché la Cina delocalizza"


def test_a_report_without_text_is_named_by_outlet_and_date(db):
    outlet = OutletFactory(name="Financial Times", slug="financial-times")
    dated = ArticleFactory(
        outlet=outlet,
        title="",
        text="",
        is_archived=False,
        published_on="2024-03-01",
        date_precision=DatePrecision.YEAR,
    )
    undated = ArticleFactory(
        outlet=outlet,
        title="",
        text="",
        is_archived=False,
        published_on=None,
        date_precision=DatePrecision.UNKNOWN,
    )
    unnamed = ArticleFactory(outlet=None, title="", text="", is_archived=False)

    assert dated.display_title == "Report by Financial Times, 2024"
    assert undated.display_title == "Report by Financial Times, date unknown"
    assert unnamed.display_title.startswith("Report by an unnamed outlet, ")


# --- Read with the row on reader pages -------------------------------------------------


def untitled_articles(count: int, *, upstream: Article):
    """Untitled archived articles retelling `upstream`, each quoted by one published claim."""
    outlet = OutletFactory(name="Il Quotidiano", slug="il-quotidiano")
    claim = ClaimFactory()
    articles = []
    for number in range(count):
        article = ArticleFactory(
            outlet=outlet,
            title="",
            text=f"Apertura numero {number} di un testo senza titolo. {ARTICLE_TEXT}",
            retells=upstream,
        )
        AppearanceFactory(claim=claim, article=article)
        articles.append(article)
    return claim, outlet, articles


def pages(claim, outlet, upstream) -> dict[str, str]:
    return {
        "claim": claim.get_absolute_url(),
        "outlet": outlet.get_absolute_url(),
        "upstream": upstream.get_absolute_url(),
        "search": reverse("factcheck:search") + "?q=Apertura",
    }


def read(client, url: str):
    cache.clear()  # the test's writes never commit, so the cached pages would stay
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [query["sql"] for query in queries]


@pytest.mark.parametrize("page", ["claim", "outlet", "upstream", "search"])
def test_lists_name_untitled_articles_without_reading_their_texts(client, db, page):
    upstream = ArticleFactory(title="", text="", is_archived=False)
    few = pages(*untitled_articles(2, upstream=upstream)[:2], upstream)
    content, few_queries = read(client, few[page])
    assert "“Apertura numero 1 di un testo senza titolo. Alibaba…”" in content

    claim, outlet, _ = untitled_articles(4, upstream=upstream)
    content, many_queries = read(client, pages(claim, outlet, upstream)[page])
    assert "“Apertura numero 3 di un testo senza titolo. Alibaba…”" in content
    assert len(many_queries) == len(few_queries)
    # Search reads the texts it finds its words in, and an article page its own text.
    reading_texts = [sql for sql in many_queries if "." + connection.ops.quote_name("text") in sql]
    assert len(reading_texts) <= {"claim": 0, "outlet": 0, "upstream": 1, "search": 2}[page]
