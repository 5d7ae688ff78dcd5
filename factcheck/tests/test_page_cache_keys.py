"""Cache keys: the parameters a page reads tell pages apart, nothing else does."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck.tests import test_page_cache

pytestmark = pytest.mark.django_db

# The same claim and page reader as the page-cache tests.
claim = test_page_cache.claim
page = test_page_cache.page


def served_from_cache(client, url) -> bool:
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    return len(queries) == 1


@pytest.mark.parametrize(
    "parameter",
    [
        "sort=-statement",
        "page=2",
        "verdict=false",
        "agreement_label=refuted",
        "outlet=some-outlet",
        "language=en",
        "has_contradictions=true",
        "q=bridge",
        "_export=csv",
    ],
)
def test_each_parameter_of_the_claims_index_has_its_own_entry(client, claim, parameter):
    page(client, "/claims/")
    assert not served_from_cache(client, f"/claims/?{parameter}")
    assert served_from_cache(client, f"/claims/?{parameter}")


def test_unknown_parameters_share_the_entry_of_the_page_without_them(client, claim):
    url = claim.get_absolute_url()
    page(client, url)
    assert served_from_cache(client, f"{url}?utm_source=x&cache-buster=123")
    page(client, "/claims/?verdict=mostly_true&sort=statement")
    assert served_from_cache(client, "/claims/?sort=statement&verdict=mostly_true&nonce=9")
    assert served_from_cache(client, "/claims/?sort=statement&sort=statement&verdict=mostly_true")
    assert served_from_cache(client, "/search/?q=bridge") is False
    assert served_from_cache(client, "/search/?zz=1&q=bridge")


def test_unknown_parameters_do_not_fill_the_cache(client, claim):
    for number in range(20):
        page(client, f"/claims/?sort=statement&buster={number}")
    pages = [key for key in cache._cache if "reader-page" in key]
    assert len(pages) == 1


def test_an_unknown_parameter_never_reaches_the_page(client, claim):
    content = page(client, "/claims/?sort=statement&injected=planted-value")
    assert "planted-value" not in content
    assert "planted-value" not in page(client, "/claims/?sort=statement")
