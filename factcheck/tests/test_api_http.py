"""The API over HTTP: validators and 304s, the answer cache, query counts, throttling,
and bad input answered with a 400 that says what is wrong (never a 500)."""

import base64
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from factcheck import services
from factcheck.api.pagination import MAX_PAGE_SIZE
from factcheck.tests.api_helpers import endpoint_urls
from factcheck.tests.reader_data import build_reader_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, settings):
    """An anonymous client, unthrottled (throttling has a test of its own)."""
    settings.API_ANON_RATE = None
    return client


# --- Validators ---------------------------------------------------------------------------


def test_an_unchanged_answer_is_a_304_for_its_etag_and_its_date(api, reader_corpus):
    url = endpoint_urls(reader_corpus)["claim_detail"]
    first = api.get(url)
    assert first["Last-Modified"]
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    since = api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert api.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_an_edit_changes_the_etag_and_an_edit_elsewhere_keeps_it(api, reader_corpus, committed):
    urls = endpoint_urls(reader_corpus)
    claim, other = reader_corpus.claims[0], reader_corpus.claims[2]
    before = api.get(urls["claim_detail"])["ETag"]
    assert api.get(urls["claim_detail"])["ETag"] == before  # no edit: same validator

    # Each write commits, so the kept answers retire and the claim is serialized again.
    with committed():
        other.verdict_summary = "A summary of another claim, reworded."
        services.claim_save(claim=other)
    assert api.get(urls["claim_detail"])["ETag"] == before

    with committed():
        claim.verdict_summary = "The two reports agree, and a third now does too."
        services.claim_save(claim=claim)
    changed = api.get(urls["claim_detail"], HTTP_IF_NONE_MATCH=before)
    assert changed.status_code == 200
    assert changed["ETag"] != before
    assert changed.json()["verdict_summary"] == claim.verdict_summary


def test_a_list_etag_follows_its_rows(api, reader_corpus, committed):
    url = endpoint_urls(reader_corpus)["claim_list"]
    before = api.get(url)["ETag"]
    with committed():
        claim = reader_corpus.claim
        claim.statement = "A reworded statement of the first claim"
        services.claim_save(claim=claim, correction_note="Reworded to match the source.")
    assert api.get(url)["ETag"] != before


def test_answers_come_from_the_cache_until_a_write(api, reader_corpus, committed):
    url = endpoint_urls(reader_corpus)["claim_detail"]
    first = api.get(url)
    with CaptureQueriesContext(connection) as queries:
        cached = api.get(url)
    assert len(queries) == 1  # the content stamp
    assert cached.content == first.content
    with committed():
        claim = reader_corpus.claim
        claim.context = "New background."
        services.claim_save(claim=claim)
    assert api.get(url).json()["context"] == "New background."


# --- Query counts --------------------------------------------------------------------------

QUERIES = {
    "claim_list": 2,
    "claim_list_sorted": 2,
    "claim_detail": 7,  # with the origins not among the quoted articles, in one query
    "article_list": 2,
    "article_detail": 2,
    "upstream_article": 2,
    "outlet_list": 2,
    "outlet_detail": 1,
    "contradiction_list": 2,
    "correction_list": 2,
}


@pytest.mark.parametrize("size", [2, 5])
def test_query_counts_do_not_grow_with_rows(api, db, settings, size, django_assert_num_queries):
    settings.READER_PAGE_CACHE_SECONDS = 0  # count the rendering, not the cache
    corpus = build_reader_corpus(claims=size, articles=size)
    for claim in corpus.claims:
        claim.verdict = "mixed"
        services.claim_save(claim=claim, correction_note="Newer reporting is mixed.")
    for name, url in endpoint_urls(corpus).items():
        with django_assert_num_queries(QUERIES[name]):
            if name.endswith(("_list", "_sorted")):
                url += ("&" if "?" in url else "?") + "page_size=100"
            assert api.get(url).status_code == 200, name


def test_filtered_claim_list_adds_only_the_filters_own_lookups(api, reader_corpus, settings):
    settings.READER_PAGE_CACHE_SECONDS = 0
    url = reverse("api:claim-list") + "?outlet=il-quotidiano&language=it&verdict=mostly_true"
    with CaptureQueriesContext(connection) as first:
        assert api.get(url).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert api.get(url).status_code == 200
    # The content generation the filter's choices are kept under, the outlet, and once per
    # generation the choices: the public outlets and the languages (the loose scan, then
    # the quoted ones).
    assert len(first) == 2 + 5
    assert len(again) == 2 + 2


# --- Throttling ----------------------------------------------------------------------------


def test_a_client_over_the_rate_is_told_to_wait(client, reader_corpus, settings):
    settings.API_ANON_RATE = "2/minute"
    url = endpoint_urls(reader_corpus)["outlet_list"]
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"].lower()
    other = client.get(url, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


# --- Bad input -----------------------------------------------------------------------------


def cursor_of(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ("cursor=not-a-cursor", "cursor", "not valid"),
        ("cursor=" + cursor_of({"sort": "-agreement", "after": [0.5, 1]}), "cursor", "not valid"),
        (
            "cursor=" + cursor_of({"sort": "statement", "after": ["x", 2**70]}),
            "cursor",
            "not valid",
        ),
        ("cursor=" + cursor_of({"sort": "statement", "after": [None, 1]}), "cursor", "not valid"),
        ("cursor=" + cursor_of({"sort": "statement", "after": ["x"]}), "cursor", "not valid"),
        ("cursor=" + cursor_of([1, 2]), "cursor", "not valid"),
        (
            "sort=-agreement&cursor=" + cursor_of({"sort": "-agreement", "after": ["NaN", 1]}),
            "cursor",
            "not valid",
        ),
        (
            "sort=reviewed_at&cursor="
            + cursor_of({"sort": "reviewed_at", "after": ["yesterday", 1]}),
            "cursor",
            "not valid",
        ),
        ("page_size=0", "page_size", "1 to 100"),
        (f"page_size={MAX_PAGE_SIZE + 1}", "page_size", "1 to 100"),
        ("page_size=10000000000000000000000", "page_size", "1 to 100"),
        ("page_size=ten", "page_size", "1 to 100"),
        ("sort=popularity", "sort", "Sort by one of"),
        ("verdict=maybe", "verdict", "valid choice"),
        ("agreement_label=meh", "agreement_label", "valid choice"),
        ("outlet=no-such-outlet", "outlet", "valid choice"),
        ("language=xx", "language", "valid choice"),
        ("has_contradictions=perhaps", "has_contradictions", "true or false"),
        ("colour=blue", "detail", "Unknown parameter colour"),
        ("sort=statement&sort=verdict", "detail", "once"),
    ],
)
def test_bad_parameters_are_refused_with_a_reason(api, reader_corpus, query, field, says):
    response = api.get(reverse("api:claim-list") + "?" + query)
    assert response.status_code == 400, response.content
    message = response.json()[field]
    assert says in (message if isinstance(message, str) else message[0])


@pytest.mark.parametrize("value", ["%00", "a%01b", "%1b[31m"])
def test_control_characters_are_refused_in_json_naming_the_parameter(api, reader_corpus, value):
    response = api.get(reverse("api:claim-list") + f"?q={value}")
    assert response.status_code == 400
    assert "“q”" in response.json()["detail"]


def test_contradiction_filters_refuse_unknown_values(api, reader_corpus):
    response = api.get(reverse("api:contradiction-list") + "?status=closed")
    assert response.status_code == 400
    assert "open" in response.json()["status"][0]


PARAMETER_NAMES = ["sort", "cursor", "page_size", "q", "verdict", "outlet", "language", "x"]


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.dictionaries(
        st.sampled_from(PARAMETER_NAMES),
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(["-agreement", "reviewed_at", "100", "-1", "true"]),
            st.builds(
                lambda sort, after: cursor_of({"sort": sort, "after": after}),
                st.sampled_from(["statement", "-agreement", "-reviewed_at"]),
                st.lists(
                    st.one_of(st.none(), st.integers(), st.floats(), st.text(max_size=5)),
                    max_size=3,
                ),
            ),
        ),
        max_size=4,
    )
)
def test_no_parameters_make_a_server_error(api, reader_corpus, parameters):
    response = api.get(reverse("api:claim-list"), parameters)
    assert response.status_code in (200, 400), (parameters, response.content[:300])
    assert response["Content-Type"] == "application/json"
