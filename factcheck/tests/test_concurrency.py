"""Two editors at once: real concurrent transactions on PostgreSQL, each race run many times.

Each run starts two threads (each with its own database connection) at a barrier, so both
transactions are open together; the assertions are about the rows afterwards.
"""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections

from factcheck import services
from factcheck.agreement import agreement_for_claims
from factcheck.models import AnchorStatus, Appearance, Article, Claim, Stance
from factcheck.models.base import ConcurrentEdit
from factcheck.tests.factories import ArticleFactory, ClaimFactory, OutletFactory

RUNS = 20

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL; SQLite runs one writer at a time anyway",
    ),
]


def at_once(*jobs) -> list:
    """Run the jobs in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


TEXT = (
    "Il governo ha confermato il piano. Le aziende hanno chiesto più chip. "
    "Gli analisti prevedono nuove regole entro l'anno."
)


def quoting(claim, article, quote, stance=Stance.SUPPORTS):
    return lambda: services.appearance_save(
        appearance=Appearance(claim_id=claim.pk, article_id=article.pk, quote=quote, stance=stance)
    )


@pytest.mark.parametrize("run", range(RUNS))
def test_concurrent_appearances_leave_the_stored_agreement_right(run):
    assert connection.vendor == "postgresql"
    claim = ClaimFactory(statement=f"Claim in run {run}")
    supporting, refuting = ArticleFactory(text=TEXT), ArticleFactory(text=TEXT)

    results = at_once(
        quoting(claim, supporting, "il piano"),
        quoting(claim, refuting, "il piano", Stance.REFUTES),
    )

    assert not [r for r in results if isinstance(r, Exception)], results
    stored = Claim.objects.get(pk=claim.pk)
    fresh = agreement_for_claims([claim.pk])[claim.pk].as_claim_fields()
    assert {name: getattr(stored, name) for name in fresh} == fresh
    assert stored.appearance_count == 2 and stored.agreement_label == "contested"


@pytest.mark.parametrize("run", range(RUNS))
def test_a_text_edit_and_a_new_quote_of_the_removed_passage_leave_no_quote_readers_see_wrong(run):
    passage = "Le aziende hanno chiesto più chip."
    article = ArticleFactory(text=TEXT)
    claim = ClaimFactory(statement=f"Claim in run {run}")
    edited = TEXT.replace(passage + " ", "")

    def edit_text():
        current = Article.objects.get(pk=article.pk)
        current.text = edited
        return services.article_save(article=current)

    results = at_once(edit_text, quoting(claim, article, passage))

    # The correction always lands. The quote either came first and was orphaned by it, or
    # came second and was refused against the corrected text: never anchored in thin air.
    assert not isinstance(results[0], Exception), results
    assert Article.objects.get(pk=article.pk).text == edited
    stored = list(Appearance.objects.filter(article=article))
    if isinstance(results[1], ValidationError):
        assert stored == []
    else:
        assert not isinstance(results[1], Exception), results
        (appearance,) = stored
        assert appearance.anchor_status == AnchorStatus.ORPHANED
        assert appearance.start is None
    assert Claim.objects.get(pk=claim.pk).appearance_count == 0


@pytest.mark.parametrize("run", range(RUNS))
def test_a_paragraph_added_while_a_quote_is_added_leaves_the_quote_on_its_words(run):
    article = ArticleFactory(text=TEXT)
    claim = ClaimFactory(statement=f"Claim in run {run}")
    edited = "Aggiornamento delle 18: nuove dichiarazioni.\n\n" + TEXT

    def edit_text():
        current = Article.objects.get(pk=article.pk)
        current.text = edited
        return services.article_save(article=current)

    results = at_once(edit_text, quoting(claim, article, "Le aziende hanno chiesto"))

    assert not [r for r in results if isinstance(r, Exception)], results
    appearance = Appearance.objects.get(article=article)
    assert appearance.anchor_status == AnchorStatus.ANCHORED
    assert edited[appearance.start : appearance.end] == "Le aziende hanno chiesto"
    assert appearance.start == edited.index("Le aziende")
    assert Claim.objects.get(pk=claim.pk).appearance_count == 1


@pytest.mark.parametrize("run", range(RUNS))
def test_a_correction_while_an_editor_changes_a_quote_of_it_neither_deadlocks_nor_misplaces(run):
    article = ArticleFactory(text=TEXT)
    claim = ClaimFactory(statement=f"Claim in run {run}")
    appearance = services.appearance_save(
        appearance=Appearance(claim=claim, article=article, quote="il piano", stance="supports")
    )
    edited = "Premessa. " + TEXT.replace("più chip", "più semiconduttori")

    def edit_text():
        current = Article.objects.get(pk=article.pk)
        current.text = edited
        return services.article_save(article=current)

    def change_quote():
        copy = Appearance.objects.get(pk=appearance.pk)
        copy.quote, copy.start = "Le aziende hanno chiesto", None
        return services.appearance_save(appearance=copy)

    results = at_once(edit_text, change_quote)

    assert not [r for r in results if isinstance(r, Exception)], results
    stored = Appearance.objects.get(pk=appearance.pk)
    assert stored.quote == "Le aziende hanno chiesto"
    assert edited[stored.start : stored.end] == stored.quote
    assert stored.anchor_status == AnchorStatus.ANCHORED


def editing(record, changes: dict, *, opened: int):
    model = record._meta.model_name
    save = services.article_save if model == "article" else services.appearance_save

    def job():
        copy = type(record).objects.get(pk=record.pk)
        for name, value in changes.items():
            setattr(copy, name, value)
        return save(**{model: copy, "expected_version": opened})

    return job


@pytest.mark.parametrize("run", range(RUNS))
@pytest.mark.parametrize("model", ["article", "appearance"])
def test_two_editors_saving_one_record_lose_no_update(model, run):
    article = ArticleFactory(text=TEXT, outlet=OutletFactory())
    if model == "article":
        record = article
        first, second = {"title": f"New title {run}"}, {"author": f"Author {run}"}
    else:
        claim = ClaimFactory(statement=f"Claim in run {run}")
        record = quoting(claim, article, "il piano")()
        first, second = {"attribution": f"Source {run}"}, {"translation": f"the plan {run}"}
    opened = type(record).objects.get(pk=record.pk).version

    results = at_once(editing(record, first, opened=opened), editing(record, second, opened=opened))

    refused = [r for r in results if isinstance(r, ConcurrentEdit)]
    assert len(refused) == 1, results
    winner = first if isinstance(results[1], ConcurrentEdit) else second
    stored = type(record).objects.get(pk=record.pk)
    assert stored.version == opened + 1
    assert all(getattr(stored, name) == value for name, value in winner.items())
