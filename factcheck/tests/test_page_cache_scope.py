"""Claim pages are retired by the writes they show, and only by those.

Three published claims with evidence of their own; B and C contradict each other. Each
test warms every claim page, commits one kind of write, and then checks both halves of
the promise: every page is exactly what a fresh render gives (no page outlives a change
it shows), and the pages the write does not touch are still answered from the cache.
Run on both caches, like test_page_cache.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import services, workflow
from factcheck.models import (
    Appearance,
    Article,
    Claim,
    ClaimSlugRedirect,
    Contradiction,
    EvidenceChange,
    Outlet,
    Stance,
    VerdictAlert,
)
from factcheck.page_cache import CLAIM_PAGE_RULES, NOT_SHOWN_TO_READERS, PendingRaise, _row_written
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimFactory,
    ContradictionFactory,
    OutletFactory,
)
from factcheck.tests.roles import make_user

# Every test here runs against each cache the app can be configured with.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("each_cache")]


@pytest.fixture
def pages():
    upstream = ArticleFactory(
        outlet=OutletFactory(name="Upstream Wire", slug="upstream-wire"),
        title="The wire report",
        text="",
        is_archived=False,
    )
    claims = {}
    for name in "ABC":
        article = ArticleFactory(
            outlet=OutletFactory(name=f"Outlet {name}", slug=f"outlet-{name.lower()}"),
            title=f"Article for {name}",
            retells=upstream if name == "A" else None,
        )
        claims[name] = AppearanceFactory(
            claim=ClaimFactory(
                statement=f"Claim {name} is checkable", slug=f"claim-{name.lower()}"
            ),
            article=article,
        ).claim
    ContradictionFactory(claim_a=claims["B"], claim_b=claims["C"], explanation="They clash.")
    return claims


def get(client, claim_or_url):
    url = claim_or_url if isinstance(claim_or_url, str) else claim_or_url.get_absolute_url()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries) == 1


def fresh(client, settings, claim):
    cache_seconds = settings.READER_PAGE_CACHE_SECONDS
    settings.READER_PAGE_CACHE_SECONDS = 0
    try:
        return get(client, claim)[0]
    finally:
        settings.READER_PAGE_CACHE_SECONDS = cache_seconds


def write_and_check(client, settings, committed, pages, write, *, touched):
    for claim in pages.values():
        get(client, claim)
    assert all(get(client, claim)[1] for claim in pages.values()), "pages not cached"
    with committed():
        write(pages)
    for name, claim in pages.items():
        claim = Claim.objects.get(pk=claim.pk)
        served, from_cache = get(client, claim)
        assert served == fresh(client, settings, claim), f"claim {name}'s page is stale"
        if name not in touched:
            assert from_cache, f"claim {name}'s page was retired by a write it does not show"


def edit(model, pk, **fields):
    row = model.objects.get(pk=pk)
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def article_of(claim) -> Article:
    return claim.appearances.get().article


WRITES = {
    "claim edited": (
        lambda p: services.claim_save(claim=edit(Claim, p["A"].pk, context="New background.")),
        "A",
    ),
    "claim in a contradiction renamed": (
        lambda p: services.claim_save(
            claim=edit(Claim, p["B"].pk, statement="Claim B, reworded, is checkable"),
            correction_note="Reworded for precision.",
        ),
        "BC",
    ),
    "article retitled": (
        lambda p: services.article_save(
            article=edit(Article, article_of(p["A"]).pk, title="A new headline")
        ),
        "A",
    ),
    "origin retitled": (
        lambda p: services.article_save(
            article=edit(Article, article_of(p["A"]).retells_id, title="The wire, corrected")
        ),
        "A",
    ),
    "outlet renamed": (
        lambda p: services.outlet_save(
            outlet=edit(Outlet, article_of(p["B"]).outlet_id, name="Outlet B, renamed")
        ),
        "B",
    ),
    "origin's outlet renamed": (
        lambda p: services.outlet_save(
            outlet=edit(Outlet, Outlet.objects.get(slug="upstream-wire").pk, name="Wire, renamed")
        ),
        "A",
    ),
    "contradiction explained": (
        lambda p: services.contradiction_save(
            contradiction=edit(
                Contradiction, Contradiction.objects.get().pk, explanation="Now explained."
            )
        ),
        "BC",
    ),
    "appearance added": (
        lambda p: AppearanceFactory(
            claim=p["A"],
            article=article_of(p["A"]),
            quote="Huawei collabora",
            stance=Stance.REFUTES,
        ),
        "A",
    ),
    "appearance moved to another claim": (
        lambda p: services.appearance_save(
            appearance=edit(Appearance, p["A"].appearances.get().pk, claim=p["C"])
        ),
        # B's page shows the dates of C's evidence beside their contradiction.
        "ABC",
    ),
    "appearance deleted": (
        lambda p: services.appearance_delete(appearance=p["C"].appearances.get()),
        "BC",
    ),
    "article of a contradicting claim redated": (
        lambda p: services.article_save(
            article=edit(Article, article_of(p["B"]).pk, published_on="2020-02-02")
        ),
        "BC",
    ),
    "correction issued": (
        lambda p: services.claim_save(
            claim=edit(Claim, p["A"].pk, verdict="false"), correction_note="Rated false now."
        ),
        "A",
    ),
    "claim retracted": (
        lambda p: workflow.claim_transition(
            claim=Claim.objects.get(pk=p["C"].pk), name="retract", user=None, note="Withdrawn."
        ),
        "BC",
    ),
    "alert opened": (
        lambda p: VerdictAlert.objects.create(claim=p["A"], reasons="A new origin refutes it"),
        "A",
    ),
    "claim renamed keeps its old address": (
        lambda p: ClaimSlugRedirect.objects.create(claim=p["A"], old_slug="claim-a-old"),
        "A",
    ),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_write_retires_exactly_the_claim_pages_that_show_it(
    client, settings, committed, pages, write
):
    action, touched = write
    write_and_check(client, settings, committed, pages, action, touched=touched)


def test_held_evidence_marks_its_claim_under_review_and_leaves_the_others_cached(
    client, settings, committed, pages
):
    editor = make_user("editor")

    def hold(p):
        outcome = services.evidence_save(
            saves=[
                (
                    Appearance(
                        claim=p["A"],
                        article=article_of(p["A"]),
                        quote="Huawei collabora",
                        stance=Stance.REFUTES,
                    ),
                    None,
                )
            ],
            user=editor,
        )
        assert outcome.held

    write_and_check(client, settings, committed, pages, hold, touched="A")
    assert EvidenceChange.objects.filter(claims=pages["A"]).exists()


def test_a_write_to_a_model_without_a_rule_retires_every_claim_page(committed, pages):
    class Unknown:
        pk = 1

    assert Unknown not in CLAIM_PAGE_RULES
    with committed() as callbacks:
        _row_written(Unknown, Unknown(), "default")
    [pending] = [callback for callback in callbacks if isinstance(callback, PendingRaise)]
    assert pending.bulk


def test_bulk_agreement_refresh_retires_only_the_claims_refreshed(
    client, settings, committed, pages
):
    def refresh(p):
        Claim.objects.filter(pk=p["A"].pk).update(agreement_label="refuted")
        services.claims_refresh_agreement(claim_ids=[p["A"].pk])

    write_and_check(client, settings, committed, pages, refresh, touched="A")


def test_a_renamed_claims_old_address_redirects_at_once(client, committed, pages):
    claim = pages["A"]
    old_url = claim.get_absolute_url()
    get(client, old_url)
    with committed():
        services.claim_save(claim=edit(Claim, claim.pk, slug="claim-a-renamed"))
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/claims/claim-a-renamed/")


def test_every_model_says_which_claim_pages_its_rows_show_on():
    """A model without a rule retires every claim page on each write: safe, but a new
    model should say where its rows show rather than fall to that by omission."""
    from django.apps import apps
    from simple_history.models import HistoricalChanges

    from factcheck.models import ClaimPageStamp, ContentStamp

    unruled = [
        model.__name__
        for model in apps.get_app_config("factcheck").get_models()
        if model not in CLAIM_PAGE_RULES
        and model not in (ContentStamp, ClaimPageStamp, *NOT_SHOWN_TO_READERS)
        and not issubclass(model, HistoricalChanges)
    ]
    assert unruled == []
