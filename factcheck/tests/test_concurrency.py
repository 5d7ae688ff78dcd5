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
from factcheck.models import Appearance, Article, Claim, Stance
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
def test_a_text_edit_and_a_new_quote_of_the_removed_passage_never_both_land(run):
    passage = "Le aziende hanno chiesto più chip."
    article = ArticleFactory(text=TEXT)
    claim = ClaimFactory(statement=f"Claim in run {run}")

    def edit_text():
        current = Article.objects.get(pk=article.pk)
        current.text = TEXT.replace(passage + " ", "")
        return services.article_save(article=current)

    results = at_once(edit_text, quoting(claim, article, passage))

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    for appearance in Appearance.objects.filter(article=article).select_related("article"):
        assert appearance.article.text[appearance.start : appearance.end] == appearance.quote


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
