"""Transparency pages: the corrections log, the methodology from the code's own scales, and
the organisation's pages, shown as text and retired from the cache when edited."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core.management import call_command
from django.urls import reverse

from factcheck import agreement, services, transparency, workflow
from factcheck.models import AgreementLabel, Correction, Verdict
from factcheck.models import claims as claim_models
from factcheck.tests.factories import ClaimFactory
from factcheck.tests.test_views import body

pytestmark = pytest.mark.django_db

LOG = reverse("factcheck:corrections_log")
METHODOLOGY = reverse("factcheck:methodology")


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed_corpus", verbosity=0)


def correct(claim, note, verdict="false"):
    claim.verdict = verdict
    services.claim_save(claim=claim, correction_note=note)
    return claim


# --- Corrections log -------------------------------------------------------------------


def test_the_log_lists_the_seed_corpus_corrections(client, seed):
    corrections = Correction.objects.select_related("claim")
    assert corrections.count() == 2
    content = body(client.get(LOG))
    for correction in corrections:
        assert correction.note in content
        assert f'href="{correction.claim.get_absolute_url()}#correction-{correction.pk}"' in content
    # and the anchor it links to is on the claim page
    correction = corrections.first()
    page = body(client.get(correction.claim.get_absolute_url()))
    assert f'id="correction-{correction.pk}"' in page


def test_corrections_and_retractions_newest_first_hidden_claims_left_out(client):
    first = correct(ClaimFactory(), "First correction")
    retracted = ClaimFactory()
    workflow.claim_transition(claim=retracted, name="retract", user=None, note="Retraction note")
    correct(first, "Second correction", verdict="mixed")
    reopened = correct(ClaimFactory(), "Correction of a reopened claim")
    workflow.claim_transition(claim=reopened, name="retract", user=None, note="Hidden retraction")
    workflow.claim_transition(claim=reopened, name="reopen", user=None)
    content = body(client.get(LOG))
    positions = [
        content.index(text) for text in ("Second correction", "Retraction note", "First correction")
    ]
    assert positions == sorted(positions)
    assert "Hidden retraction" not in content
    assert "Correction of a reopened claim" not in content
    assert reopened.statement not in content


def test_the_log_is_paginated_with_constant_queries(client, django_assert_num_queries):
    claims = [ClaimFactory() for _ in range(3)]
    for claim in claims:
        correct(claim, f"Note for {claim.pk}")
    page_size = transparency.CORRECTIONS_PER_PAGE
    transparency.CORRECTIONS_PER_PAGE = 2
    try:
        # the stamp (page cache), the count, the page's keys, its corrections (a page with
        # no retraction on it skips reading retractions)
        with django_assert_num_queries(4):
            first = body(client.get(LOG))
        second = body(client.get(LOG, {"page": 2}))
    finally:
        transparency.CORRECTIONS_PER_PAGE = page_size
    assert f"Note for {claims[2].pk}" in first and f"Note for {claims[0].pk}" not in first
    assert f"Note for {claims[0].pk}" in second
    assert 'rel="next"' in first


@pytest.mark.parametrize("page", ["0", "-1", "999", "x", "1e9", "%00"])
def test_hostile_page_numbers_get_a_page_not_a_500(client, page):
    correct(ClaimFactory(), "A note")
    assert client.get(LOG, {"page": page}).status_code in (200, 400)


# --- Methodology ----------------------------------------------------------------------


def test_the_methodology_shows_the_scales_in_the_code(client):
    content = body(client.get(METHODOLOGY))
    for verdict in Verdict:
        if verdict != Verdict.UNRATED:
            assert str(verdict.label) in content
    for label in AgreementLabel:
        assert str(label.label) in content
        assert str(agreement.LABEL_REASONS[label]) in content
    assert "Not yet rated" not in content


def test_the_methodology_reads_nothing_from_the_database(client, django_assert_num_queries):
    # Uncached on purpose (it follows the code, not the content stamp), so it must be free.
    with django_assert_num_queries(0):
        assert client.get(METHODOLOGY).status_code == 200


def test_the_methodology_changes_when_the_scale_in_the_code_changes(client, monkeypatch):
    before = body(client.get(METHODOLOGY))
    assert '<tr class="verdict-mixed"><th scope="row">Mixed</th><td>3</td></tr>' in before
    monkeypatch.setitem(claim_models.VERDICT_SCALE, Verdict.MIXED, None)
    monkeypatch.setitem(
        agreement.LABEL_REASONS, AgreementLabel.REFUTED, "A changed rule for refuted claims."
    )
    monkeypatch.setattr(agreement, "QUALIFYING_WEIGHT", 0.25)
    after = body(client.get(METHODOLOGY))
    assert (
        '<tr class="verdict-mixed"><th scope="row">Mixed</th><td>not on the scale</td></tr>'
        in after
    )
    assert "A changed rule for refuted claims." in after
    assert "(supporting + 0.25 × qualifying − refuting)" in after
    # the worked examples are computed by the code, so they follow the weight: (1 + ¼) / 3
    assert "<td>0.42</td>" in after and "<td>0.42</td>" not in before


# --- The organisation's pages ---------------------------------------------------------


@pytest.mark.parametrize("name", list(transparency.ABOUT_PAGES))
def test_the_four_pages_exist_and_are_linked_from_every_reader_page(client, name):
    page = client.get(reverse("factcheck:about_page", args=[name]))
    assert page.status_code == 200
    assert transparency.ABOUT_PAGES[name] in body(page)
    home = body(client.get(reverse("factcheck:home")))
    assert f'href="{reverse("factcheck:about_page", args=[name])}"' in home
    assert f'href="{METHODOLOGY}"' in home and f'href="{LOG}"' in home


def test_page_text_is_shown_as_text_never_as_markup(client):
    page = FlatPage.objects.get(url="/about/contact/")
    page.title = "Contact <b>us</b>"
    page.content = 'Write to us.\n\n<script>alert(1)</script> <a href="javascript:x">x</a> https://example.org/contact'
    page.save()
    content = body(client.get(reverse("factcheck:about_page", args=["contact"])))
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert 'href="javascript:x"' not in content
    assert "Contact &lt;b&gt;us&lt;/b&gt;" in content
    assert '<a href="https://example.org/contact" rel="nofollow">' in content


def test_an_edit_retires_the_cached_page(client, committed):
    url = reverse("factcheck:about_page", args=["funding"])
    assert "Who funds this work" in body(client.get(url))
    with committed():
        page = FlatPage.objects.get(url="/about/funding/")
        page.content = "We are funded by our readers."
        page.save()
    assert "We are funded by our readers." in body(client.get(url))


def test_unknown_or_hostile_page_names_are_404(client):
    assert client.get("/about/nothing/").status_code == 404
    assert client.get("/about/../admin/").status_code == 404
    FlatPage.objects.create(url="/about/private/", title="Private", content="Not listed")
    assert client.get("/about/private/").status_code == 404


def test_reviewers_edit_the_pages_in_the_admin_without_a_template_choice(client):
    from factcheck.tests.roles import make_user

    client.force_login(make_user("reviewer"))
    page = FlatPage.objects.get(url="/about/funding/")
    change = reverse("admin:flatpages_flatpage_change", args=[page.pk])
    form = client.get(change)
    assert form.status_code == 200
    assert b'name="template_name"' not in form.content
    response = client.post(
        change,
        {"url": page.url, "title": "Funding", "content": "Readers fund us.", "sites": [1]},
    )
    assert response.status_code == 302
    assert FlatPage.objects.get(pk=page.pk).content == "Readers fund us."
    editor = make_user("editor")
    client.force_login(editor)
    assert client.get(change).status_code == 403
