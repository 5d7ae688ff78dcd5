"""Every reader page fits the screen, from a 320 px phone to a 1440 px desktop.

The page itself never scrolls sideways; only the claims table may, inside its own
labelled, focusable box, with its first column held in place. A screenshot of every page
at every width is saved (see `artifacts_dir`) so a person can look at them too.
"""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from factcheck.models import Claim, Contradiction, Correction, ReviewStatus
from factcheck.tests.browser import ARTIFACTS, chromium_page, require_chromium
from factcheck.tests.factories import (
    ARTICLE_TEXT,
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
)
from factcheck.tests.reader_data import publish
from factcheck.tests.test_browser import add_retracted_claim, reader_pages

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 768, 1440]
# Longer than any phone is wide, with no place to break it.
UNBROKEN_WORD = "antidisestablishmentarianism" * 3

MEASURE = """() => {
    const html = document.documentElement;
    const wider = [...document.body.querySelectorAll("*")]
        .filter(element => !element.closest(".table-scroll"))
        .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
        .slice(0, 5)
        .map(element => `${element.tagName.toLowerCase()}.${element.className}`);
    return {
        scrollWidth: html.scrollWidth,
        innerWidth: window.innerWidth,
        overflowX: [getComputedStyle(html).overflowX, getComputedStyle(document.body).overflowX],
        wider,
    };
}"""

TABLE_BOX = """() => {
    const box = document.querySelector(".table-scroll");
    const first = box.querySelector("tbody td:first-child");
    return {
        role: box.getAttribute("role"),
        tabindex: box.getAttribute("tabindex"),
        label: document.getElementById(box.getAttribute("aria-labelledby"))?.textContent.trim(),
        scrolls: box.scrollWidth > box.clientWidth,
        boxRight: box.getBoundingClientRect().right,
        firstColumn: getComputedStyle(first).position,
    };
}"""


def artifacts_dir(kind: str) -> Path:
    """Where screenshots and printouts go: under LAYOUT_ARTIFACTS, else artifacts/."""
    path = Path(os.environ.get("LAYOUT_ARTIFACTS") or ARTIFACTS) / kind
    path.mkdir(parents=True, exist_ok=True)
    return path


def add_unbroken_words() -> dict[str, str]:
    """A published claim, its quote, article, address and outlet, each one long word."""
    address = "https://example.org/" + "/".join([UNBROKEN_WORD] * 3)
    homepage = "https://example.org/" + UNBROKEN_WORD  # an outlet's homepage is shorter
    outlet = OutletFactory(name=UNBROKEN_WORD, slug="unbroken", homepage=homepage)
    article = ArticleFactory(
        outlet=outlet,
        title=UNBROKEN_WORD,
        url=address,
        text=f"{ARTICLE_TEXT} {UNBROKEN_WORD}",
    )
    claim = publish(
        ClaimFactory(status=ReviewStatus.DRAFT, statement=f"{UNBROKEN_WORD} is checkable")
    )
    AppearanceFactory(claim=claim, article=article, quote=UNBROKEN_WORD, attribution=address)
    return {
        "claim_unbroken": claim.get_absolute_url(),
        "article_unbroken": article.get_absolute_url(),
        "outlet_unbroken": outlet.get_absolute_url(),
        "claim_list_unbroken": reverse("factcheck:claim_list") + "?q=antidisestablishmentarianism",
    }


def layout_pages() -> dict[str, str]:
    """Every reader page type over the seed corpus, with the variants that widen pages."""
    claim_list = reverse("factcheck:claim_list")
    contradicted = Contradiction.objects.published().order_by("pk").first().claim_a
    corrected = Correction.objects.order_by("pk").first().claim
    assert Claim.objects.published().count() > 25, "the claims index needs a second page"
    return {
        **reader_pages(),
        "claim_list_page_2": f"{claim_list}?sort=-agreement&page=2",
        "claim_contradicted": contradicted.get_absolute_url(),
        "claim_corrected": corrected.get_absolute_url(),
        "claim_retracted": add_retracted_claim(),
        "search_empty": reverse("factcheck:search"),
        "search_long_word": reverse("factcheck:search") + f"?q={UNBROKEN_WORD}",
        **add_unbroken_words(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_page_scrolls_sideways_at_any_width(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread (see test_browser.py).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require_chromium()
    call_command("loaddata", "seed_corpus", verbosity=0)
    pages = layout_pages()
    too_wide, table_boxes = [], {}
    with chromium_page(width=WIDTHS[0], height=800) as page:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            folder = artifacts_dir(f"screenshots/{width}")
            for name, url in pages.items():
                page.goto(live_server.url + url)
                measured = page.evaluate(MEASURE)
                # Hiding the overflow would pass the width check and cut content off.
                assert measured["overflowX"] == ["visible", "visible"], (name, measured)
                if measured["scrollWidth"] > measured["innerWidth"]:
                    too_wide.append(f"{width}px {name}: {measured}")
                if name == "claim_list":
                    table_boxes[width] = page.evaluate(TABLE_BOX)
                page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert not too_wide, "\n".join(too_wide)

    for width, box in table_boxes.items():
        assert box["role"] == "region" and box["tabindex"] == "0", box
        assert box["label"].startswith("Published claims"), box
        assert box["boxRight"] <= width, (width, box)
        assert box["firstColumn"] == "sticky", (width, box)
    # On a phone the table is wider than the screen, so its box is what scrolls.
    assert table_boxes[320]["scrolls"]
    assert not table_boxes[1440]["scrolls"]


PRINTED = """() => {
    const style = selector => getComputedStyle(document.querySelector(selector));
    const main = document.querySelector("main");
    const outside = main.appendChild(document.createElement("a"));
    outside.href = "https://www.ft.com/content/example";
    outside.textContent = "a report";
    return {
        hidden: ["nav[aria-label=Main]", ".site-search", ".site-footer nav"].map(
            selector => style(selector).display
        ),
        heading: style("h1").display,
        ink: [style("body").color, style("body").backgroundColor, style("main a").color],
        quote: style(".appearance blockquote").breakInside,
        appearance: style(".appearance").breakInside,
        outsideAddress: getComputedStyle(outside, "::after").content,
        insideAddress: getComputedStyle(main.querySelector("a[href^='/']"), "::after").content,
    };
}"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_claim_page_prints_black_on_white_without_navigation(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require_chromium()
    call_command("loaddata", "seed_corpus", verbosity=0)
    claim = Claim.objects.published().order_by("-appearance_count", "pk").first()
    with chromium_page() as page:
        page.goto(live_server.url + claim.get_absolute_url())
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED)
        folder = artifacts_dir("print")
        page.pdf(path=str(folder / "claim_detail.pdf"))
        page.screenshot(path=str(folder / "claim_detail.png"), full_page=True)

    assert printed["hidden"] == ["none", "none", "none"]
    assert printed["heading"] == "block"
    assert printed["ink"] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)"]
    assert printed["quote"] == printed["appearance"] == "avoid"
    # Paper cannot be clicked: an outside source's address is written out; the site's own
    # addresses, relative, would say nothing.
    assert "https://www.ft.com/content/example" in printed["outsideAddress"]
    assert printed["insideAddress"] == "none"
