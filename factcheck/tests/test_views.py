"""Reader pages: what they show, what they never show, and what they cost."""

import csv
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.models import (
    AgreementLabel,
    Claim,
    ReviewStatus,
    Verdict,
)
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
)
from factcheck.tests.reader_data import build_reader_corpus, mark_reviewed_now

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reader_corpus):
    return reader_corpus


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def page_urls(corpus) -> dict[str, str]:
    claim_list = reverse("factcheck:claim_list")
    return {
        "home": reverse("factcheck:home"),
        "claim_list": claim_list,
        "claim_list_sorted": f"{claim_list}?sort=-agreement",
        "claim_list_filtered": f"{claim_list}?outlet={corpus.outlet.slug}&language=it",
        "claim_detail": corpus.claim.get_absolute_url(),
        "article_detail": corpus.article.get_absolute_url(),
        "upstream_article": corpus.upstream.get_absolute_url(),
        "outlet_detail": corpus.outlet.get_absolute_url(),
        "contradiction_list": reverse("factcheck:contradiction_list"),
        "search": reverse("factcheck:search") + "?q=modelli",
        "export": f"{claim_list}?_export=csv",
    }


def body(response) -> str:
    return response.content.decode()


# --- Every page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "claim_list",
        "claim_list_sorted",
        "claim_list_filtered",
        "claim_detail",
        "article_detail",
        "upstream_article",
        "outlet_detail",
        "contradiction_list",
        "search",
        "export",
    ],
)
def test_every_page_answers_an_anonymous_reader(client, corpus, page):
    response = client.get(page_urls(corpus)[page])
    assert response.status_code == 200
    if page != "export":
        assert "<main" in body(response)


def test_pages_show_the_published_claims(client, corpus):
    urls = page_urls(corpus)
    assert corpus.claim.statement in body(client.get(urls["claim_list"]))
    assert corpus.claim.statement in body(client.get(urls["outlet_detail"]))
    assert corpus.claim.get_absolute_url() in body(client.get(urls["article_detail"]))
    assert corpus.claim.statement in body(client.get(urls["contradiction_list"]))
    assert corpus.claim.statement in body(client.get(urls["home"]))


def test_unknown_address_uses_the_site_404_page(client, settings, db):
    settings.SITE_NAME = "Verifica Test"
    response = client.get("/claims/no-such-claim/")
    assert response.status_code == 404
    assert "Verifica Test" in body(response)
    assert "Page not found" in body(response)


# --- Drafts and claims in review -----------------------------------------------------


@pytest.mark.parametrize("status", [ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW])
def test_unpublished_claim_has_no_page(client, corpus, status):
    [claim] = [claim for claim in corpus.hidden if claim.status == status]
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_unpublished_claims_leave_no_trace_on_public_pages(client, corpus):
    urls = {**page_urls(corpus), "search_hidden": reverse("factcheck:search") + "?q=zebraquux"}
    for claim in corpus.hidden:
        [appearance] = claim.appearances.all()
        contradiction = claim.contradictions_as_b.get()
        traces = [
            claim.statement,
            claim.slug,
            claim.context,
            claim.verdict_summary,
            appearance.translation,
            appearance.attribution,
            appearance.anchor_id,
            contradiction.explanation,
        ]
        for page, url in urls.items():
            content = body(client.get(url))
            for trace in traces:
                assert trace not in content, f"{trace!r} leaked on {page}"


def test_open_contradiction_counts_ignore_unpublished_sides(client, corpus):
    # corpus.claim contradicts one published neighbour and both hidden claims.
    row = Claim.objects.published().with_open_contradictions().get(pk=corpus.claim.pk)
    assert row.open_contradictions == 1


# --- Query counts --------------------------------------------------------------------

# The most any page here makes. The index filtered by outlet, with nothing kept: the
# page's stamp, the counts' stamp, the filter's outlets and languages (two), the chosen
# outlet, the count, the ids, the rows. The claim page: stamp, claim, appearances, the
# origins not among the quoted articles, corrections, contradictions, the dates of the
# contradicting claims' evidence, evidence decisions, transitions.
QUERY_BOUND = 9


def count_queries(client, urls) -> dict[str, int]:
    """Queries of rendering each page, cache read included: the page cache starts empty."""
    counts = {}
    for page, url in urls.items():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[page] = len(queries)
    return counts


def test_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    small = build_reader_corpus(claims=2, articles=2, hidden=False)
    small_counts = count_queries(client, page_urls(small))

    large = build_reader_corpus(claims=30, articles=12)
    mark_reviewed_now(large.claims)
    large_urls = page_urls(large)
    large_urls["claim_list_page_2"] = reverse("factcheck:claim_list") + "?page=2"
    large_counts = count_queries(client, large_urls)

    assert large.claim.appearances.count() == 12
    assert large.article.appearances.count() >= 30
    for page, count in small_counts.items():
        assert large_counts[page] == count, f"{page}: {count} queries, then {large_counts[page]}"
    for url in large_urls.values():
        cache.clear()
        with django_assert_max_num_queries(QUERY_BOUND):
            client.get(url)


# --- Claims index --------------------------------------------------------------------


def listed_statements(response) -> list[str]:
    return [row.record.statement for row in response.context["table"].paginated_rows]


def test_index_sorts_by_stored_agreement_with_a_tiebreaker(client, corpus):
    response = client.get(reverse("factcheck:claim_list"), {"sort": "-agreement"})
    expected = Claim.objects.published().order_by(F("agreement_score").desc(nulls_last=True), "-pk")
    assert listed_statements(response) == [claim.statement for claim in expected]


def test_claims_without_a_score_sort_last_both_ways(client, corpus):
    unscored = ClaimFactory(statement="Nobody takes a position on this")
    for sort in ("agreement", "-agreement"):
        response = client.get(reverse("factcheck:claim_list"), {"sort": sort})
        assert listed_statements(response)[-1] == unscored.statement


def test_index_pages_are_stable_and_complete(client, settings):
    build_reader_corpus(claims=30, articles=1, hidden=False)
    seen = []
    for page in (1, 2):
        response = client.get(reverse("factcheck:claim_list"), {"page": page, "sort": "verdict"})
        seen += listed_statements(response)
    assert sorted(seen) == sorted(Claim.objects.published().values_list("statement", flat=True))
    assert len(set(seen)) == 30


@pytest.mark.parametrize(
    ("params", "keeps"),
    [
        ({"verdict": Verdict.FALSE}, lambda claim: claim.verdict == Verdict.FALSE),
        (
            {"agreement_label": AgreementLabel.CONTESTED},
            lambda claim: claim.agreement_label == AgreementLabel.CONTESTED,
        ),
        ({"q": "background 1."}, lambda claim: claim.context == "Background 1."),
    ],
)
def test_index_filters_narrow_the_rows(client, corpus, params, keeps):
    Claim.objects.filter(pk=corpus.claims[1].pk).update(verdict=Verdict.FALSE)
    response = client.get(reverse("factcheck:claim_list"), params)
    expected = [claim.statement for claim in Claim.objects.published() if keeps(claim)]
    # Some rows kept and some dropped, so a filter that does nothing fails.
    assert 0 < len(expected) < Claim.objects.published().count()
    assert sorted(listed_statements(response)) == sorted(expected)


def test_index_filters_by_outlet_language_and_contradictions(client, corpus):
    lone = ClaimFactory(statement="Lone claim in English")
    AppearanceFactory(claim=lone, article=ArticleFactory(language="en"), translation="")
    url = reverse("factcheck:claim_list")

    by_outlet = listed_statements(client.get(url, {"outlet": corpus.outlet.slug}))
    assert sorted(by_outlet) == sorted(claim.statement for claim in corpus.claims)
    assert listed_statements(client.get(url, {"language": "en"})) == [lone.statement]
    assert listed_statements(client.get(url, {"has_contradictions": "false"})) == [lone.statement]
    contested = listed_statements(client.get(url, {"has_contradictions": "true"}))
    assert sorted(contested) == sorted(claim.statement for claim in corpus.claims)


def exported_rows(client, params=None) -> list[dict]:
    response = client.get(reverse("factcheck:claim_list"), {**(params or {}), "_export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_export_holds_the_filtered_rows(client, corpus):
    Claim.objects.filter(pk=corpus.claims[0].pk).update(verdict=Verdict.FALSE)
    rows = exported_rows(client, {"verdict": Verdict.FALSE})
    assert [row["Statement"] for row in rows] == [corpus.claims[0].statement]
    claim = Claim.objects.get(pk=corpus.claims[0].pk)
    assert rows[0]["Agreement score"] == str(claim.agreement_score)
    assert rows[0]["URL"].endswith(claim.get_absolute_url())


def test_export_includes_every_page(client):
    build_reader_corpus(claims=30, articles=1, hidden=False)
    assert len(exported_rows(client)) == 30


@pytest.mark.parametrize("params", [{"_export": "xlsx"}, {"page": "999"}, {"verdict": "nonsense"}])
def test_index_answers_odd_parameters_without_failing(client, corpus, params):
    response = client.get(reverse("factcheck:claim_list"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("formula", ["=1+1", "+1+1", "-1+1", "@SUM(A1)"])
def test_export_neutralises_spreadsheet_formulas(client, formula):
    ClaimFactory(statement=f"{formula} claim")
    [row] = exported_rows(client)
    assert row["Statement"] == f"'{formula} claim"


# --- Article page --------------------------------------------------------------------


def test_article_page_marks_each_published_quote_once(client, corpus):
    response = client.get(corpus.article.get_absolute_url())
    content = body(response)
    for appearance in corpus.article.appearances.filter(claim__status=ReviewStatus.PUBLISHED):
        assert content.count(f'id="{appearance.anchor_id}"') == 1
        assert appearance.claim.get_absolute_url() in content
    assert content.count("<mark") - content.count('class="quote stance-') == 0
    assert content.count("<mark") == content.count("</mark>")


def test_upstream_record_says_it_is_not_archived(client, corpus):
    content = body(client.get(corpus.upstream.get_absolute_url()))
    assert "Not archived" in content
    retelling = corpus.articles[0]
    assert retelling.get_absolute_url() in content
    assert "Not archived" not in body(client.get(corpus.articles[1].get_absolute_url()))


def test_article_page_shows_the_retelling_chain_to_the_origin(client, corpus):
    middle = ArticleFactory(retells=corpus.upstream, title="Ripresa intermedia")
    last = ArticleFactory(retells=middle, title="Ripresa finale")
    # Public because a published claim quotes it; `middle` only because `last` retells it.
    AppearanceFactory(claim=corpus.claim, article=last)
    content = body(client.get(last.get_absolute_url()))
    chain = content[content.index("Where this report comes from") :]
    assert chain.index(middle.get_absolute_url()) < chain.index(corpus.upstream.get_absolute_url())
    assert "the origin" in chain


def test_a_middle_article_shows_its_chain_and_its_public_retellings(client, corpus):
    middle = ArticleFactory(retells=corpus.upstream, title="Ripresa intermedia")
    quoted = [ArticleFactory(retells=middle, title=f"Ripresa {n}") for n in range(2)]
    unquoted = ArticleFactory(retells=middle, title="Ripresa mai citata")
    for article in quoted:
        AppearanceFactory(claim=corpus.claim, article=article)

    content = body(client.get(middle.get_absolute_url()))
    chain, retold_by = content.split("Where this report comes from")[1].split("Retold by")

    assert corpus.upstream.get_absolute_url() in chain and "the origin" in chain
    for article in quoted:
        assert article.get_absolute_url() in retold_by and article.title not in chain
    # No public claim quotes it, nor anything downstream of it: it has no page to link.
    assert unquoted.title not in content


def test_outlet_filter_offers_every_outlet_escaped_and_keeps_the_choice(client, corpus):
    odd = OutletFactory(name='Voci <b>"libere"</b>', slug="voci-libere")
    # Offered because a published claim quotes one of its articles (unquoted outlets are not).
    AppearanceFactory(claim=corpus.claim, article=ArticleFactory(outlet=odd))
    content = body(client.get(reverse("factcheck:claim_list"), {"outlet": corpus.outlet.slug}))
    assert f'<option value="{corpus.outlet.slug}" selected>' in content
    assert '<option value="">Any outlet</option>' in content
    assert (
        f'<option value="{odd.slug}">Voci &lt;b&gt;&quot;libere&quot;&lt;/b&gt;</option>' in content
    )
    assert '<select name="outlet" id="id_outlet">' in content
