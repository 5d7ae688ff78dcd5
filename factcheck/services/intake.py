"""Writes of intake: outlet aliases, confirming a proposed outlet, import batches.

Importing one file is `factcheck.intake.importer.article_import`; batches hold the files
until a background job (factcheck.intake.tasks) imports each.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from factcheck.models import (
    ImportBatch,
    ImportItem,
    ImportStatus,
    Original,
    Outlet,
    OutletAlias,
    OutletAliasKind,
    alias_key,
)
from factcheck.services.records import _require, article_save, outlet_save

IMPORT_PERMISSION = "factcheck.add_article"


# --- Outlet aliases --------------------------------------------------------------------


@transaction.atomic
def outlet_alias_save(*, alias: OutletAlias, user=None) -> OutletAlias:
    """Validate and save an alias; a key another outlet holds is refused by name."""
    _require(user, "factcheck.change_outlet")
    alias.full_clean()
    if user is not None:
        alias._history_user = user
    alias.save()
    return alias


@transaction.atomic
def outlet_alias_delete(*, alias: OutletAlias, user=None) -> None:
    _require(user, "factcheck.change_outlet")
    if user is not None:
        alias._history_user = user
    alias.delete()


def _alias_ensure(*, outlet: Outlet, kind: str, value: str, user) -> None:
    key = alias_key(value, kind=kind)
    if not key or OutletAlias.objects.filter(kind=kind, key=key).exists():
        return
    outlet_alias_save(alias=OutletAlias(outlet=outlet, kind=kind, alias=value), user=user)


# --- Proposed outlets ------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:180] or "outlet"
    slug, n = base, 1
    while Outlet.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def outlet_proposal_confirm(*, original: Original, user=None, name: str = "") -> Outlet:
    """Create the outlet an imported page proposed (or take the one of that name), give it
    the page's name and domain as aliases, and assign it to every imported article that
    proposed the same publisher and has no outlet yet. One editor's click."""
    _require(user, "factcheck.add_outlet")
    original = Original.objects.select_for_update().get(pk=original.pk)
    if not original.has_proposal:
        raise ValidationError("This import proposes no outlet, or it was confirmed already.")
    domain = original.proposed_outlet_domain
    name = " ".join((name or original.proposed_outlet_name or domain).split())
    outlet = Outlet.objects.filter(name__iexact=name).first()
    if outlet is None:
        outlet = outlet_save(
            outlet=Outlet(
                name=name[:200],
                slug=_unique_slug(name),
                homepage=f"https://{domain}/" if domain else "",
            ),
            user=user,
        )
    if domain:
        _alias_ensure(outlet=outlet, kind=OutletAliasKind.DOMAIN, value=domain, user=user)
    if original.proposed_outlet_name:
        _alias_ensure(
            outlet=outlet, kind=OutletAliasKind.NAME, value=original.proposed_outlet_name, user=user
        )
    same = Original.objects.select_for_update().filter(
        proposed_outlet_domain=domain, article__outlet__isnull=True
    )
    if not domain:
        same = same.filter(proposed_outlet_name=original.proposed_outlet_name)
    proposing = list(same.select_related("article"))
    for each in proposing:
        each.article.outlet = outlet
        article_save(article=each.article, user=user, expected_version=each.article.version)
    Original.objects.filter(pk__in=[each.pk for each in proposing] + [original.pk]).update(
        proposed_outlet_name="", proposed_outlet_domain=""
    )
    return outlet


# --- Batches ---------------------------------------------------------------------------


def _require_import(user) -> None:
    if user is not None and not user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied("You do not have permission to import articles.")


@transaction.atomic
def import_batch_stage(*, files: Iterable[tuple[str, bytes | str]], user=None) -> ImportBatch:
    """A batch holding the files until they are imported. A file given as a message (str)
    instead of bytes could not be read or is too large: its item is an error at once, and
    its bytes are never stored."""
    _require_import(user)
    batch = ImportBatch.objects.create(created_by=user)
    items = []
    for position, (filename, content) in enumerate(files):
        if isinstance(content, str):
            items.append(
                ImportItem(
                    batch=batch,
                    position=position,
                    filename=filename[:1000],
                    status=ImportStatus.ERROR,
                    error=content,
                    result=_error_line(filename, content),
                )
            )
        else:
            items.append(
                ImportItem(
                    batch=batch,
                    position=position,
                    filename=filename[:1000],
                    data=content,
                    size=len(content),
                )
            )
    ImportItem.objects.bulk_create(items, batch_size=100)
    return batch


def _error_line(filename: str, error: str) -> dict:
    from factcheck.intake.importer import ImportResult

    return ImportResult(file=filename, status=ImportStatus.ERROR, error=error).as_json()


@transaction.atomic
def import_batch_start(*, batch: ImportBatch, user=None, enqueue: bool = True) -> list[int]:
    """Queue the batch's staged files; one background job each, sent once this commits.

    `enqueue=False` leaves sending the jobs to the caller (the command, which sends them
    one at a time to show progress); the items are queued either way."""
    from factcheck.intake.tasks import import_items_enqueue

    _require_import(user)
    items = list(
        ImportItem.objects.select_for_update()
        .filter(batch=batch, status=ImportStatus.STAGED)
        .values_list("pk", flat=True)
    )
    ImportItem.objects.filter(pk__in=items).update(status=ImportStatus.QUEUED)
    if enqueue:
        transaction.on_commit(lambda: import_items_enqueue(item_ids=items))
    return items


@transaction.atomic
def import_batch_discard(*, batch: ImportBatch, user=None) -> None:
    """Drop a batch's files that were not imported yet; imported articles stay."""
    _require_import(user)
    ImportItem.objects.filter(batch=batch, status=ImportStatus.STAGED).delete()
    if not batch.items.exists():
        batch.delete()
