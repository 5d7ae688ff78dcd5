"""Reader addresses for many rows on one page.

reverse() walks the URL patterns on every call; the claim page links 500 articles, each
in several places, and their outlets. ReaderUrls reverses each pattern once per page, with
a marker in place of the key, and fills in each row's key: the same address reverse()
gives, at the cost of a string join.
"""

import re

from django.urls import reverse

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
