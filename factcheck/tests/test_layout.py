"""What every reader page's frame carries: the header search.

How the pages fit the screen is measured in a browser (test_browser_layout.py).
"""

from django.urls import reverse
from pytest_django.asserts import assertInHTML

HEADER_LABEL = '<label class="visually-hidden" for="site-search-q">Search claims and articles</label>'


def header_search(content: str) -> str:
    start = content.index('<form class="site-search"')
    return content[start : content.index("</form>", start)]


def test_header_search_shows_the_query_being_searched(client, db):
    response = client.get(reverse("factcheck:search"), {"q": 'chip "Nvidia" <b>'})

    form = header_search(response.content.decode())
    assert 'value="chip &quot;Nvidia&quot; &lt;b&gt;"' in form
    assertInHTML(HEADER_LABEL, form)


def test_header_search_is_empty_and_labelled_elsewhere(client, db):
    response = client.get(reverse("factcheck:claim_list"), {"q": "chip"})

    form = header_search(response.content.decode())
    assertInHTML('<input id="site-search-q" type="search" name="q" value="">', form)
    assertInHTML(HEADER_LABEL, form)

