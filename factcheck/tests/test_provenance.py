"""Provenance suggestions: found by the machine, stored once, decided by an editor in one
click, recorded in history, never applied on their own."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck import services
from factcheck.models import (
    Article,
    ChangeKind,
    EvidenceChange,
    Outlet,
    ProvenanceSuggestion,
    Relation,
    SuggestionKind,
    SuggestionStatus,
)
from factcheck.services.provenance import (
    article_suggestions_refresh,
    suggestion_accept,
    suggestion_reject,
)
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, OutletFactory
from factcheck.tests.roles import EDITORS, ROLES, client_for, make_user
from factcheck.tests.test_duplicates import SEED_ARTICLE, reprint_of_000

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    call_command("loaddata", "seed_corpus", verbosity=0)


@pytest.fixture
def reprint(corpus):
    """An imported reprint of 000 on another site, not linked to anything yet."""
    original = Article.objects.get(pk=SEED_ARTICLE["000"])
    return ArticleFactory(
        text=reprint_of_000(original.text),
        outlet=OutletFactory(name="Il Rilancio", slug="il-rilancio"),
        title="Pechino manda l’intelligenza artificiale a studiare all’estero",
    )


def suggestion(article, kind):
    return ProvenanceSuggestion.objects.get(article=article, kind=kind)


def test_refresh_suggests_the_original_and_the_credited_outlet_once(reprint):
    found = article_suggestions_refresh(article=reprint)

    near = suggestion(reprint, SuggestionKind.NEAR_DUPLICATE)
    assert near.other_id == SEED_ARTICLE["000"]
    assert near.similarity >= 0.8
    assert near.shared and all(
        reprint.text[p["start"] : p["end"]]
        == Article.objects.get(pk=near.other_id).text[p["other_start"] : p["other_end"]]
        for p in near.shared
    )
    credit = suggestion(reprint, SuggestionKind.CREDIT)
    assert credit.outlet.name == "Financial Times"
    assert reprint.text[credit.start : credit.end] == credit.phrase == "scrive il Financial Times"
    assert {item.pk for item in found} == {near.pk, credit.pk}
    # Nothing is applied by finding it.
    assert Article.objects.get(pk=reprint.pk).retells_id is None

    article_suggestions_refresh(article=reprint)
    assert ProvenanceSuggestion.objects.filter(article=reprint).count() == 2


def test_retells_links_the_article_and_records_who_decided(reprint):
    editor = make_user("editor")
    article_suggestions_refresh(article=reprint)
    near = suggestion(reprint, SuggestionKind.NEAR_DUPLICATE)

    suggestion_accept(suggestion=near, user=editor, relation=Relation.RETELLS)

    article = Article.objects.get(pk=reprint.pk)
    assert article.retells_id == SEED_ARTICLE["000"]
    assert article.origin.outlet.name == "Financial Times"  # 000's origin, the FT report
    assert article.history.latest().history_user == editor
    near.refresh_from_db()
    assert (near.status, near.relation, near.decided_by) == (
        SuggestionStatus.ACCEPTED,
        Relation.RETELLS,
        editor,
    )
    assert near.upstream_id == SEED_ARTICLE["000"]
    history = near.history.order_by("history_date")
    assert [entry.status for entry in history] == [SuggestionStatus.OPEN, SuggestionStatus.ACCEPTED]
    assert history.last().history_user == editor
    # Now that the article's chain reaches the FT, the credit is withdrawn on a refresh.
    article_suggestions_refresh(article=article)
    assert not ProvenanceSuggestion.objects.filter(
        article=reprint, kind=SuggestionKind.CREDIT
    ).exists()


def test_same_origin_retells_the_others_origin(reprint):
    article_suggestions_refresh(article=reprint)
    near = suggestion(reprint, SuggestionKind.NEAR_DUPLICATE)

    suggestion_accept(suggestion=near, user=make_user("editor"), relation=Relation.SAME_ORIGIN)

    original = Article.objects.get(pk=SEED_ARTICLE["000"])
    article = Article.objects.get(pk=reprint.pk)
    assert article.retells_id == original.origin_id != original.pk
    assert article.origin_id == original.origin_id


def test_unrelated_is_recorded_and_not_proposed_again_either_way(reprint):
    article_suggestions_refresh(article=reprint)
    near = suggestion(reprint, SuggestionKind.NEAR_DUPLICATE)

    suggestion_accept(suggestion=near, user=make_user("editor"), relation=Relation.UNRELATED)

    near.refresh_from_db()
    assert (near.status, near.relation) == (SuggestionStatus.REJECTED, Relation.UNRELATED)
    assert Article.objects.get(pk=reprint.pk).retells_id is None
    article_suggestions_refresh(article=reprint)
    article_suggestions_refresh(article=Article.objects.get(pk=SEED_ARTICLE["000"]))
    assert not ProvenanceSuggestion.objects.filter(
        kind=SuggestionKind.NEAR_DUPLICATE, status=SuggestionStatus.OPEN
    ).exists()


def test_accepting_a_credit_creates_the_upstream_report_it_names(reprint):
    article_suggestions_refresh(article=reprint)
    credit = suggestion(reprint, SuggestionKind.CREDIT)
    reports_before = set(Article.objects.filter(is_archived=False).values_list("pk", flat=True))

    suggestion_accept(suggestion=credit, user=make_user("editor"))

    article = Article.objects.get(pk=reprint.pk)
    (created,) = Article.objects.filter(is_archived=False).exclude(pk__in=reports_before)
    assert article.retells == created == article.origin
    assert created.outlet.name == "Financial Times"
    assert (created.text, created.title, created.url, created.published_on) == ("", "", "", None)
    # Known of, not public: no reviewed claim stands on it.
    assert not Article.objects.public().filter(pk=created.pk).exists()


def test_accepting_a_credit_can_link_a_report_already_known(reprint):
    article_suggestions_refresh(article=reprint)
    credit = suggestion(reprint, SuggestionKind.CREDIT)
    ft_report = Article.objects.get(pk=1)
    wsj_report = Article.objects.get(pk=2)

    with pytest.raises(ValidationError, match="not a report by Financial Times"):
        suggestion_accept(suggestion=credit, user=make_user("editor"), upstream=wsj_report)
    assert ProvenanceSuggestion.objects.get(pk=credit.pk).is_open

    suggestion_accept(suggestion=credit, user=make_user("reviewer"), upstream=ft_report)
    assert Article.objects.get(pk=reprint.pk).origin == ft_report


def test_rejecting_a_credit_changes_nothing_but_the_suggestion(reprint):
    article_suggestions_refresh(article=reprint)
    credit = suggestion(reprint, SuggestionKind.CREDIT)
    count = Article.objects.count()

    suggestion_reject(suggestion=credit, user=make_user("editor"))

    assert Article.objects.count() == count
    assert Article.objects.get(pk=reprint.pk).retells_id is None
    assert ProvenanceSuggestion.objects.get(pk=credit.pk).status == SuggestionStatus.REJECTED
    article_suggestions_refresh(article=reprint)
    assert (
        ProvenanceSuggestion.objects.filter(article=reprint, kind=SuggestionKind.CREDIT).count()
        == 1
    )


def test_a_decided_suggestion_is_not_decided_again(reprint):
    article_suggestions_refresh(article=reprint)
    credit = suggestion(reprint, SuggestionKind.CREDIT)
    suggestion_reject(suggestion=credit, user=make_user("editor"))
    with pytest.raises(ValidationError, match="already rejected"):
        suggestion_accept(suggestion=credit, user=make_user("reviewer"))


def test_deciding_needs_the_permission(reprint):
    article_suggestions_refresh(article=reprint)
    near = suggestion(reprint, SuggestionKind.NEAR_DUPLICATE)
    staff = make_user("staff_without_group")
    with pytest.raises(PermissionDenied):
        suggestion_accept(suggestion=near, user=staff)
    with pytest.raises(PermissionDenied):
        suggestion_reject(suggestion=near, user=staff)
    assert ProvenanceSuggestion.objects.get(pk=near.pk).is_open
    assert Article.objects.get(pk=reprint.pk).retells_id is None


def test_a_link_that_would_loop_is_refused_and_the_suggestion_stays_open(reprint):
    original = Article.objects.get(pk=SEED_ARTICLE["000"])
    article_suggestions_refresh(article=original)
    # The original resembles the reprint; the reprint already retells the original.
    reprint.retells = original
    services.article_save(article=reprint, expected_version=reprint.version)
    ProvenanceSuggestion.objects.all().delete()
    stray = ProvenanceSuggestion.objects.create(
        article=original, kind=SuggestionKind.NEAR_DUPLICATE, other=reprint, similarity=0.9
    )

    with pytest.raises(ValidationError, match="cycle"):
        suggestion_accept(suggestion=stray, user=make_user("editor"), relation=Relation.RETELLS)
    assert ProvenanceSuggestion.objects.get(pk=stray.pk).is_open
    assert Article.objects.get(pk=original.pk).retells_id == 1


def test_a_link_moving_public_agreement_waits_for_a_reviewer(db):
    """Accepting goes through article_save, so the evidence review hold applies."""
    text = "Un testo di agenzia ripreso quasi identico da due siti diversi, parola per parola. " * 4
    wire = ArticleFactory(text=text + "DeepSeek addestra i suoi modelli in Cina")
    quoted = ArticleFactory(
        text="Titolo nuovo. " + text + "DeepSeek addestra i suoi modelli in Cina"
    )
    AppearanceFactory(article=quoted)  # a published claim stands on it
    article_suggestions_refresh(article=quoted)
    near = suggestion(quoted, SuggestionKind.NEAR_DUPLICATE)
    assert near.other_id == wire.pk

    suggestion_accept(suggestion=near, user=make_user("editor"), relation=Relation.RETELLS)

    assert Article.objects.get(pk=quoted.pk).retells_id is None
    held = EvidenceChange.objects.pending().get()
    assert (held.kind, held.proposed) == (ChangeKind.RETELLS, {"retells_id": wire.pk})
    assert ProvenanceSuggestion.objects.get(pk=near.pk).status == SuggestionStatus.ACCEPTED


# --- Admin ---------------------------------------------------------------------------


def article_page(client, article):
    return client.get(reverse("admin:factcheck_article_change", args=[article.pk]))


def decide_url(item):
    return reverse("admin:factcheck_provenancesuggestion_decide", args=[item.pk])


def test_the_article_page_shows_the_panel_and_one_click_decides(reprint):
    client = client_for("editor")
    article_suggestions_refresh(article=reprint)
    near = suggestion(reprint, SuggestionKind.NEAR_DUPLICATE)

    page = article_page(client, reprint).content.decode()
    assert "Provenance suggestions" in page
    assert decide_url(near) in page
    assert 'value="same_origin"' in page and 'value="unrelated"' in page
    assert "scrive il Financial Times" in page

    response = client.post(decide_url(near), {"decision": "retells"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:factcheck_article_change", args=[reprint.pk])
    assert Article.objects.get(pk=reprint.pk).retells_id == SEED_ARTICLE["000"]


def test_the_panel_buttons_link_a_known_report(reprint):
    client = client_for("editor")
    article_suggestions_refresh(article=reprint)
    credit = suggestion(reprint, SuggestionKind.CREDIT)
    page = article_page(client, reprint).content.decode()
    assert 'name="upstream" value="1"' in page  # the FT report the corpus knows

    client.post(decide_url(credit), {"upstream": "1"})
    assert Article.objects.get(pk=reprint.pk).retells_id == 1
    # A bad value is a message, not an error page.
    response = client.post(decide_url(credit), {"upstream": "x\x00"}, follow=True)
    assert response.status_code == 200


def test_the_panel_does_not_query_per_suggestion(reprint):
    client = client_for("editor")
    article_suggestions_refresh(article=reprint)
    with CaptureQueriesContext(connection) as few:
        article_page(client, reprint)
    for number in range(5):
        ProvenanceSuggestion.objects.create(
            article=reprint,
            kind=SuggestionKind.CREDIT,
            outlet=OutletFactory(name=f"Outlet extra {number}", slug=f"extra-{number}"),
            name="X",
            phrase="secondo X",
            start=0,
            end=9,
        )
    with CaptureQueriesContext(connection) as many:
        article_page(client, reprint)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_saving_the_article_in_the_admin_looks_for_its_provenance(reprint):
    client = client_for("editor")
    url = reverse("admin:factcheck_article_change", args=[reprint.pk])
    response = client.post(url, change_form_data(client, url, author="Redazione"))
    assert response.status_code == 302
    assert ProvenanceSuggestion.objects.filter(article=reprint).count() == 2


def decides_a_suggestion(client) -> bool:
    call_command("loaddata", "seed_corpus", verbosity=0)
    original = Article.objects.get(pk=SEED_ARTICLE["000"])
    article = ArticleFactory(text=reprint_of_000(original.text))
    article_suggestions_refresh(article=article)
    near = suggestion(article, SuggestionKind.NEAR_DUPLICATE)
    client.post(decide_url(near), {"decision": "unrelated"})
    return not ProvenanceSuggestion.objects.get(pk=near.pk).is_open


def sees_suggestions(client) -> bool:
    call_command("loaddata", "seed_corpus", verbosity=0)
    article = ArticleFactory(text=reprint_of_000(Article.objects.get(pk=3).text))
    article_suggestions_refresh(article=article)
    listing = client.get(reverse("admin:factcheck_provenancesuggestion_changelist"))
    return listing.status_code == 200 and "resembles" in listing.content.decode()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "action", [decides_a_suggestion, sees_suggestions], ids=lambda a: a.__name__
)
def test_only_editors_see_and_decide_suggestions(role, action):
    assert action(client_for(role)) is EDITORS[role]


def test_readers_never_see_suggestions(reprint):
    article_suggestions_refresh(article=reprint)
    original = Article.objects.get(pk=SEED_ARTICLE["000"])
    page = Client().get(original.get_absolute_url()).content.decode()
    assert "suggestion" not in page.lower()
    assert "Il Rilancio" not in page
    assert Outlet.objects.filter(name="Il Rilancio").exists()
