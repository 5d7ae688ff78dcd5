"""Marking quotes in an article's text: nesting, overlaps and escaping."""

from html.parser import HTMLParser
from types import SimpleNamespace

from factcheck.highlights import text_with_quotes


def span(pk, start, end, stance="supports"):
    claim = SimpleNamespace(statement=f"Claim {pk}", get_absolute_url=lambda: f"/claims/c{pk}/")
    return SimpleNamespace(
        pk=pk, start=start, end=end, stance=stance, claim=claim, anchor_id=f"appearance-{pk}"
    )


class Reading(HTMLParser):
    """Checks that tags nest, and collects the text inside each anchored mark."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.text: list[str] = []
        self.in_ref = 0
        self.fragments: dict[str, list[str]] = {}
        self.stack_ids: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        self.open.append(tag)
        attrs = dict(attrs)
        if tag == "sup":
            self.in_ref += 1
        if tag == "mark":
            self.stack_ids.append(attrs.get("id"))

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes {self.open}"
        self.open.pop()
        if tag == "sup":
            self.in_ref -= 1
        if tag == "mark":
            self.stack_ids.pop()

    def handle_data(self, data):
        if self.in_ref:
            return
        self.text.append(data)
        for anchor in self.stack_ids:
            if anchor:
                self.fragments.setdefault(anchor, []).append(data)


def read(html) -> Reading:
    reading = Reading()
    reading.feed(str(html))
    reading.close()
    assert reading.open == []
    return reading


TEXT = "abcdefghijklmnopqrstuvwxyz"


def test_plain_text_without_quotes_is_escaped():
    assert text_with_quotes("a < b & c", []) == "a &lt; b &amp; c"


def test_nested_quotes_nest():
    outer, inner = span(1, 2, 20), span(2, 5, 9)
    html = text_with_quotes(TEXT, [outer, inner])
    reading = read(html)
    assert "".join(reading.text) == TEXT
    assert html.count('id="appearance-1"') == html.count('id="appearance-2"') == 1
    assert "".join(reading.fragments["appearance-1"]) == TEXT[2:20]
    assert "".join(reading.fragments["appearance-2"]) == TEXT[5:9]
    assert 'href="/claims/c1/"' in html and 'href="/claims/c2/"' in html


def test_crossing_quotes_are_split_into_nested_fragments():
    first, second = span(1, 2, 10), span(2, 6, 15)
    html = text_with_quotes(TEXT, [first, second])
    reading = read(html)
    assert "".join(reading.text) == TEXT
    # The second quote's anchor opens inside the first; its tail is a continuation.
    assert html.count('id="appearance-2"') == 1
    assert html.count("continued") == 1
    assert html.count("<mark") == html.count("</mark>") == 3
    assert "".join(reading.fragments["appearance-1"]) == TEXT[2:10]
    assert "".join(reading.fragments["appearance-2"]) == TEXT[6:10]


def test_identical_spans_both_get_their_anchor():
    html = text_with_quotes(TEXT, [span(1, 3, 8), span(2, 3, 8)])
    read(html)
    assert 'id="appearance-1"' in html and 'id="appearance-2"' in html


def test_spans_touching_end_to_start_do_not_overlap():
    html = text_with_quotes(TEXT, [span(1, 0, 5), span(2, 5, 26)])
    reading = read(html)
    assert "continued" not in html
    assert "".join(reading.text) == TEXT


def test_markup_in_the_text_stays_text():
    text = 'x <script>alert(1)</script> "><img src=x onerror=alert(1)> y'
    html = text_with_quotes(text, [span(1, 2, 27), span(2, 10, 40)])
    assert "<script>" not in html and "<img" not in html
    assert "".join(read(html).text) == text


def test_offsets_outside_the_text_are_ignored():
    html = text_with_quotes("short", [span(1, 2, 99)])
    assert html == "short"
