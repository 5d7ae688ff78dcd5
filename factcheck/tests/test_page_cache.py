"""The reader-page cache: served from memory while nothing changed, never after a write.

Tests run inside a transaction that never commits, so the content stamp is raised only
where a test runs the commit callbacks (`committed`). A write left uncommitted keeps the
stamp, which lets a test tell a page served from the cache from one rendered afresh.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test.utils import CaptureQueriesContext
from simple_history.models import HistoricalChanges

from factcheck import services, workflow
from factcheck.bench import synthetic
from factcheck.intake.importer import article_import
from factcheck.models import (
    AgreementLabel,
    Article,
    Claim,
    ClaimEmbedding,
    ClaimPageStamp,
    ClaimSlugRedirect,
    ContentStamp,
    EvidenceReview,
    MatchTranslation,
    Outlet,
    OutletAlias,
    ProvenanceSuggestion,
    ReviewStatus,
    Stance,
    Verdict,
    VerdictAlert,
)
from factcheck.page_cache import (
    NOT_SHOWN_TO_READERS,
    PendingRaise,
    cache_reader_page,
    current_generation,
)
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimantFactory,
    ClaimFactory,
    ContradictionFactory,
)
from factcheck.tests.roles import make_user

# Every test here runs against each cache the app can be configured with.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


@pytest.fixture
def claim():
    appearance = AppearanceFactory(
        claim=ClaimFactory(statement="The bridge opened in 1932", slug="bridge-opened"),
        article=ArticleFactory(title="Il ponte del 1932"),
    )
    return appearance.claim


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_second_anonymous_request_costs_only_the_stamp_query(
    client, claim, django_assert_num_queries
):
    first = page(client, claim.get_absolute_url())
    with django_assert_num_queries(1):
        second = page(client, claim.get_absolute_url())
    assert second == first
    with django_assert_num_queries(1):
        assert client.head(claim.get_absolute_url()).status_code == 200


def served_from_cache(client, url) -> bool:
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    return len(queries) == 1


def test_query_string_is_part_of_the_key(client, claim):
    page(client, "/claims/?sort=statement")
    assert not served_from_cache(client, "/claims/?sort=-statement")


def test_stamp_rises_only_when_the_write_commits(claim, committed):
    before = current_generation()
    with committed():
        claim.verdict_summary = "Checked again."
        services.claim_save(claim=claim)
        assert current_generation() == before, "raised before commit"
    after = current_generation()
    assert after > before

    with pytest.raises(RuntimeError), transaction.atomic():
        claim.verdict_summary = "Never saved."
        services.claim_save(claim=claim)
        raise RuntimeError
    assert current_generation() == after


def editorial_models():
    return [
        model
        for model in apps.get_app_config("factcheck").get_models()
        if model not in (ContentStamp, ClaimPageStamp, *NOT_SHOWN_TO_READERS)
        and not issubclass(model, HistoricalChanges)
    ]


@pytest.fixture
def every_kind_of_row(claim):
    """At least one row of every editorial model."""
    ContradictionFactory(claim_a=claim)
    ClaimantFactory()
    services.appearance_delete(appearance=claim.appearances.get(), user=make_user("editor"))
    EvidenceReview.objects.create(
        claim=claim,
        summary="1 quote added",
        agreement_before="unconfirmed",
        agreement_after="single_origin",
    )
    VerdictAlert.objects.create(claim=claim, reasons="A new origin refutes it")
    ClaimSlugRedirect.objects.create(claim=claim, old_slug="bridge-opened-in-1932")
    OutletAlias.objects.create(outlet=Outlet.objects.first(), alias="BR", key="br")
    article_import(
        data=b"Il ponte\n\nIl ponte fu aperto nel 1932.\n", filename="ponte.txt", user=None
    )
    services.import_batch_stage(files=[("ponte2.txt", b"Il ponte\n\nAperto nel 1932.\n")])
    ProvenanceSuggestion.objects.create(
        article=Article.objects.first(),
        kind="credit",
        outlet=Outlet.objects.first(),
        name="FT",
        phrase="scrive il FT",
    )
    MatchTranslation.objects.create(language="it", source="ponte", target="bridge", weight=0.9)
    ClaimEmbedding.objects.create(claim=claim, model="test", digest="0" * 40, vector=b"\0\0")
    claim.verdict = Verdict.FALSE
    services.claim_save(claim=claim, correction_note="The bridge opened in 1933.")
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Source withdrawn.")
    return claim


def test_saving_any_editorial_row_raises_the_stamp(every_kind_of_row, committed):
    for model in editorial_models():
        row = model.objects.first()
        assert row is not None, f"no {model.__name__} row to save"
        before = current_generation()
        with committed():
            row.save()
        assert current_generation() == before + 1, model.__name__


def test_rows_no_reader_page_shows_retire_nothing(every_kind_of_row, committed):
    for model in NOT_SHOWN_TO_READERS:
        row = model.objects.first()
        assert row is not None, f"no {model.__name__} row to save"
        with committed() as callbacks:
            row.save()
        assert callbacks == [], model.__name__


def test_deleting_any_editorial_row_raises_the_stamp(every_kind_of_row, committed):
    # An article is its own origin, which PROTECT holds like any other reference.
    Article.objects.update(origin=None)
    remaining = editorial_models()
    # Delete what nothing protects first; each pass frees the rows the last one held.
    while remaining:
        deleted = []
        for model in remaining:
            row = model.objects.first()
            if row is None:  # gone with the row it belonged to
                continue
            before = current_generation()
            try:
                with committed(), transaction.atomic():
                    row.delete()
            except (ProtectedError, RestrictedError):
                continue
            assert current_generation() == before + 1, model.__name__
            deleted.append(model)
        assert deleted, f"nothing could be deleted among {remaining}"
        remaining = [model for model in remaining if model.objects.exists()]


def test_a_transaction_of_several_writes_raises_the_stamp_once(claim, committed):
    article = claim.appearances.get().article
    before = current_generation()
    with committed() as callbacks, transaction.atomic():
        claim.verdict_summary = "Checked again."
        services.claim_save(claim=claim, correction_note="Summary checked again.")
        article.title = "Il ponte, novant'anni dopo"
        services.article_save(article=article)
        AppearanceFactory(claim=claim, stance=Stance.REFUTES)
        Outlet.objects.get(pk=article.outlet_id).save()
    assert [isinstance(callback, PendingRaise) for callback in callbacks].count(True) == 1
    assert current_generation() == before + 1


def test_a_write_kept_after_a_rolled_back_savepoint_still_raises_the_stamp(claim, committed):
    outlet = claim.appearances.get().article.outlet
    before = current_generation()
    with committed(), transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            claim.save()  # queues the raise inside the savepoint that is undone
            raise RuntimeError
        outlet.save()
    assert current_generation() == before + 1


def test_a_rolled_back_transaction_raises_nothing(claim, committed):
    before = current_generation()
    with committed() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        claim.save()
        claim.appearances.get().article.outlet.save()
        raise RuntimeError
    assert callbacks == []
    assert current_generation() == before


def test_a_history_row_alone_queues_nothing(claim, committed):
    record = claim.history.first()
    with committed() as callbacks:
        record.save()
    assert callbacks == []


def test_claim_edit_shows_at_once(client, claim, committed):
    page(client, claim.get_absolute_url())
    with committed():
        claim.verdict_summary = "A second archive confirms the date."
        services.claim_save(claim=claim)
    assert "A second archive confirms the date." in page(client, claim.get_absolute_url())


def test_correction_shows_at_once(client, claim, committed):
    assert "The bridge opened in 1933." not in page(client, claim.get_absolute_url())
    with committed():
        claim.verdict = Verdict.FALSE
        services.claim_save(claim=claim, correction_note="The bridge opened in 1933.")
    content = page(client, claim.get_absolute_url())
    assert "The bridge opened in 1933." in content
    assert "verdict-false" in content


def test_retraction_replaces_the_verdict_at_once(client, claim, committed):
    assert "verdict-mostly_true" in page(client, claim.get_absolute_url())
    assert claim.statement in page(client, "/claims/")
    with committed():
        workflow.claim_transition(claim=claim, name="retract", user=None, note="Source withdrawn.")
    content = page(client, claim.get_absolute_url())
    assert "This fact-check has been retracted" in content
    assert "Source withdrawn." in content
    assert claim.statement not in page(client, "/claims/")


def test_claim_taken_back_into_review_disappears_at_once(client, claim, committed):
    with committed():
        workflow.claim_transition(claim=claim, name="retract", user=None, note="Source withdrawn.")
    page(client, claim.get_absolute_url())
    with committed():
        workflow.claim_transition(claim=claim, name="reopen", user=None)
    assert Claim.objects.get(pk=claim.pk).status == ReviewStatus.IN_REVIEW
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_claim_deleted_disappears_at_once(client, claim, committed):
    page(client, claim.get_absolute_url())
    with committed():
        services.appearances_delete(appearances=claim.appearances.all())
        Claim.objects.filter(pk=claim.pk).delete()
    assert client.get(claim.get_absolute_url()).status_code == 404


def test_article_edit_shows_at_once(client, claim, committed):
    article = claim.appearances.get().article
    page(client, article.get_absolute_url())
    with committed():
        article.title = "Il ponte, novant'anni dopo"
        services.article_save(article=article)
    assert "Il ponte, novant&#x27;anni dopo" in page(client, article.get_absolute_url())


def test_new_appearance_shows_at_once(client, claim, committed):
    assert "1 appearance in 1 article" in page(client, claim.get_absolute_url())
    with committed():
        AppearanceFactory(claim=claim, stance=Stance.REFUTES)
    assert "2 appearances in 2 articles" in page(client, claim.get_absolute_url())


def test_outlet_renamed_in_the_admin_shows_at_once(client, claim, committed):
    outlet = claim.appearances.get().article.outlet
    page(client, outlet.get_absolute_url())
    page(client, claim.get_absolute_url())
    with committed():
        outlet.name = "La Gazzetta del Ponte"
        outlet.save()
    assert "La Gazzetta del Ponte" in page(client, outlet.get_absolute_url())
    assert "La Gazzetta del Ponte" in page(client, claim.get_absolute_url())


def test_agreement_rebuild_shows_at_once(client, claim, committed):
    # Stored agreement gone wrong behind the services' back, e.g. rows loaded raw.
    Claim.objects.filter(pk=claim.pk).update(agreement_label=AgreementLabel.REFUTED)
    assert "Refuted" in page(client, claim.get_absolute_url())
    with committed():
        assert services.claims_rebuild_agreement() == 1
    content = page(client, claim.get_absolute_url())
    assert "Refuted" not in content
    assert "Single origin" in content


@pytest.mark.parametrize(
    "bulk_write",
    [
        lambda claim: services.claims_refresh_agreement(claim_ids=[claim.pk]),
        lambda claim: services.claims_rebuild_agreement(),
        lambda claim: services.articles_refresh_origin(article=claim.appearances.get().article),
        lambda claim: services.articles_rebuild_origins(),
    ],
    ids=["refresh-agreement", "rebuild-agreement", "refresh-origin", "rebuild-origins"],
)
def test_bulk_writes_raise_the_stamp(claim, committed, bulk_write):
    """They send no signals, so each raises the stamp itself when it changes rows."""
    Claim.objects.filter(pk=claim.pk).update(agreement_label=AgreementLabel.REFUTED)
    article = claim.appearances.get().article
    type(article).objects.filter(pk=article.pk).update(origin=None)
    before = current_generation()
    with committed():
        bulk_write(claim)
    assert current_generation() > before


def test_generated_corpus_raises_the_stamp(committed):
    before = current_generation()
    scale = synthetic.Scale(outlets=2, articles=3, claims=2, appearances=3, contradictions=0)
    with committed():
        synthetic.generate(scale=scale, seed=1)
    assert current_generation() > before


def test_logged_in_staff_never_get_a_cached_page(client, admin_client, claim):
    url = claim.get_absolute_url()
    page(client, url)
    # A write whose commit has not happened yet: the cached copy is still current.
    Claim.objects.filter(pk=claim.pk).update(verdict_summary="Preview of the next version.")
    assert "Preview of the next version." not in page(client, url)
    assert "Preview of the next version." in page(admin_client, url)


def test_logged_in_staff_pages_are_not_stored(client, admin_client, claim):
    url = claim.get_absolute_url()
    page(admin_client, url)
    Claim.objects.filter(pk=claim.pk).update(verdict_summary="Changed since staff looked.")
    assert "Changed since staff looked." in page(client, url)


def test_not_found_is_not_cached(client):
    assert client.get("/claims/not-yet-published/").status_code == 404
    # Created without a commit, so the stamp stays: only a fresh render can find it.
    ClaimFactory(slug="not-yet-published")
    assert client.get("/claims/not-yet-published/").status_code == 200


def test_a_plain_save_raises_the_stamp(claim, committed):
    """A plain ORM save anywhere (admin, shell, loaddata) counts as a write."""
    outlet = Outlet.objects.get(pk=claim.appearances.get().article.outlet_id)
    before = current_generation()
    with committed():
        outlet.save()
    assert current_generation() > before


def test_cache_can_be_turned_off(client, claim, settings):
    settings.READER_PAGE_CACHE_SECONDS = 0
    page(client, claim.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        page(client, claim.get_absolute_url())
    assert len(queries) > 1


def test_without_a_stamp_nothing_is_cached_until_a_write_restores_it(client, claim, committed):
    ContentStamp.objects.all().delete()  # e.g. `flush`
    page(client, claim.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        page(client, claim.get_absolute_url())
    assert len(queries) > 1
    with committed():
        claim.verdict_summary = "Checked again."
        services.claim_save(claim=claim)
    # Far above any count of writes, so no key cached before the flush can match.
    assert current_generation() > 10**12


def test_a_page_carrying_a_csrf_token_is_not_stored(rf):
    renders = []

    @cache_reader_page
    def form_page(request):
        renders.append(request)
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    for _ in range(2):
        request = rf.get("/a-form/")
        request.user = AnonymousUser()
        assert form_page(request).status_code == 200
    assert len(renders) == 2
