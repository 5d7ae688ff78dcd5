"""Background imports: one job per file, safe with many workers on one PostgreSQL.

A job claims its file by locking the item row with SKIP LOCKED and only while it is still
queued, then imports it in the same transaction: a second worker handed the same item
(a job queued twice, a retry) finds it locked or finished and does nothing, so each file is
imported once. The item holds the file's bytes until then, so a worker on any machine can
read them; they are dropped once the file is imported.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from factcheck.intake.importer import ImportResult, article_import
from factcheck.models import ImportItem, ImportStatus


def import_item_run(*, item_id: int) -> str | None:
    """Import one queued file of a batch; the outcome is written on its item.

    Returns the item's new status, or None when another worker has it or had it.
    """
    with transaction.atomic():
        item = (
            ImportItem.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("batch__created_by")
            .filter(pk=item_id, status=ImportStatus.QUEUED)
            .first()
        )
        if item is None:
            return None
        try:
            result = article_import(
                data=bytes(item.data),
                filename=item.filename,
                user=item.batch.created_by,
                batch=item.batch,
            )
        except PermissionDenied as error:
            result = ImportResult(
                file=item.filename, status=ImportStatus.ERROR, error=f"{item.filename}: {error}"
            )
        item.status = result.status
        item.error = result.error or ""
        item.article = result.article
        item.result = result.as_json()
        item.data = None
        item.finished_at = timezone.now()
        item.save(update_fields=["status", "error", "article", "result", "data", "finished_at"])
        return item.status


@task()
def import_item(item_id: int) -> str | None:
    return import_item_run(item_id=item_id)


def import_items_enqueue(*, item_ids: list[int]) -> None:
    """One job per file. With the immediate backend each runs here and now, in turn."""
    for item_id in item_ids:
        import_item.enqueue(item_id)
