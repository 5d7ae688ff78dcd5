"""Provenance per appearance: a quote crediting its own upstream report counts under that
report's origin, everywhere agreement is computed or explained."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from factcheck import services
from factcheck.agreement import agreement_for_claims, claim_agreement_breakdown
from factcheck.models import (
    DERIVED_AGREEMENT_FIELDS,
    AgreementLabel,
    Appearance,
    Article,
    Claim,
    EvidenceChange,
)
from factcheck.selectors import claim_appearances
from factcheck.services.pending import claim_agreement_if_accepted
from factcheck.tests.factories import AppearanceFactory, ArticleFactory, ClaimFactory, OutletFactory
from factcheck.tests.roles import make_user

pytestmark = pytest.mark.django_db

TEXT = (
    "Gli sviluppatori affittano chip all'estero, riporta il Wall Street Journal. "
    "Le tre aziende hanno speso 50 miliardi di yuan, riporta il Financial Times."
)
WSJ_QUOTE = "Gli sviluppatori affittano chip all'estero"
FT_QUOTE = "Le tre aziende hanno speso 50 miliardi di yuan"


@pytest.fixture
def reports(db):
    def report(name):
        return ArticleFactory(
            outlet=OutletFactory(name=name, slug=name.lower().replace(" ", "-")),
            title="",
            text="",
            is_archived=False,
            language="en",
        )

    return {"wsj": report("Wall Street Journal"), "ft": report("Financial Times")}


@pytest.fixture
def story(reports):
    """A story retelling the WSJ that also credits the FT for one figure."""
    return ArticleFactory(text=TEXT, retells=reports["wsj"])


def stored(claim) -> dict:
    claim = Claim.objects.get(pk=claim.pk)
    return {name: getattr(claim, name) for name in DERIVED_AGREEMENT_FIELDS}


def test_a_quote_with_its_own_credited_source_counts_under_that_origin(story, reports):
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, article=story, quote=WSJ_QUOTE)
    before = Claim.objects.get(pk=claim.pk)
    assert (before.supporting_origins, before.agreement_label) == (1, AgreementLabel.SINGLE_ORIGIN)

    AppearanceFactory(claim=claim, article=story, quote=FT_QUOTE, credited_source=reports["ft"])

    claim = Claim.objects.get(pk=claim.pk)
    assert (claim.supporting_origins, claim.origin_count, claim.article_count) == (2, 2, 1)
    assert claim.agreement_label == AgreementLabel.CORROBORATED
    # The bulk rebuild and the per-claim computation agree.
    assert agreement_for_claims([claim.pk])[claim.pk].as_claim_fields() == stored(claim)
    fields = stored(claim)
    Claim.objects.filter(pk=claim.pk).update(supporting_origins=0)
    services.claims_rebuild_agreement()
    assert stored(claim) == fields
    # The page's breakdown groups the FT quote under the FT report, with no queries.
    appearances = list(claim_appearances(claim=claim))
    breakdown = claim_agreement_breakdown(claim=claim, appearances=appearances)
    assert {item.origin.pk: [a.quote for a in item.appearances] for item in breakdown.origins} == {
        reports["wsj"].pk: [WSJ_QUOTE],
        reports["ft"].pk: [FT_QUOTE],
    }


def test_a_credited_source_counts_under_its_own_origin(story, reports):
    """Crediting a report that retells another counts the quote under the first report."""
    retelling = ArticleFactory(title="", text="", is_archived=False, retells=reports["ft"])
    appearance = AppearanceFactory(article=story, quote=FT_QUOTE, credited_source=retelling)
    (origin,) = claim_agreement_breakdown(
        claim=appearance.claim, appearances=claim_appearances(claim=appearance.claim)
    ).origins
    assert origin.origin == reports["ft"]


def test_relinking_the_credited_source_refreshes_the_agreement(story, reports):
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, article=story, quote=WSJ_QUOTE)
    AppearanceFactory(claim=claim, article=story, quote=FT_QUOTE, credited_source=reports["ft"])
    assert Claim.objects.get(pk=claim.pk).supporting_origins == 2

    ft = Article.objects.get(pk=reports["ft"].pk)
    ft.retells = reports["wsj"]  # it turns out the FT was retelling the WSJ
    services.article_save(article=ft, expected_version=ft.version)

    assert Claim.objects.get(pk=claim.pk).supporting_origins == 1


def test_a_quote_cannot_credit_its_own_article_or_a_retelling_of_it(story):
    with pytest.raises(ValidationError) as error:
        AppearanceFactory(article=story, quote=FT_QUOTE, credited_source=story)
    assert "credited_source" in error.value.message_dict

    downstream = ArticleFactory(title="", text="", is_archived=False, retells=story)
    further = ArticleFactory(title="", text="", is_archived=False, retells=downstream)
    with pytest.raises(ValidationError, match="its own source"):
        AppearanceFactory(article=story, quote=FT_QUOTE, credited_source=further)
    assert not Appearance.objects.exists()


def test_the_database_refuses_a_self_credit_too(story):
    appearance = AppearanceFactory(article=story, quote=FT_QUOTE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Appearance.objects.filter(pk=appearance.pk).update(credited_source=story)


def test_a_held_change_carries_the_credited_source(story, reports):
    """An editor crediting a source on a public claim's quote waits for a Reviewer, and
    the review screen's prediction counts the quote under the new origin."""
    claim = ClaimFactory()
    AppearanceFactory(claim=claim, article=story, quote=WSJ_QUOTE)
    appearance = AppearanceFactory(claim=claim, article=story, quote=FT_QUOTE)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.is_public and claim.supporting_origins == 1

    appearance.credited_source = reports["ft"]
    outcome = services.evidence_save(
        saves=[(appearance, appearance.version)], user=make_user("editor")
    )

    (held,) = outcome.held
    assert held.proposed["credited_source_id"] == reports["ft"].pk
    assert Appearance.objects.get(pk=appearance.pk).credited_source_id is None
    assert claim_agreement_if_accepted(claim=claim).supporting == 2
    services.evidence_accept(claim=claim, user=make_user("reviewer"))
    assert Appearance.objects.get(pk=appearance.pk).credited_source_id == reports["ft"].pk
    assert Claim.objects.get(pk=claim.pk).supporting_origins == 2
    assert not EvidenceChange.objects.pending().exists()


def test_the_credited_report_is_public_and_named_on_the_claim_page(story, reports):
    appearance = AppearanceFactory(article=story, quote=FT_QUOTE, credited_source=reports["ft"])
    assert Article.objects.public().filter(pk=reports["ft"].pk).exists()
    page = Client().get(appearance.claim.get_absolute_url()).content.decode()
    assert "Credited to" in page
    assert reports["ft"].get_absolute_url() in page
    assert Client().get(reports["ft"].get_absolute_url()).status_code == 200


def test_an_uncredited_report_stays_private(story, reports):
    AppearanceFactory(article=story, quote=WSJ_QUOTE)
    assert not Article.objects.public().filter(pk=reports["ft"].pk).exists()


# --- The seed corpus ---------------------------------------------------------------


@pytest.fixture
def corpus():
    call_command("loaddata", "seed_corpus", verbosity=0)


def test_seed_004s_ft_figure_counts_under_the_ft(corpus):
    claim = Claim.objects.get(slug="alibaba-tencent-baidu-capital-spending")
    (appearance,) = claim.appearances.select_related("article", "credited_source__outlet")
    assert appearance.article.retells.outlet.name == "Wall Street Journal"
    assert appearance.credited_source.outlet.name == "Financial Times"
    assert not appearance.credited_source.is_archived

    breakdown = claim_agreement_breakdown(claim=claim, appearances=claim_appearances(claim=claim))
    (origin,) = breakdown.origins
    assert origin.origin == appearance.credited_source
    assert agreement_for_claims([claim.pk])[claim.pk].as_claim_fields() == stored(claim)

    # Without the credit the figure counted under the WSJ report.
    appearance.credited_source = None
    services.evidence_save(saves=[(appearance, appearance.version)], user=make_user("reviewer"))
    (origin,) = claim_agreement_breakdown(
        claim=claim, appearances=claim_appearances(claim=claim)
    ).origins
    assert origin.origin.outlet.name == "Wall Street Journal"


def test_seed_004s_wsj_quotes_still_count_under_the_wsj(corpus):
    claim = Claim.objects.get(slug="derek-aw-brisbane-servers")
    (origin,) = claim_agreement_breakdown(
        claim=claim, appearances=claim_appearances(claim=claim)
    ).origins
    assert origin.origin.outlet.name == "Wall Street Journal"
    assert (claim.supporting_origins, claim.agreement_label) == (1, AgreementLabel.SINGLE_ORIGIN)
