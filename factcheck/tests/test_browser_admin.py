"""The admin in Chromium, as an Editor and a Reviewer use it."""

import pytest
from django.contrib.auth.models import Group, User

from factcheck import workflow
from factcheck.models import Appearance, ChangeStatus, EvidenceChange, ReviewStatus, Verdict
from factcheck.tests.browser import artifact_dir, chromium_page, require_chromium
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def in_chromium(monkeypatch):
    # Playwright's sync API runs an event loop here; the database is read outside it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    require_chromium()


PARAGRAPHS = "La prima frase chiude il paragrafo.\n\nLa seconda apre il successivo e continua."


def staff(name: str, group: str) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "a-long-passphrase", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def add_appearance(page, live_server, *, claim, article, quote: str, stance: str) -> None:
    page.goto(
        live_server.url + f"/admin/factcheck/appearance/add/?claim={claim.pk}&article={article.pk}"
    )
    page.fill("#id_quote", quote)
    page.select_option("#id_stance", stance)
    page.click("input[name=_save]")
    page.wait_for_load_state()


def test_a_quote_typed_across_a_paragraph_break_is_saved(live_server, in_chromium):
    claim = ClaimFactory(status=ReviewStatus.DRAFT, verdict=Verdict.UNRATED)
    article = ArticleFactory(text=PARAGRAPHS)
    staff("redattrice", "Editor")

    with chromium_page() as page:
        sign_in(page, live_server, "redattrice")
        # Typed with Enter between the paragraphs: the browser submits CRLF.
        quote = "chiude il paragrafo.\n\nLa seconda apre"
        add_appearance(
            page, live_server, claim=claim, article=article, quote=quote, stance="supports"
        )
        assert page.url == live_server.url + "/admin/factcheck/appearance/"
        page.screenshot(path=str(artifact_dir("screenshots") / "admin-quote-saved.png"))

    appearance = Appearance.objects.get(claim=claim)
    assert appearance.quote == "chiude il paragrafo.\n\nLa seconda apre"
    assert PARAGRAPHS[appearance.start : appearance.end] == appearance.quote


def test_a_reviewer_accepts_held_evidence_on_the_review_screen(live_server, in_chromium):
    claim = ClaimFactory(status=ReviewStatus.IN_REVIEW, verdict=Verdict.TRUE)
    AppearanceFactory(claim=claim)
    workflow.claim_transition(claim=claim, name="publish", user=None)
    article = ArticleFactory(text="Fonti interne: DeepSeek non addestra i suoi modelli in Cina.")
    staff("redattore", "Editor")
    staff("revisora", "Reviewer")
    shots = artifact_dir("screenshots")

    with chromium_page() as page:
        sign_in(page, live_server, "redattore")
        quote = "DeepSeek non addestra i suoi modelli in Cina"
        add_appearance(
            page, live_server, claim=claim, article=article, quote=quote, stance="refutes"
        )
        assert "wait for a Reviewer" in page.content()
        page.context.clear_cookies()

        sign_in(page, live_server, "revisora")
        page.goto(live_server.url + "/admin/factcheck/claim/review-queue/")
        assert page.get_by_text("Conflicts with the verdict:").first.is_visible()
        page.screenshot(path=str(shots / "admin-review-queue.png"), full_page=True)
        page.get_by_role("link", name=claim.statement).first.click()
        page.wait_for_load_state()
        page.screenshot(path=str(shots / "admin-evidence-review.png"), full_page=True)
        page.set_viewport_size({"width": 375, "height": 800})
        page.screenshot(path=str(shots / "admin-evidence-review-phone.png"), full_page=True)
        page.click("input[name=_accept]")
        page.wait_for_load_state()
        assert "Accepted 1 change(s)" in page.content()

    assert EvidenceChange.objects.get().status == ChangeStatus.ACCEPTED
    assert claim.appearances.count() == 2
