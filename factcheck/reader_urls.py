"""Reader addresses and dates for many rows on one page.

reverse() walks the URL patterns on every call; the claim page links 500 articles, each
in several places, and their outlets. ReaderUrls reverses each pattern once per page, with
a marker in place of the key, and fills in each row's key: the same address reverse()
gives, at the cost of a string join.

Dates are the same story: the claim page writes each of 500 articles' dates two or three
times, a page of contradictions a few hundred, and a localised date costs a format
parse and a translated month name each time. written_date() keeps what Article writes.
"""

import functools
import re

from django.urls import reverse
from django.utils.translation import get_language

from factcheck.models import Article

# What Django's `int` and `slug` path converters match: a key matching them is put in
# the address as it is, exactly as reverse() would put it (it quotes nothing in them).
INT_KEY = re.compile(r"[0-9]+")
SLUG_KEY = re.compile(r"[-a-zA-Z0-9_]+")
INT_MARKER = 9081726354
SLUG_MARKER = "reader-url-marker"


class _Pattern:
    def __init__(self, name: str, kwarg: str, marker, key: re.Pattern):
        self.name, self.kwarg, self.key = name, kwarg, key
        path = reverse(name, kwargs={kwarg: marker})
        # A marker that appears twice (or not at all) leaves every row to reverse().
        self.parts = path.split(str(marker)) if path.count(str(marker)) == 1 else None

    def __call__(self, value) -> str:
        value = str(value)
        if self.parts is None or not self.key.fullmatch(value):
            return reverse(self.name, kwargs={self.kwarg: value})
        return value.join(self.parts)


class ReaderUrls:
    """Addresses of articles, appearances, outlets and claims, built for one page."""

    def __init__(self):
        self._article = _Pattern("factcheck:article_detail", "pk", INT_MARKER, INT_KEY)
        self._outlet = _Pattern("factcheck:outlet_detail", "slug", SLUG_MARKER, SLUG_KEY)
        self._claim = _Pattern("factcheck:claim_detail", "slug", SLUG_MARKER, SLUG_KEY)

    def article(self, article) -> str:
        return self._article(article.pk)

    def appearance(self, appearance) -> str:
        """The quote in its article's text (Appearance.get_absolute_url)."""
        return f"{self._article(appearance.article_id)}#{appearance.anchor_id}"

    def outlet(self, outlet) -> str:
        return self._outlet(outlet.slug)

    def claim(self, claim) -> str:
        return self._claim(claim.slug)


@functools.lru_cache(maxsize=8192)
def _written_date(published_on, precision: str, language: str | None) -> tuple[str, str]:
    # A pure function of its arguments: the active language picks the format and the
    # month names (formats and catalogues load once per process), so a date written once
    # is the same string for every page after it. A few years of days in two languages
    # fit in the cache.
    article = Article(published_on=published_on, date_precision=precision)
    return article.iso_date, article.display_date


def written_date(article, language: str | None = None) -> tuple[str, str]:
    """(iso_date, display_date) of anything dated like an article, written once per date
    and language: the same strings as the article's own properties. A loop passes the
    active `language`, read once: reading it costs more than the cached date."""
    return _written_date(article.published_on, article.date_precision, language or get_language())
