"""What editors do in the admin lands through the services, exactly as typed, or is refused
with a message that keeps what they typed."""

import traceback
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from factcheck import services
from factcheck.models import (
    ARTICLE_TEXT_MAX_LENGTH,
    Appearance,
    Article,
    Claim,
    ContentStamp,
    Outlet,
    Stance,
)
from factcheck.page_cache import PendingRaise
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(f"admin:factcheck_{model._meta.model_name}_{view}", args=args)


def as_a_browser_sends(data: dict) -> dict:
    """Browsers submit every line break in a textarea as CRLF."""
    return {
        key: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for key, value in data.items()
    }


# --- Deleting ----------------------------------------------------------------------------


def test_an_article_nothing_quotes_can_be_deleted_and_its_history_is_kept(admin_client):
    article = ArticleFactory()
    assert article.origin_id == article.pk  # it is its own origin: that once blocked deletion

    page = admin_client.get(admin_url(Article, "delete", article.pk)).content.decode()
    assert "protected" not in page
    response = admin_client.post(admin_url(Article, "delete", article.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert Article.history.filter(id=article.pk, history_type="-").exists()


def test_deleting_evidence_is_refused_naming_what_depends_on_it(admin_client):
    appearance = AppearanceFactory()
    article = appearance.article

    page = admin_client.get(admin_url(Article, "delete", article.pk)).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert str(appearance) in page
    admin_client.post(admin_url(Article, "delete", article.pk), {"post": "yes"})
    assert Article.objects.filter(pk=article.pk).exists()

    with pytest.raises(services.records.ValidationError) as refused:
        services.record_delete(record=article)
    assert "appearance" in str(refused.value) and str(appearance.claim) in str(refused.value)
    outlet = article.outlet
    with pytest.raises(services.records.ValidationError, match="cannot be deleted"):
        services.record_delete(record=outlet)
    assert Outlet.objects.filter(pk=outlet.pk).exists()


# --- Line endings and control characters -------------------------------------------------


def test_an_unchanged_admin_save_leaves_every_seed_article_byte_identical(admin_client):
    call_command("loaddata", "seed_corpus", verbosity=0)
    archived = Article.objects.filter(is_archived=True)
    assert archived.count() >= 5
    assert any("\n" in article.text for article in archived)
    quotes_before = dict(Appearance.objects.values_list("pk", "quote"))
    for article in archived:
        url = admin_url(Article, "change", article.pk)
        response = admin_client.post(url, as_a_browser_sends(change_form_data(admin_client, url)))
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert Article.objects.get(pk=article.pk).text == article.text, article.pk
    assert dict(Appearance.objects.values_list("pk", "quote")) == quotes_before


def test_a_quote_typed_across_a_paragraph_break_is_accepted(admin_client):
    article = ArticleFactory(text="Prima frase del pezzo.\n\nSeconda frase, nuovo paragrafo.")
    claim = ClaimFactory()
    url = admin_url(Appearance, "add")
    data = change_form_data(
        admin_client,
        url,
        claim=claim.pk,
        article=article.pk,
        quote="del pezzo.\r\n\r\nSeconda frase",
        stance=Stance.SUPPORTS,
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    appearance = Appearance.objects.get(claim=claim)
    assert appearance.quote == "del pezzo.\n\nSeconda frase"
    assert article.text[appearance.start : appearance.end] == appearance.quote


def test_control_characters_are_refused_with_a_message_that_keeps_the_text(admin_client):
    url = admin_url(Article, "add")
    data = change_form_data(
        admin_client, url, language="it", text="Testo con un carattere\x1b nascosto e\x07 un altro."
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["text"]
    assert "U+001B" in errors[0] and "U+0007" in errors[0]
    assert "nascosto e" in response.content.decode()
    assert not Article.objects.exists()


# --- Big input and ambiguous quotes ------------------------------------------------------


def test_an_over_long_paste_gets_a_message_and_keeps_the_text(admin_client):
    """A 3 MB paste answered a bare 400 (RequestDataTooBig) and lost everything; 5 MB too."""
    url = admin_url(Article, "add")
    text = ("parola " * 750_000) + "FINE-DEL-TESTO"
    assert len(text) > 5_000_000
    response = admin_client.post(url, change_form_data(admin_client, url, language="it", text=text))
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["text"][0]
    assert f"{ARTICLE_TEXT_MAX_LENGTH:,}".replace(",", "") in error.replace(",", "")
    assert "FINE-DEL-TESTO" in response.content.decode()
    assert f"at most {ARTICLE_TEXT_MAX_LENGTH:,} characters" in response.content.decode()
    assert not Article.objects.exists()


def test_a_quote_found_twice_asks_which_occurrence(admin_client):
    article = ArticleFactory(text="Il titolo sale. Poi il mercato chiude. Il titolo sale ancora.")
    claim = ClaimFactory()
    url = admin_url(Appearance, "add")
    fields = {
        "claim": claim.pk,
        "article": article.pk,
        "quote": "Il titolo sale",
        "stance": "supports",
    }
    response = admin_client.post(url, change_form_data(admin_client, url, **fields))
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["start"][0]
    second = article.text.rindex("Il titolo sale")
    assert "occurs 2 times" in error and f"at {second} (" in error
    assert not Appearance.objects.exists()

    response = admin_client.post(url, change_form_data(admin_client, url, **fields, start=second))
    assert response.status_code == 302
    assert Appearance.objects.get().start == second


# --- One path for every write ------------------------------------------------------------


def test_an_inline_appearance_save_goes_through_the_service_once(
    admin_client, committed, django_assert_num_queries
):
    claim = ClaimFactory()
    AppearanceFactory(claim=claim)
    article = ArticleFactory()
    url = admin_url(Claim, "change", claim.pk)
    data = change_form_data(admin_client, url)
    index = int(data["appearances-TOTAL_FORMS"])
    data["appearances-TOTAL_FORMS"] = str(index + 1)
    data.update(
        {
            f"appearances-{index}-article": article.pk,
            f"appearances-{index}-quote": "Huawei collabora con DeepSeek",
            f"appearances-{index}-stance": Stance.REFUTES,
        }
    )
    writers = []
    real_save = Appearance.save

    def recording_save(self, *args, **kwargs):
        writers.append([frame.name for frame in traceback.extract_stack()])
        return real_save(self, *args, **kwargs)

    stamp = ContentStamp.objects.get().generation
    refresh = mock.patch(
        "factcheck.services.records.claims_refresh_agreement",
        wraps=services.claims_refresh_agreement,
    )
    with (
        mock.patch.object(Appearance, "save", recording_save),
        refresh as refreshed,
        committed() as callbacks,
        django_assert_num_queries(POST_QUERIES),
    ):
        response = admin_client.post(url, data)

    assert response.status_code == 302
    assert len(writers) == 1 and "evidence_save" in writers[0]
    assert refreshed.call_count == 1
    stamp_raises = [c for c in callbacks if isinstance(c, PendingRaise)]
    assert len(stamp_raises) == 1
    assert ContentStamp.objects.get().generation == stamp + 1
    assert Claim.objects.get(pk=claim.pk).agreement_label == "contested"
    assert LogEntry.objects.filter(object_id=str(claim.pk)).exists()


# The admin's own work (session, user, the forms' lookups and Django's query per check
# constraint, the slug reservation, the change log) plus one locked, validated, refreshed save of the evidence:
# pinned, so a second refresh or a needless save of the claim shows up here. Unchanged
# inline quotes are not validated again: they are not saved. 16 of them refresh the
# claim's match document and its term counts (factcheck/matching/index.py), 3 of those
# finding the claims whose quotes overlap the new one; the check that an appearance
# credits another article adds 3 (its constraint and the chain check); the refresh reads
# the dates of the claim's evidence for its stored span in 1.
POST_QUERIES = 74


def test_an_inline_reference_that_is_no_id_is_refused_not_a_500(admin_client):
    """Found by the admin fuzz run: the autocomplete widget looked '\\x00' up as an id."""
    appearance = AppearanceFactory()
    url = admin_url(Claim, "change", appearance.claim_id)
    data = change_form_data(admin_client, url, **{"appearances-0-article": "\x00"})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    [formset] = [inline.formset for inline in response.context["inline_admin_formsets"][:1]]
    assert "article" in formset.errors[0]
