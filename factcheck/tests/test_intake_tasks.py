"""Background imports on one PostgreSQL: each file claimed and imported once, by any worker."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from factcheck.intake.tasks import import_item_run
from factcheck.models import Article, ImportItem, ImportStatus, Original
from factcheck.services.intake import import_batch_stage, import_batch_start
from factcheck.tests.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="row locks need PostgreSQL; SQLite runs one writer at a time anyway",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
STORY = (
    "Il consiglio comunale ha approvato il bilancio numero {n} con ventidue voti favorevoli. "
    "L'opposizione ha chiesto più fondi per le scuole e per il trasporto pubblico di notte."
)


def text_file(n: int) -> tuple[str, bytes]:
    return f"story_{n}.txt", f"Bilancio {n}\n\n{STORY.format(n=n)}\n".encode()


def queued_batch(files):
    batch = import_batch_stage(files=files)
    return batch, import_batch_start(batch=batch, enqueue=False)


@pytest.mark.parametrize("run", range(3))
def test_workers_racing_over_a_batch_import_each_file_once(run):
    batch, item_ids = queued_batch([text_file(n + 100 * run) for n in range(12)])

    def worker():
        return [import_item_run(item_id=item_id) for item_id in item_ids]

    results = at_once(worker, worker, worker, worker)

    assert not [r for r in results if isinstance(r, Exception)], results
    done = [status for statuses in results for status in statuses if status is not None]
    assert done == [ImportStatus.IMPORTED] * 12  # one worker each, the others skipped it
    assert set(batch.items.values_list("status", flat=True)) == {ImportStatus.IMPORTED}
    assert Article.objects.count() == Original.objects.count() == 12
    assert not batch.items.filter(data__isnull=False).exists()


@pytest.mark.parametrize("run", range(5))
def test_the_same_file_in_two_batches_at_once_is_imported_once(run):
    _, first = queued_batch([text_file(run)])
    _, second = queued_batch([text_file(run)])

    results = at_once(
        lambda: import_item_run(item_id=first[0]), lambda: import_item_run(item_id=second[0])
    )

    assert sorted(results) == [ImportStatus.DUPLICATE, ImportStatus.IMPORTED], results
    assert Original.objects.count() == 1
    items = ImportItem.objects.filter(pk__in=[first[0], second[0]])
    assert len({item.article_id for item in items}) == 1


def test_db_worker_processes_share_a_batch(settings):
    """Two real `db_worker` processes, as on two machines, drain one queued batch."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    batch = import_batch_stage(files=[text_file(n) for n in range(8)])
    import_batch_start(batch=batch)
    assert DBTaskResult.objects.count() == 8
    assert not Article.objects.exists()  # nothing runs until a worker takes the jobs

    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}"
        f"{':' + database['PASSWORD'] if database['PASSWORD'] else ''}"
        f"@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}",
        "TASKS_BACKEND": "database",
        "SECRET_KEY": "test-only-secret-key",
    }
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"]
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE) for _ in range(2)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()

    assert set(batch.items.values_list("status", flat=True)) == {ImportStatus.IMPORTED}
    assert Article.objects.count() == 8
    assert DBTaskResult.objects.successful().count() == 8
