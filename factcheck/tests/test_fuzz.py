"""Every reader address, fed hostile parameters: no answer is ever a server error.

Hypothesis draws the values (control characters, NUL, very long strings, any Unicode,
SQL and HTML metacharacters, huge numbers); each example is one request through the whole
stack on the test database. Examples per address are capped so the run stays well under a
minute on PostgreSQL.
"""

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck import page_cache
from factcheck.tests.reader_data import build_reader_corpus

pytestmark = pytest.mark.django_db

EXAMPLES = 80

HOSTILE = [
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\x7f",
    "\u0085",
    "\r\n\r\nSet-Cookie: x=1",
    "' OR 1=1 --",
    '"; DROP TABLE factcheck_claim; --',
    "%00",
    "%",
    "\\",
    "<script>alert(1)</script>",
    "</title><svg onload=alert(1)>",
    "{{ 7*7 }}",
    "{% debug %}",
    "&amp;&#0;",
    "-",
    "--",
    "-statement",
    "0",
    "-1",
    "1e309",
    "NaN",
    "99999999999999999999999999999999",
    "\u202etxet",
    "\ufeff",
    "😀" * 50,
    "città ’ «»",
    "x" * 5_000,
    " ".join(["word"] * 2_000),
    "a:b & c | !d <-> e",  # tsquery syntax
    "*",
    "../../etc/passwd",
]

# Any Unicode a URL can carry (surrogates cannot be encoded), control characters included.
ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
# The same without control characters, which are refused before any view: these reach
# the filters, the paginator, the search and the export.
READABLE_TEXT = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=300)
VALUES = st.one_of(st.sampled_from(HOSTILE), ANY_TEXT, READABLE_TEXT, st.integers().map(str))

# Every parameter the claims index reads, the export last.
CLAIM_LIST_PARAMETERS = list(page_cache.CLAIM_LIST_PARAMETERS)


@pytest.fixture
def corpus():
    return build_reader_corpus(claims=3, articles=2)


def answered(client, path, params=None) -> int:
    response = client.get(path, params or {})
    assert response.status_code < 500, (path, params, response.status_code)
    return response.status_code


fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,  # no example store in the work tree; failures print their input
)


@fuzz
@given(parameter=st.sampled_from(CLAIM_LIST_PARAMETERS), value=VALUES)
def test_claims_index_parameters(client, corpus, parameter, value):
    answered(client, "/claims/", {parameter: value})


@fuzz
@given(values=st.fixed_dictionaries(dict.fromkeys(CLAIM_LIST_PARAMETERS[:-1], VALUES)))
def test_claims_index_all_parameters_at_once(client, corpus, values):
    answered(client, "/claims/", values)
    answered(client, "/claims/", {**values, "_export": "csv"})


@fuzz
@given(value=VALUES)
def test_search(client, corpus, value):
    answered(client, "/search/", {"q": value})


@fuzz
@given(value=VALUES)
def test_contradictions_page(client, corpus, value):
    answered(client, "/contradictions/", {"page": value})


@fuzz
@given(name=VALUES, value=VALUES)
def test_pages_without_parameters_ignore_any(client, corpus, name, value):
    for path in (
        "/",
        corpus.claim.get_absolute_url(),
        corpus.articles[0].get_absolute_url(),
        corpus.outlet.get_absolute_url(),
    ):
        answered(client, path, {name: value})


@fuzz
@given(
    slug=st.one_of(st.sampled_from(HOSTILE), ANY_TEXT, READABLE_TEXT),
    number=st.one_of(st.integers(min_value=0), st.sampled_from(["9" * 40, "0" * 30 + "1"])),
)
def test_addresses_of_single_records(client, corpus, slug, number):
    answered(client, f"/claims/{quote(slug, safe='')}/")
    answered(client, f"/outlets/{quote(slug, safe='')}/")
    answered(client, f"/articles/{number}/")


# --- The public record: transparency pages, feeds, sitemap, the DataFeed ------------------

RECORD_PAGES = [
    "/corrections/",
    "/methodology/",
    "/about/contact/",
    "/feed/",
    "/feed/rss/",
    "/feed/corrections/",
    "/feed/corrections/rss/",
    "/sitemap.xml",
    "/sitemap-claims.xml",
    "/robots.txt",
]


@fuzz
@given(value=VALUES)
def test_record_pages_read_their_parameters_safely(client, corpus, value):
    answered(client, "/corrections/", {"page": value})
    answered(client, "/sitemap-claims.xml", {"p": value})


@fuzz
@given(name=VALUES, value=VALUES)
def test_record_pages_ignore_any_other_parameter(client, corpus, name, value):
    for path in RECORD_PAGES:
        answered(client, path, {name: value})
    response = client.get("/data/claimreview.json", {name: value})
    assert response.status_code < 500
    if response.streaming:
        b"".join(response.streaming_content)


@fuzz
@given(slug=st.one_of(st.sampled_from(HOSTILE), ANY_TEXT, READABLE_TEXT))
def test_addresses_of_record_pages(client, corpus, slug):
    answered(client, f"/about/{quote(slug, safe='')}/")
    answered(client, f"/sitemap-{quote(slug, safe='')}.xml")
