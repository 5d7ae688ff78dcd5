"""Editors do the whole job in the admin: every page renders and saves, bad input is refused."""

import re

import pytest
from django.urls import reverse

from factcheck.models import AgreementLabel, Appearance, Article, Claim, Contradiction, Outlet
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
    OutletFactory,
)

pytestmark = pytest.mark.django_db

MODELS = [Outlet, Article, Claim, Appearance, Contradiction]


def admin_url(model, view, *args):
    return reverse(f"admin:factcheck_{model._meta.model_name}_{view}", args=args)


def inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


@pytest.fixture
def corpus(retellings):
    appearance = AppearanceFactory(article=retellings[0])
    ContradictionFactory(claim_a=appearance.claim)
    return appearance


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_list_add_and_change_pages_render(admin_client, corpus, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200
    for obj in model.objects.all():
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200, obj


@pytest.mark.parametrize(
    "query",
    [
        {"q": "checkable"},
        {"status__exact": "published"},
        {"verdict__exact": "mostly_true"},
        {"agreement_label__exact": "single_origin"},
        {"appearances__stance__exact": "supports"},
        {"language": "it"},
    ],
)
def test_claim_list_filters_and_search(admin_client, corpus, query):
    # Differs from the corpus claim in every filtered field, so each filter must drop it.
    other = AppearanceFactory(
        claim=ClaimFactory(
            statement="Huawei designs its own chips", status="in_review", verdict="false"
        ),
        article=ArticleFactory(language="en"),
        stance="refutes",
        translation="",
    ).claim
    response = admin_client.get(admin_url(Claim, "changelist"), query)
    assert response.status_code == 200
    listed = {claim.pk for claim in response.context["cl"].result_list}
    assert corpus.claim.pk in listed
    assert other.pk not in listed


def test_claim_page_shows_the_agreement_breakdown(admin_client, corpus):
    response = admin_client.get(admin_url(Claim, "change", corpus.claim.pk))
    body = response.content.decode()
    assert "Why this label" in body
    assert "Only one independent origin supports the claim" in body


def test_outlet_add_saves(admin_client):
    response = admin_client.post(
        admin_url(Outlet, "add"),
        {"name": "Benzinga Italia", "slug": "benzinga-italia", "kind": "digital", "language": "it"},
    )
    assert response.status_code == 302
    assert Outlet.objects.get(slug="benzinga-italia").kind == "digital"


def article_form(outlet, **overrides):
    data = {
        "title": "Titolo",
        "outlet": outlet.pk,
        "language": "it",
        "published_on": "2025-11-01",
        "date_precision": "month",
        "is_archived": "on",
        "text": "DeepSeek addestra i suoi modelli in Cina grazie alle scorte di chip Nvidia.",
        **inline_management("appearances"),
    }
    data.update(overrides)
    return data


def add_article_quoting(admin_client, claim, quote: str):
    data = article_form(
        OutletFactory(),
        **inline_management("appearances", total=1),
        **{
            "appearances-0-claim": claim.pk,
            "appearances-0-quote": quote,
            "appearances-0-stance": "supports",
        },
    )
    return admin_client.post(admin_url(Article, "add"), data)


def test_article_add_with_an_inline_appearance_saves_and_computes_agreement(admin_client):
    claim = ClaimFactory()
    response = add_article_quoting(admin_client, claim, "DeepSeek addestra i suoi modelli in Cina")
    assert response.status_code == 302, response.context["errors"]
    article = Article.objects.get(title="Titolo")
    assert article.origin == article
    appearance = article.appearances.get()
    assert article.text[appearance.start : appearance.end] == appearance.quote
    assert Claim.objects.get(pk=claim.pk).agreement_label == AgreementLabel.SINGLE_ORIGIN


def test_inline_quote_that_is_not_in_the_text_is_refused(admin_client):
    response = add_article_quoting(
        admin_client, ClaimFactory(), "DeepSeek addestra i modelli in Cina"
    )
    assert response.status_code == 200
    assert "not a verbatim span of the article text" in response.content.decode()
    assert not Article.objects.filter(title="Titolo").exists()


def test_appearance_form_refuses_a_quote_with_the_closest_passage(admin_client):
    article, claim = ArticleFactory(), ClaimFactory()
    response = admin_client.post(
        admin_url(Appearance, "add"),
        {
            "claim": claim.pk,
            "article": article.pk,
            "quote": "Huawei collabora con Deepseek",
            "stance": "supports",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "not a verbatim span of the article text" in body
    assert "Closest passage: “Huawei collabora con DeepSeek”" in body
    assert not Appearance.objects.exists()


def test_appearance_form_saves_and_refreshes_agreement(admin_client):
    article, claim = ArticleFactory(), ClaimFactory()
    response = admin_client.post(
        admin_url(Appearance, "add"),
        {
            "claim": claim.pk,
            "article": article.pk,
            "quote": "Huawei collabora",
            "stance": "refutes",
        },
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).agreement_label == AgreementLabel.REFUTED


def test_article_text_correction_inside_a_quote_is_saved_and_flags_the_quote(admin_client, corpus):
    # This correction used to be refused because it changes a stored quote.
    article = corpus.article
    new_text = article.text.replace("DeepSeek addestra", "DeepSeek allena")
    url = admin_url(Article, "change", article.pk)
    data = change_form_data(admin_client, url, text=new_text)
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, response.context["errors"]
    assert Article.objects.get(pk=article.pk).text == new_text
    appearance = Appearance.objects.get(pk=corpus.pk)
    assert appearance.anchor_status == "needs_check"
    assert appearance.quote == "DeepSeek allena i suoi modelli in Cina"
    assert new_text[appearance.start : appearance.end] == appearance.quote
    assert "1 updated to corrected words and waiting for a check" in response.content.decode()


def test_claim_change_saves(admin_client, corpus):
    claim = corpus.claim
    url = admin_url(Claim, "change", claim.pk)
    data = change_form_data(
        admin_client,
        url,
        statement=claim.statement + " (edited)",
        verdict="mixed",
        correction_note="A second report qualifies the first.",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    claim.refresh_from_db()
    assert claim.verdict == "mixed"
    assert claim.statement.endswith("(edited)")
    assert claim.version == 2


def test_contradiction_add_refuses_the_reversed_duplicate(admin_client, corpus):
    existing = Contradiction.objects.get()
    response = admin_client.post(
        admin_url(Contradiction, "add"),
        {
            "claim_a": existing.claim_b_id,
            "claim_b": existing.claim_a_id,
            "kind": "direct",
            "status": "open",
            "explanation": "Same pair, other way round",
        },
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert Contradiction.objects.count() == 1


def test_deleting_an_article_with_appearances_shows_the_evidence_and_keeps_it(admin_client, corpus):
    url = admin_url(Article, "delete", corpus.article_id)
    confirmation = admin_client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in confirmation
    assert str(corpus) in confirmation.replace("&quot;", '"').replace("&#x27;", "'")
    admin_client.post(url, {"post": "yes"})
    assert Article.objects.filter(pk=corpus.article_id).exists()
    assert Appearance.objects.filter(pk=corpus.pk).exists()


def test_bulk_delete_of_appearances_refreshes_agreement(admin_client, corpus):
    response = admin_client.post(
        admin_url(Appearance, "changelist"),
        {"action": "delete_selected", "_selected_action": [corpus.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=corpus.claim_id).appearance_count == 0


def changelist_statements(response) -> set[str]:
    return {claim.statement for claim in response.context["cl"].result_list}


def test_claim_list_filters_by_quoting_outlet_and_language(admin_client):
    italian, english = OutletFactory(name="Il Giornale"), OutletFactory(name="The Guardian")
    quoted_by_italian = AppearanceFactory(article=ArticleFactory(outlet=italian)).claim
    quoted_by_english = AppearanceFactory(
        article=ArticleFactory(outlet=english, language="en"), translation=""
    ).claim
    # Quoted twice by the same outlet: listed once.
    AppearanceFactory(claim=quoted_by_italian, article=ArticleFactory(outlet=italian))
    ClaimFactory(statement="Quoted nowhere")
    url = admin_url(Claim, "changelist")

    response = admin_client.get(url, {"outlet": italian.pk})
    assert [claim.statement for claim in response.context["cl"].result_list] == [
        quoted_by_italian.statement
    ]
    assert changelist_statements(admin_client.get(url, {"outlet": english.pk})) == {
        quoted_by_english.statement
    }
    assert changelist_statements(admin_client.get(url, {"language": "en"})) == {
        quoted_by_english.statement
    }
    assert len(changelist_statements(admin_client.get(url))) == 3
    # Outlets are found by name; every language articles are written in is offered.
    body = admin_client.get(url, {"outlet_name": "giornale"}).content.decode()
    assert f"outlet={italian.pk}" in body and f"outlet={english.pk}" not in body
    assert "?language=en" in body and "?language=it" in body
    # Searching narrows the choices, not the claims.
    assert len(changelist_statements(admin_client.get(url, {"outlet_name": "giornale"}))) == 3


def test_the_outlet_filter_lists_only_what_was_searched(admin_client):
    outlets = [OutletFactory(name=f"Testata {n:02}") for n in range(30)]
    chosen = outlets[0]
    OutletFactory(name="Altro giornale")
    url = admin_url(Claim, "changelist")

    unsearched = admin_client.get(url).content.decode()
    assert "?outlet=" not in unsearched
    assert 'name="outlet_name"' in unsearched

    searched = admin_client.get(url, {"outlet_name": "testata", "verdict": "false"})
    body = searched.content.decode()
    assert body.count("outlet=") - body.count("outlet_name=") <= 21
    assert "More outlets match" in body and "Altro giornale" not in body
    # The other filters are kept by the search form, and the choice links.
    assert '<input type="hidden" name="verdict" value="false">' in body

    picked = admin_client.get(url, {"outlet": chosen.pk}).content.decode()
    assert f'<li class="selected">\n    <a href="?outlet={chosen.pk}">{chosen.name}</a>' in picked


def test_claim_list_rows_carry_the_action_checkbox_and_change_link(admin_client):
    claim = ClaimFactory(statement="Nvidia <sells> chips")
    body = admin_client.get(admin_url(Claim, "changelist")).content.decode()
    assert (
        f'<a href="{admin_url(Claim, "change", claim.pk)}">Nvidia &lt;sells&gt; chips</a>' in body
    )
    assert (
        f'<input type="checkbox" name="_selected_action" value="{claim.pk}" '
        'class="action-select" aria-label="Select this object for an action - '
        'Nvidia &lt;sells&gt; chips">'
    ) in body


@pytest.mark.parametrize(
    "query",
    [{}, {"status__exact": "published", "o": "3"}, {"o": "-6.2"}, {"q": "chips"}],
    ids=["plain", "filtered-sorted", "sorted-by-count", "searched"],
)
def test_claim_list_rows_are_written_as_django_writes_them(admin_client, query):
    """The claim list writes its own rows (ClaimChangeList.result_rows); they must be the
    rows Django's items_for_result writes, cell for cell, with the filters kept in links."""
    from unittest import mock

    from factcheck.admin.claims import ClaimChangeList

    ClaimFactory(statement="Nvidia <sells> chips", status="published", verdict="false")
    ClaimFactory(statement="No score yet", agreement_score=None)
    ClaimFactory(statement="Chips & co", agreement_score=0.5, appearance_count=1234)
    url = admin_url(Claim, "changelist")
    written = []
    original = ClaimChangeList.result_rows

    def spy(changelist):
        rows = original(changelist)
        written.append(rows is not None)
        return rows

    def without_csrf(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    with mock.patch.object(ClaimChangeList, "result_rows", spy):
        ours = without_csrf(admin_client.get(url, query))
    with mock.patch.object(ClaimChangeList, "result_rows", lambda changelist: None):
        djangos = without_csrf(admin_client.get(url, query))
    assert written == [True]
    assert ours == djangos


def test_claim_list_leaves_popup_rows_to_django(admin_client):
    from factcheck.admin.claims import ClaimChangeList

    ClaimFactory()
    response = admin_client.get(admin_url(Claim, "changelist"), {"_popup": "1"})
    assert response.status_code == 200
    assert isinstance(response.context["cl"], ClaimChangeList)
    assert response.context["cl"].result_rows() is None
