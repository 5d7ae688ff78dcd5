"""What every reader page's frame carries: the header search and the site's icon.

How the pages fit the screen is measured in a browser (test_browser_layout.py).
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.urls import reverse
from pytest_django.asserts import assertInHTML

HEADER_LABEL = (
    '<label class="visually-hidden" for="site-search-q">Search claims and articles</label>'
)


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


def test_pages_link_the_svg_icon_and_favicon_ico_leads_to_it(client, db):
    page = client.get(reverse("factcheck:home")).content.decode()
    assertInHTML(
        '<link rel="icon" href="/static/factcheck/favicon.svg" type="image/svg+xml">', page
    )

    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/factcheck/favicon.svg"
    assert "max-age=86400" in response["Cache-Control"]
    # WhiteNoise serves what collectstatic gathers; the test client has no such step.
    icon = Path(finders.find("factcheck/favicon.svg")).read_text()
    assert icon.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "http" not in icon.replace("http://www.w3.org/2000/svg", "")  # nothing external
