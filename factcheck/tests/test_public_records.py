"""Public means reviewed: articles, outlets and appearances reach readers only through a
published (or retracted) claim, on every reader page, search, export and figure."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from factcheck import search, selectors, workflow
from factcheck.models import Appearance, Article, Outlet, ReviewStatus
from factcheck.templatetags.reader import http_url
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
)
from factcheck.tests.reader_data import build_reader_corpus, mark_reviewed_now
from factcheck.tests.test_views import page_urls

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
SECRET_WORD = "qxzvthrowaway"


@pytest.fixture
def corpus(db):
    corpus = build_reader_corpus()
    mark_reviewed_now(corpus.claims)
    return corpus


@pytest.fixture
def throwaway(db):
    """A test paste saved by an editor: its own outlet, a unique word, quoted by nobody."""
    outlet = OutletFactory(name="Throwaway Test Wire", slug="throwaway-test-wire")
    return ArticleFactory(
        outlet=outlet,
        title="Script test article",
        url="https://throwaway.example/script-test",
        text=f"Testo di prova {SECRET_WORD} incollato per sbaglio. " * 50,
    )


def body(response) -> str:
    return response.content.decode()


def reader_urls(corpus) -> dict[str, str]:
    return {
        **page_urls(corpus),
        "search_secret": reverse("factcheck:search") + f"?q={SECRET_WORD}",
        "export_all": reverse("factcheck:claim_list") + "?_export=csv",
    }


def traces(article: Article) -> list[str]:
    return [
        article.get_absolute_url(),
        article.title,
        article.url,
        article.outlet.name,
        article.outlet.get_absolute_url(),
        SECRET_WORD,
    ]


def figures(client):
    # Writes in a test never commit, so the page cache would not notice them.
    cache.clear()
    response = client.get(reverse("factcheck:home"))
    shown = response.context["figures"]
    assert f"<dt>Archived articles</dt><dd>{shown.articles}</dd>" in body(response)
    return shown


# --- (a) an unpublished article and its outlet, probed everywhere --------------------


def test_unquoted_article_and_its_outlet_have_no_page(client, corpus, throwaway):
    assert client.get(throwaway.get_absolute_url()).status_code == 404
    assert client.get(throwaway.outlet.get_absolute_url()).status_code == 404


def test_unquoted_article_leaves_no_trace_on_any_reader_page(client, corpus, throwaway):
    for page, url in reader_urls(corpus).items():
        response = client.get(url)
        assert response.status_code == 200, page
        content = body(response)
        if page == "search_secret":
            # The page repeats the words searched for; only the results must be empty.
            content = content.replace(SECRET_WORD, "")
            assert "No article matches." in content
        for trace in traces(throwaway):
            assert trace not in content, f"{trace!r} leaked on {page}"
    assert search.search(SECRET_WORD).articles == []


def test_home_figures_count_only_public_articles_outlets_and_origins(client, corpus, throwaway):
    # The corpus: three archived texts of one outlet (two retelling the FT report), and
    # the FT record itself, not archived; so two outlets and two origins.
    shown = figures(client)
    assert (shown.articles, shown.outlets, shown.origins) == (3, 2, 2)
    AppearanceFactory(article=throwaway, quote=SECRET_WORD, start=throwaway.text.index(SECRET_WORD))
    shown = figures(client)
    assert (shown.articles, shown.outlets, shown.origins) == (4, 3, 3)


def test_the_same_article_once_quoted_by_a_published_claim_is_found(client, corpus, throwaway):
    claim = ClaimFactory(statement="A throwaway claim, now published")
    AppearanceFactory(
        claim=claim, article=throwaway, quote=SECRET_WORD, start=throwaway.text.index(SECRET_WORD)
    )
    mark_reviewed_now([claim])

    assert client.get(throwaway.get_absolute_url()).status_code == 200
    outlet_page = body(client.get(throwaway.outlet.get_absolute_url()))
    assert throwaway.get_absolute_url() in outlet_page
    assert [hit.article.pk for hit in search.search(SECRET_WORD).articles] == [throwaway.pk]
    claim_page = body(client.get(claim.get_absolute_url()))
    [markup] = JSON_LD.findall(claim_page)
    assert json.loads(markup)["itemReviewed"]["appearance"][0]["url"] == throwaway.url
    export = body(client.get(reverse("factcheck:claim_list") + "?_export=csv"))
    assert claim.get_absolute_url() in export


@pytest.mark.parametrize("status", [ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW])
def test_an_article_quoted_only_by_an_unpublished_claim_stays_hidden(
    client, corpus, throwaway, status
):
    AppearanceFactory(
        claim=ClaimFactory(status=status),
        article=throwaway,
        quote=SECRET_WORD,
        start=throwaway.text.index(SECRET_WORD),
    )
    assert client.get(throwaway.get_absolute_url()).status_code == 404
    assert client.get(throwaway.outlet.get_absolute_url()).status_code == 404
    assert not Article.objects.public().filter(pk=throwaway.pk).exists()
    assert search.search(SECRET_WORD).articles == []


def test_an_article_quoted_by_a_retracted_claim_keeps_its_page(client, corpus, throwaway):
    claim = ClaimFactory()
    AppearanceFactory(
        claim=claim, article=throwaway, quote=SECRET_WORD, start=throwaway.text.index(SECRET_WORD)
    )
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Source withdrawn.")
    # The retracted claim's page links its evidence, so the evidence must answer.
    assert throwaway.get_absolute_url() in body(client.get(claim.get_absolute_url()))
    assert client.get(throwaway.get_absolute_url()).status_code == 200


def test_an_upstream_report_lists_only_its_public_retellings(client, corpus):
    unquoted = ArticleFactory(retells=corpus.upstream, title="Ripresa mai citata")
    content = body(client.get(corpus.upstream.get_absolute_url()))
    assert corpus.articles[0].get_absolute_url() in content
    assert unquoted.get_absolute_url() not in content
    assert client.get(unquoted.get_absolute_url()).status_code == 404


def test_an_outlet_page_lists_only_its_public_articles(client, corpus):
    unquoted = ArticleFactory(outlet=corpus.outlet, title="Bozza di prova mai citata")
    content = body(client.get(corpus.outlet.get_absolute_url()))
    assert corpus.article.get_absolute_url() in content
    assert unquoted.get_absolute_url() not in content
    assert unquoted.title not in content


def test_the_claims_index_offers_only_public_outlets_and_quoted_languages(
    client, corpus, throwaway
):
    paste = ArticleFactory(outlet=throwaway.outlet, language="zz", title="Prova in lingua nuova")
    AppearanceFactory(claim=ClaimFactory(status=ReviewStatus.IN_REVIEW), article=paste)
    content = body(client.get(reverse("factcheck:claim_list")))
    assert f'<option value="{corpus.outlet.slug}">' in content
    assert throwaway.outlet.slug not in content
    assert '<option value="it">Italian</option>' in content
    assert 'value="zz"' not in content
    # The Financial Times record is public, but no claim is quoted in English.
    assert 'value="en"' not in content

    AppearanceFactory(article=paste)
    cache.clear()
    content = body(client.get(reverse("factcheck:claim_list")))
    assert '<option value="zz">zz</option>' in content
    assert throwaway.outlet.slug in content


# --- One queryset method per model ---------------------------------------------------


def test_every_report_up_a_quoted_chain_is_public_and_nothing_beside_it():
    origin = ArticleFactory(title="Origin", text="", is_archived=False)
    second = ArticleFactory(retells=origin, title="Second")
    third = ArticleFactory(retells=second, title="Third")
    quoted = ArticleFactory(retells=third, title="Quoted")
    sibling = ArticleFactory(retells=third, title="Sibling, never quoted")
    lone = ArticleFactory(title="Alone, never quoted")
    assert not Article.objects.public().exists()

    AppearanceFactory(article=quoted)
    public = set(Article.objects.public().values_list("pk", flat=True))
    assert public == {quoted.pk, third.pk, second.pk, origin.pk}
    assert sibling.pk not in public and lone.pk not in public
    assert set(Outlet.objects.public().values_list("pk", flat=True)) == {
        article.outlet_id for article in (quoted, third, second, origin)
    }


def test_public_articles_compose_with_other_filters_and_subqueries():
    quoted = AppearanceFactory().article
    ArticleFactory(outlet=quoted.outlet)
    assert list(Article.objects.filter(outlet=quoted.outlet).public()) == [quoted]
    inside = Outlet.objects.filter(articles__in=Article.objects.public()).distinct()
    assert list(inside) == [quoted.outlet]


def test_public_appearances_are_those_of_published_and_retracted_claims():
    made = {status: AppearanceFactory(claim=ClaimFactory(status=status)) for status in ReviewStatus}
    assert set(Appearance.objects.public()) == {
        made[ReviewStatus.PUBLISHED],
        made[ReviewStatus.RETRACTED],
    }


def test_figures_read_through_the_public_querysets(corpus, throwaway):
    before = selectors.count_corpus_figures()
    ArticleFactory(outlet=OutletFactory(name="Another paste", slug="another-paste"))
    assert selectors.count_corpus_figures() == before


# --- (d) only web addresses become links ---------------------------------------------

UNSAFE_URLS = [
    "javascript:alert(1)",
    " JavaScript:alert(1)",
    "java\tscript:alert(1)",
    "\x01javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/no-scheme",
    "http:no-host",
]


@pytest.mark.parametrize("address", UNSAFE_URLS)
def test_only_http_and_https_addresses_are_linkable(address):
    assert http_url(address) == ""


@pytest.mark.parametrize(
    "address", ["https://example.org/a?b=1", "http://example.org", "HTTPS://EXAMPLE.ORG/x"]
)
def test_web_addresses_stay_linkable(address):
    assert http_url(address) == address


def hrefs(content: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', content)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="drops a constraint to plant old data"
)
@pytest.mark.parametrize("address", UNSAFE_URLS[:4])
def test_stored_script_urls_never_become_links(client, address):
    appearance = AppearanceFactory(article=ArticleFactory(url="https://example.org/fine"))
    article, claim = appearance.article, appearance.claim
    # Rows from before the database refused such addresses (test_integrity_rules.py shows it
    # does now): the templates must still never link them. The test's transaction rolls
    # the constraints back in.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks may block ALTER
        cursor.execute("ALTER TABLE factcheck_article DROP CONSTRAINT article_url_is_web_address")
        cursor.execute(
            "ALTER TABLE factcheck_outlet DROP CONSTRAINT outlet_homepage_is_web_address"
        )
    Article.objects.filter(pk=article.pk).update(url=address)
    Outlet.objects.filter(pk=article.outlet_id).update(homepage=address)

    pages = {
        "article": body(client.get(article.get_absolute_url())),
        "outlet": body(client.get(article.outlet.get_absolute_url())),
        "claim": body(client.get(claim.get_absolute_url())),
    }
    for page, content in pages.items():
        for href in hrefs(content):
            assert "script:" not in href.lower().replace("\t", ""), f"{href!r} on {page}"
    [markup] = JSON_LD.findall(pages["claim"])
    [work] = json.loads(markup)["itemReviewed"]["appearance"]
    assert work["url"] == "http://testserver" + article.get_absolute_url()


def test_stored_web_addresses_are_linked(client):
    appearance = AppearanceFactory(article=ArticleFactory(url="https://example.org/report"))
    Outlet.objects.filter(pk=appearance.article.outlet_id).update(
        homepage="https://outlet.example/"
    )
    assert "https://example.org/report" in hrefs(
        body(client.get(appearance.article.get_absolute_url()))
    )
    assert "https://outlet.example/" in hrefs(
        body(client.get(appearance.article.outlet.get_absolute_url()))
    )
