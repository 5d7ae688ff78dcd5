"""The reading desk in Chromium: a span selected with the mouse, or with the keyboard alone,
linked to a suggested claim; the appearance has the exact offsets and the text as its quote."""

import json
import subprocess

import pytest

from factcheck.models import Appearance, ReviewStatus, Stance, Verdict
from factcheck.tests.browser import (
    AXE_SCRIPT,
    VNU_JAR,
    PolicyWatch,
    artifact_dir,
    chromium_page,
    require,
    require_java_and_vnu,
)
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory
from factcheck.tests.test_browser_admin import in_chromium, sign_in, staff  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Astral characters (a flag is two code points, four UTF-16 units) and a CRLF before the
# spans, so any confusion of UTF-16 units, code points or line endings shifts the offsets.
TEXT = (
    "Rapporto 🇨🇳 del lunedì 𝕏.\r\n\r\n"
    "Secondo fonti interne, DeepSeek addestra ancora i suoi modelli in Cina.\n\n"
    "Il tempo a Milano è bello. Huawei lavora con DeepSeek sui semiconduttori."
)
SENTENCE = "DeepSeek addestra ancora i suoi modelli in Cina."


@pytest.fixture
def story():
    claim = ClaimFactory(
        statement="DeepSeek trains its models in China",
        status=ReviewStatus.DRAFT,
        verdict=Verdict.UNRATED,
    )
    AppearanceFactory(claim=claim)  # its evidence elsewhere, in Italian with a translation
    huawei = ClaimFactory(
        statement="Huawei works with DeepSeek on new semiconductors",
        status=ReviewStatus.DRAFT,
        verdict=Verdict.UNRATED,
    )
    AppearanceFactory(
        claim=huawei,
        quote="Huawei collabora con DeepSeek sui nuovi semiconduttori",
        translation="Huawei works with DeepSeek on new semiconductors",
    )
    article = ArticleFactory(text=TEXT, title="DeepSeek e la Cina")
    staff("redattrice", "Editor")
    return claim, article


def drag_select(page, start: int, end: int) -> None:
    """Press the mouse on the character at `start` and release it after the one before `end`."""
    box = page.evaluate(
        """([start, end]) => {
            const text = document.getElementById("desk-text");
            const chars = Array.from(text.textContent);
            function point(codePoint) {
                const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
                let left = codePoint, node;
                while ((node = walker.nextNode())) {
                    const units = Array.from(node.data);
                    if (left < units.length) return [node, units.slice(0, left).join("").length];
                    left -= units.length;
                }
            }
            function rect(codePoint) {
                const range = document.createRange();
                const [node, offset] = point(codePoint);
                range.setStart(node, offset);
                range.setEnd(node, offset + chars[codePoint].length);
                return range.getBoundingClientRect();
            }
            const first = rect(start), last = rect(end - 1);
            return {x1: first.left + 1, y1: first.top + first.height / 2,
                    x2: last.right - 1, y2: last.top + last.height / 2};
        }""",
        [start, end],
    )
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move((box["x1"] + box["x2"]) / 2, box["y2"], steps=5)
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()


def test_a_span_selected_with_the_mouse_is_linked_to_a_suggested_claim(
    live_server,
    in_chromium,  # noqa: F811
    story,
):
    claim, article = story
    start = TEXT.index("DeepSeek addestra")
    end = TEXT.index(" in Cina.")  # "DeepSeek addestra ancora i suoi modelli"
    shots = artifact_dir("screenshots")

    with chromium_page() as page:
        policy = PolicyWatch(page)
        sign_in(page, live_server, "redattrice")
        page.goto(live_server.url + f"/admin/factcheck/article/{article.pk}/desk/")
        page.locator("#desk-text").scroll_into_view_if_needed()
        drag_select(page, start, end)

        page.wait_for_selector("#desk-claim-choices input[type=radio]")
        assert page.text_content("#desk-span-quote") == TEXT[start:end]
        choice = page.locator("#desk-claim-choices label", has_text=claim.statement)
        choice.locator("input").check()
        page.select_option("#link_stance", Stance.SUPPORTS)
        page.screenshot(path=str(shots / "desk-selected-1280.png"), full_page=True)
        page.click("#desk-link-form input[type=submit]")
        page.wait_for_selector("#desk-linked")
        assert "Linked “DeepSeek addestra ancora i suoi modelli”" in page.text_content(
            ".messagelist"
        )
        page.screenshot(path=str(shots / "desk-linked-1280.png"), full_page=True)
        assert policy.violations() == []

    appearance = Appearance.objects.get(claim=claim, article=article)
    assert (appearance.start, appearance.end) == (start, end)
    assert appearance.quote.encode() == TEXT[start:end].encode()
    assert appearance.stance == Stance.SUPPORTS


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
                   return {id: e.id, move: e.dataset.move || "", cls: e.className,
                           type: e.type || "", value: e.value || "", text: e.textContent.slice(0, 80)}; }"""
    )


def tab_until(page, matches, *, limit: int = 80) -> dict:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if matches(element):
            return element
    raise AssertionError("Tab never reached the control")


def test_the_desk_works_with_the_keyboard_alone(live_server, in_chromium, story):  # noqa: F811
    claim, article = story
    start = TEXT.index(SENTENCE)
    shots = artifact_dir("screenshots")

    with chromium_page(width=375, height=800) as page:
        policy = PolicyWatch(page)
        sign_in(page, live_server, "redattrice")
        page.goto(live_server.url + f"/admin/factcheck/article/{article.pk}/desk/")

        tab_until(page, lambda e: "desk-passage" in e["cls"])  # the first passage
        page.keyboard.press("ArrowDown")
        assert focused(page)["text"].startswith("Secondo fonti interne")
        page.keyboard.press("Enter")  # selects the passage and lists its claims
        assert page.get_attribute("#passage-2", "aria-expanded") == "true"
        assert page.is_visible("#candidates-2") and not page.is_visible("#candidates-4")
        assert (
            page.text_content("#desk-span-quote")
            == TEXT[TEXT.index("Secondo") : start + len(SENTENCE)]
        )

        # Narrow it to the sentence's claim: start three words later, end one word earlier.
        tab_until(page, lambda e: e["move"] == "start-later")
        for _ in range(3):
            page.keyboard.press("Enter")
        tab_until(page, lambda e: e["move"] == "end-earlier")
        page.keyboard.press("Enter")
        expected = "DeepSeek addestra ancora i suoi modelli in"
        assert page.text_content("#desk-span-quote") == expected
        page.screenshot(path=str(shots / "desk-keyboard-375.png"), full_page=True)
        page.keyboard.press("Escape")  # back to the passage, the selection kept
        assert focused(page)["text"].startswith("Secondo fonti interne")
        assert page.text_content("#desk-span-quote") == expected

        tab_until(page, lambda e: e["type"] == "radio")
        page.keyboard.press("Space")
        tab_until(page, lambda e: e["id"] == "link_stance")
        page.keyboard.press("ArrowDown")  # from supports to refutes
        assert page.input_value("#link_stance") == Stance.REFUTES
        tab_until(page, lambda e: e["type"] == "submit")
        page.keyboard.press("Enter")
        page.wait_for_selector("#desk-linked")
        page.screenshot(path=str(shots / "desk-linked-375.png"), full_page=True)
        assert policy.violations() == []

    appearance = Appearance.objects.get(claim=claim, article=article)
    assert appearance.quote == expected == TEXT[appearance.start : appearance.end]
    assert appearance.start == start
    assert appearance.stance == Stance.REFUTES


def test_a_claim_found_by_search_is_linked_and_a_new_claim_starts_from_a_span(
    live_server,
    in_chromium,  # noqa: F811
    story,
):
    _, article = story
    other = ClaimFactory(
        statement="Milan had good weather on Monday",
        status=ReviewStatus.DRAFT,
        verdict=Verdict.UNRATED,
    )
    start = TEXT.index("Il tempo a Milano")
    end = start + len("Il tempo a Milano è bello")

    with chromium_page() as page:
        policy = PolicyWatch(page)
        sign_in(page, live_server, "redattrice")
        page.goto(live_server.url + f"/admin/factcheck/article/{article.pk}/desk/")
        with page.expect_response(lambda response: "/desk/suggestions/" in response.url) as asked:
            drag_select(page, start, end)
        assert asked.value.status == 200
        assert asked.value.json()["start"] == start and asked.value.json()["end"] == end
        page.fill("#desk-claim-search", "Milan had")
        page.wait_for_selector("#desk-claim-results [role=option]")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        assert page.is_checked(f"#desk-claim-choices input[value='{other.pk}']")
        page.click("#desk-link-form input[type=submit]")
        page.wait_for_selector("#desk-linked")

        drag_select(page, TEXT.index("Huawei lavora"), len(TEXT))
        page.click("#desk-new-claim summary")
        page.fill("#new_statement", "Huawei and DeepSeek develop chips together")
        page.click("#desk-new-claim-form input[type=submit]")
        page.wait_for_selector("#desk-linked")
        assert "Created the draft claim" in page.text_content(".messagelist")
        assert policy.violations() == []

    assert Appearance.objects.get(claim=other).quote == "Il tempo a Milano è bello"
    created = Appearance.objects.get(claim__statement="Huawei and DeepSeek develop chips together")
    assert created.quote == "Huawei lavora con DeepSeek sui semiconduttori."
    assert created.claim.status == ReviewStatus.DRAFT


def test_the_desk_has_no_serious_accessibility_violations_and_is_valid_html(
    live_server,
    in_chromium,  # noqa: F811
    story,
):
    require(AXE_SCRIPT.is_file(), str(AXE_SCRIPT))
    require_java_and_vnu()
    _, article = story
    url = live_server.url + f"/admin/factcheck/article/{article.pk}/desk/"
    found = []
    # axe-core is injected as an inline script, which the site's policy rightly refuses.
    with chromium_page(bypass_csp=True) as page:
        sign_in(page, live_server, "redattrice")
        page.goto(url)
        html = page.content()
        for state in ("opened", "selected"):
            if state == "selected":
                page.focus("#passage-2")
                page.keyboard.press("Enter")
            page.add_script_tag(path=str(AXE_SCRIPT))
            result = page.evaluate("async () => await axe.run(document)")
            found += [
                f"{state}: {violation['id']} ({violation['impact']}) "
                f"{[node['target'] for node in violation['nodes']][:3]}"
                for violation in result["violations"]
                if violation["impact"] in ("serious", "critical")
            ]
        page.goto(url)
        served = page.evaluate("async () => (await fetch(location.href)).text()")
    assert not found, "\n".join(found)
    assert "desk-text" in html

    path = artifact_dir("html") / "admin-desk.html"
    path.write_text(served)
    run = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr or run.stdout or '{"messages": []}')
    errors = [
        f"{message.get('lastLine')}: {message.get('message')}"
        for message in report["messages"]
        if message.get("type") in ("error", "non-document-error")
        # Deliberate: the only way to keep a carriage return of the text in the DOM (the
        # parser turns a literal one into a line feed), and the spec defines the result.
        and "expanded to carriage return" not in message.get("message", "")
    ]
    assert not errors, "\n".join(errors)
