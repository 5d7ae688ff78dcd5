"""An Editor corrects an article in Chromium: the save goes through, the quotes wait for them."""

import pytest

from factcheck.models import AnchorStatus, Appearance, ReviewStatus
from factcheck.tests.browser import artifact_dir, chromium_page
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory
from factcheck.tests.reader_data import publish
from factcheck.tests.test_browser_admin import in_chromium, sign_in, staff  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = (
    "Il governo ha confermato il piano per i semiconduttori. "
    "Secondo fonti anonime, Nvidia spedisce i chip in Malesia di nascosto. "
    "Gli analisti prevedono nuove regole entro l'ano."
)


def test_an_editor_corrects_a_text_and_finds_its_quotes_in_the_review_queue(
    live_server,
    in_chromium,  # noqa: F811
):
    article = ArticleFactory(text=TEXT)
    claim = ClaimFactory(status=ReviewStatus.DRAFT, statement="Nvidia ships chips secretly")
    lost = AppearanceFactory(claim=claim, article=article, quote="Nvidia spedisce i chip")
    typo = AppearanceFactory(claim=claim, article=article, quote="nuove regole entro l'ano")
    publish(claim)
    staff("redattrice", "Editor")
    shots = artifact_dir("screenshots")

    with chromium_page() as page:
        sign_in(page, live_server, "redattrice")
        page.goto(live_server.url + f"/admin/factcheck/article/{article.pk}/change/")
        corrected = TEXT.replace(
            "Secondo fonti anonime, Nvidia spedisce i chip in Malesia di nascosto. ", ""
        ).replace("l'ano", "l'anno")
        page.fill("#id_text", corrected)
        page.click("input[name=_save]")
        page.wait_for_load_state()
        assert "1 updated to corrected words and waiting for a check, 1 orphaned" in (
            page.content()
        )
        page.screenshot(path=str(shots / "admin-correction-saved.png"))

        page.goto(live_server.url + "/admin/factcheck/claim/review-queue/")
        page.locator("#orphaned-quotes").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "admin-review-queue-quotes.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=str(shots / "admin-review-queue-quotes-phone.png"), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})

        page.get_by_role("link", name="Check them in the list").click()
        page.wait_for_load_state()
        page.check(f"input[name=_selected_action][value='{typo.pk}']")
        page.select_option("select[name=action]", "mark_checked")
        page.click("button[name=index]")
        page.wait_for_load_state()
        assert "Checked 1 quote(s)." in page.content()
        page.screenshot(path=str(shots / "admin-quotes-checked.png"))

    statuses = dict(Appearance.objects.values_list("pk", "anchor_status"))
    assert statuses == {lost.pk: AnchorStatus.ORPHANED, typo.pk: AnchorStatus.ANCHORED}
    assert Appearance.objects.get(pk=typo.pk).quote == "nuove regole entro l'anno"
