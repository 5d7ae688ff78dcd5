"""A quote lost to a correction on every reader page (gone) and in the editors' admin (listed)."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import services
from factcheck.models import AnchorStatus, Appearance, Article, Claim, ReviewStatus, VerdictAlert
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
)
from factcheck.tests.reader_data import publish
from factcheck.tests.roles import client_for, make_user

pytestmark = pytest.mark.django_db

KEPT = "Il governo ha confermato il piano per i semiconduttori."
LOST = "Secondo fonti anonime, Nvidia spedisce i chip in Malesia di nascosto."
TYPO = "Gli analisti prevedono nuove regole entro l'ano."
TEXT = f"{KEPT} {LOST} {TYPO}"
LOST_QUOTE = "Nvidia spedisce i chip in Malesia"


@pytest.fixture
def corrected():
    """A claim quoted in two outlets, one of whose articles then loses the quoted passage."""
    first = ArticleFactory(
        outlet=OutletFactory(name="Il Quotidiano", slug="il-quotidiano"), text=TEXT
    )
    second = ArticleFactory(
        outlet=OutletFactory(name="La Gazzetta", slug="la-gazzetta"),
        text="Anche qui: Nvidia spedisce i chip in Malesia, scrive il giornale.",
    )
    smuggling = ClaimFactory(status=ReviewStatus.DRAFT, statement="Nvidia ships chips secretly")
    plan = ClaimFactory(status=ReviewStatus.DRAFT, statement="The government confirmed the plan")
    lost = AppearanceFactory(claim=smuggling, article=first, quote=LOST_QUOTE)
    AppearanceFactory(claim=smuggling, article=second, quote=LOST_QUOTE)
    AppearanceFactory(claim=plan, article=first, quote="il piano per i semiconduttori")
    typo = AppearanceFactory(claim=plan, article=first, quote="nuove regole entro l'ano")
    publish(smuggling), publish(plan)
    assert Claim.objects.get(pk=smuggling.pk).agreement_label == "corroborated"

    article = Article.objects.get(pk=first.pk)
    article.text = f"{KEPT} {TYPO.replace('ano', 'anno')}"
    editor = make_user("editor")
    services.article_save(article=article, user=editor)
    return {
        "editor": editor,
        "article": article,
        "lost": Appearance.objects.get(pk=lost.pk),
        "typo": Appearance.objects.get(pk=typo.pk),
        "smuggling": Claim.objects.get(pk=smuggling.pk),
        "plan": plan,
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_correction_orphans_one_quote_and_flags_the_other(corrected):
    assert corrected["lost"].anchor_status == AnchorStatus.ORPHANED
    assert corrected["typo"].anchor_status == AnchorStatus.NEEDS_CHECK
    assert corrected["typo"].quote == "nuove regole entro l'anno"


def test_lost_quote_is_on_no_reader_page(client, corrected):
    lost, claim, article = corrected["lost"], corrected["smuggling"], corrected["article"]
    mark = f'id="appearance-{lost.pk}"'
    claim_page = page(client, claim.get_absolute_url())
    assert claim_page.count(LOST_QUOTE) == 1  # the other outlet's quote is still there
    assert mark not in claim_page
    assert "Il Quotidiano" not in claim_page
    json_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', claim_page, re.S)
    described = json.dumps(json.loads(json_ld.group(1)), ensure_ascii=False)
    assert "La Gazzetta" in described and "Il Quotidiano" not in described
    article_page = page(client, article.get_absolute_url())
    assert mark not in article_page and claim.get_absolute_url() not in article_page
    outlet_page = page(client, article.outlet.get_absolute_url())
    assert claim.statement not in outlet_page
    assert corrected["plan"].statement in outlet_page
    listed = page(client, reverse("factcheck:claim_list"), outlet="il-quotidiano")
    assert claim.statement not in listed and corrected["plan"].statement in listed
    found = page(client, reverse("factcheck:search"), q="Malesia")
    assert article.get_absolute_url() not in found


def test_lost_quote_is_not_counted_and_the_moved_agreement_alerts_reviewers(corrected):
    claim = corrected["smuggling"]
    assert (claim.appearance_count, claim.agreement_label) == (1, "single_origin")
    alert = VerdictAlert.objects.open().get(claim=claim)
    assert "reviewed as “Corroborated”" in alert.reasons


def test_flagged_quote_is_shown_and_counted(client, corrected):
    typo = corrected["typo"]
    assert Claim.objects.get(pk=typo.claim_id).appearance_count == 2
    article_page = page(client, corrected["article"].get_absolute_url())
    assert f'id="appearance-{typo.pk}"' in article_page
    assert "nuove regole entro l&#x27;anno" in article_page or "entro l'anno" in article_page


def test_article_whose_only_quote_is_lost_leaves_the_reader_site(client, committed):
    article = ArticleFactory(text=TEXT)
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    publish(AppearanceFactory(claim=claim, article=article, quote=LOST_QUOTE).claim)
    assert client.get(article.get_absolute_url()).status_code == 200
    article = Article.objects.get(pk=article.pk)
    article.text = KEPT
    with committed():
        services.article_save(article=article)
    assert client.get(article.get_absolute_url()).status_code == 404
    assert not Article.objects.public().filter(pk=article.pk).exists()


def test_report_retold_only_through_a_lost_quote_leaves_the_reader_site(upstream_report):
    article = ArticleFactory(text=TEXT, retells=upstream_report)
    claim = ClaimFactory(status=ReviewStatus.DRAFT)
    publish(AppearanceFactory(claim=claim, article=article, quote=LOST_QUOTE).claim)
    assert Article.objects.public().filter(pk=upstream_report.pk).exists()
    article = Article.objects.get(pk=article.pk)
    article.text = KEPT
    services.article_save(article=article)
    assert not Article.objects.public().filter(pk__in=[article.pk, upstream_report.pk]).exists()


# --- The editors' side --------------------------------------------------------------------


def test_review_queue_lists_lost_and_flagged_quotes_with_links(corrected):
    body = page(signed_in(corrected["editor"]), reverse("admin:factcheck_claim_review_queue"))
    for key in ("lost", "typo"):
        address = reverse("admin:factcheck_appearance_change", args=[corrected[key].pk])
        assert f'href="{address}"' in body
    assert "Quotes lost to a correction of their article (1)" in body
    assert "Quotes updated by a correction, to check (1)" in body
    assert reverse("admin:factcheck_appearance_history", args=[corrected["typo"].pk]) in body


def test_review_queue_reads_flagged_quotes_in_a_fixed_number_of_queries(
    corrected, django_assert_num_queries
):
    client = signed_in(corrected["editor"])
    url = reverse("admin:factcheck_claim_review_queue")
    client.get(url)  # the session and permissions are read once
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(3):  # more corrected articles, each losing a quote
        article = ArticleFactory(text=TEXT)
        AppearanceFactory(article=article, quote=LOST_QUOTE)
        article = Article.objects.get(pk=article.pk)
        article.text = KEPT
        services.article_save(article=article)
    assert Appearance.objects.filter(anchor_status=AnchorStatus.ORPHANED).count() == 4
    with django_assert_num_queries(len(before)):
        body = page(client, url)
    assert "Quotes lost to a correction of their article (4)" in body


def test_appearance_list_filters_by_anchor_status(corrected):
    url = reverse("admin:factcheck_appearance_changelist")
    body = page(signed_in(corrected["editor"]), url, anchor_status__exact="orphaned")
    lost = reverse("admin:factcheck_appearance_change", args=[corrected["lost"].pk])
    typo = reverse("admin:factcheck_appearance_change", args=[corrected["typo"].pk])
    assert lost in body and typo not in body


def test_article_list_filters_articles_with_quotes_to_check(corrected):
    other = ArticleFactory(title="Un altro articolo")
    url = reverse("admin:factcheck_article_changelist")
    body = page(signed_in(corrected["editor"]), url, quote_anchor="needs_check")
    assert reverse("admin:factcheck_article_change", args=[corrected["article"].pk]) in body
    assert reverse("admin:factcheck_article_change", args=[other.pk]) not in body


def test_editor_marks_a_flagged_quote_checked_from_the_list(corrected):
    client = signed_in(corrected["editor"])
    response = client.post(
        reverse("admin:factcheck_appearance_changelist"),
        {
            "action": "mark_checked",
            "_selected_action": [corrected["typo"].pk, corrected["lost"].pk],
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Checked 1 quote(s)." in body
    assert "1 selected quote(s) were not flagged for a check" in body
    statuses = dict(Appearance.objects.values_list("pk", "anchor_status"))
    assert statuses[corrected["typo"].pk] == AnchorStatus.ANCHORED
    assert statuses[corrected["lost"].pk] == AnchorStatus.ORPHANED
    latest = Appearance.objects.get(pk=corrected["typo"].pk).history.first()
    assert latest.history_user.username == "editor"


def test_editor_anchors_an_orphan_again_by_editing_its_quote(corrected):
    lost = corrected["lost"]
    client = client_for("reviewer")  # the claim is public: a Reviewer's edit applies at once
    url = reverse("admin:factcheck_appearance_change", args=[lost.pk])
    response = client.post(
        url,
        {
            "claim": lost.claim_id,
            "article": lost.article_id,
            "quote": "nuove regole",
            "start": "",
            "stance": lost.stance,
            "attribution": lost.attribution,
            "translation": lost.translation,
            "editor_note": "",
            "expected_version": lost.version,
        },
    )
    assert response.status_code == 302
    anchored = Appearance.objects.get(pk=lost.pk)
    assert anchored.anchor_status == AnchorStatus.ANCHORED
    assert corrected["article"].text[anchored.start : anchored.end] == "nuove regole"
    assert Claim.objects.get(pk=lost.claim_id).appearance_count == 2
