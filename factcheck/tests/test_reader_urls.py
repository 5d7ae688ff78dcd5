"""Addresses built from patterns reversed once per page are the ones reverse() gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from factcheck.reader_urls import ReaderUrls
from factcheck.tests.factories import AppearanceFactory

pytestmark = pytest.mark.django_db


def test_every_address_matches_the_models_own():
    appearance = AppearanceFactory()
    article, claim, outlet = appearance.article, appearance.claim, appearance.article.outlet
    urls = ReaderUrls()
    assert urls.article(article) == article.get_absolute_url()
    assert urls.appearance(appearance) == appearance.get_absolute_url()
    assert urls.outlet(outlet) == outlet.get_absolute_url()
    assert urls.claim(claim) == claim.get_absolute_url()


def test_the_script_prefix_is_kept():
    set_script_prefix("/factcheck/")
    try:
        assert ReaderUrls()._article(7) == "/factcheck/articles/7/"
    finally:
        set_script_prefix("/")


def test_a_key_the_pattern_would_not_match_goes_through_reverse():
    outlet_url = ReaderUrls()._outlet
    # Containing the marker itself, or characters a slug may not hold: reverse decides.
    assert outlet_url("a-reader-url-marker-b") == reverse(
        "factcheck:outlet_detail", kwargs={"slug": "a-reader-url-marker-b"}
    )
    with pytest.raises(NoReverseMatch):
        outlet_url("not/a slug")
