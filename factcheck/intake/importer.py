"""Importing one file: extract, validate, save the article and its original, in one transaction.

Everything a file becomes (the article, its original, its near-duplicate signature) is
written together or not at all. The article goes through `services.article_save` like any
other: imported articles are ordinary, non-public articles until a reviewed claim cites
them. What the machine found for the editor (the outlet or a proposed one, near-duplicates,
credited sources) comes back in the ImportResult, whose `as_json()` is the line the
`import_articles --json` interface prints.
"""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from factcheck import services
from factcheck.intake import credits, duplicates
from factcheck.intake.extract import Extracted, ExtractionError, extract
from factcheck.intake.outlets import domain_of, outlet_find
from factcheck.models import Article, ImportBatch, ImportStatus, Original, Outlet
from factcheck.services.provenance import article_suggestions_refresh

# The interface's fields, in the order printed (stored results are JSON objects, unordered).
JSON_FIELDS = (
    "file",
    "status",
    "error",
    "article",
    "title",
    "language",
    "published",
    "outlet",
    "near_duplicates",
    "credited_sources",
)


@dataclass
class ImportResult:
    file: str
    status: str
    error: str | None = None
    article: Article | None = None
    extracted: Extracted | None = None
    outlet: Outlet | None = None
    proposed_outlet: tuple[str, str] | None = None  # (name, domain) when no outlet matched
    near_duplicates: list[duplicates.NearDuplicate] = field(default_factory=list)
    credited_sources: list[credits.Credit] = field(default_factory=list)

    def as_json(self) -> dict:
        """The interface other tools read: exact field names and shapes (see the README)."""
        article = self.article
        return {
            "file": self.file,
            "status": self.status,
            "error": self.error,
            "article": article.pk if article is not None else None,
            "title": (article.title or None) if article is not None else None,
            "language": article.language if article is not None else None,
            "published": (article.iso_date or None) if article is not None else None,
            "outlet": article.outlet.name if article is not None and article.outlet else None,
            "near_duplicates": [
                {"article": found.article_id, "similarity": round(float(found.similarity), 4)}
                for found in self.near_duplicates
            ],
            "credited_sources": [
                {
                    "name": credit.name,
                    "outlet": credit.outlet.name if credit.outlet is not None else None,
                    "phrase": credit.phrase,
                    "start": credit.start,
                    "end": credit.end,
                }
                for credit in self.credited_sources
            ],
        }


def _failed(filename: str, reason: str) -> ImportResult:
    return ImportResult(file=filename, status=ImportStatus.ERROR, error=f"{filename}: {reason}")


def size_error(*, filename: str, size: int) -> str | None:
    """Why a file of this size is refused, or None."""
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        return f"{filename}: it has {size:,} bytes, more than the import limit of {limit:,}"
    return None


def article_import(
    *, data: bytes, filename: str, user=None, batch: ImportBatch | None = None
) -> ImportResult:
    """Import one file as an article, or report by name why it was not.

    `user` None is the system (a command run without --user): no permission is checked and
    history records no user. The same bytes imported again, or a page whose canonical
    address an article already has, is a duplicate: nothing is written and the existing
    article is reported. Permission errors are raised, not reported: they concern the
    whole batch, not the file. `batch` is the batch the file came in, if any; its item
    records the outcome (factcheck.intake.tasks), so nothing here depends on it.
    """
    if user is not None and not user.has_perm("factcheck.add_article"):
        raise PermissionDenied("You do not have permission to import articles.")
    checked = _checked(data=data, filename=filename)
    if isinstance(checked, ImportResult):
        return checked
    digest, extracted = checked
    try:
        with transaction.atomic():
            return _save(
                data=data, digest=digest, filename=filename, extracted=extracted, user=user
            )
    except ValidationError as error:
        return _failed(filename, _messages(error))
    except IntegrityError:
        # Another worker saved the same file (or page address) meanwhile.
        existing = _existing(digest=digest, url=extracted.canonical_url)
        if existing is not None:
            return _duplicate(filename, existing)
        raise


def _checked(*, data: bytes, filename: str) -> ImportResult | tuple[str, Extracted]:
    """What importing and previewing check before anything is written: the size, the same
    bytes or page address already held, and the extraction. Either the file's digest and
    what was extracted, or the result that ends its import."""
    too_big = size_error(filename=filename, size=len(data))
    if too_big:
        return ImportResult(file=filename, status=ImportStatus.ERROR, error=too_big)
    digest = hashlib.sha256(data).hexdigest()
    existing = _existing(digest=digest, url="")
    if existing is not None:
        return _duplicate(filename, existing)
    try:
        extracted = extract(data, filename=filename)
    except ExtractionError as error:
        return _failed(filename, str(error))
    existing = _existing(digest="", url=extracted.canonical_url)
    if existing is not None:
        return _duplicate(filename, existing)
    return digest, extracted


def _existing(*, digest: str, url: str) -> Article | None:
    if digest:
        original = (
            Original.objects.filter(sha256=digest)
            .select_related("article__outlet")
            .defer("data", "article__text")
            .first()
        )
        if original is not None:
            return original.article
    if url:
        return Article.objects.filter(url=url).select_related("outlet").defer("text").first()
    return None


def _duplicate(filename: str, article: Article) -> ImportResult:
    return ImportResult(
        file=filename, status=ImportStatus.DUPLICATE, article=article, outlet=article.outlet
    )


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def _outlet_for(extracted: Extracted) -> tuple[Outlet | None, tuple[str, str] | None]:
    """The known outlet the page's address or site name stands for, else a proposal."""
    domain = domain_of(extracted.canonical_url) if extracted.canonical_url else ""
    outlet = outlet_find(name=extracted.site_name, domain=domain)
    if outlet is None and (extracted.site_name or domain):
        return None, (extracted.site_name, domain)
    return outlet, None


def _save(*, data: bytes, digest: str, filename: str, extracted: Extracted, user) -> ImportResult:
    outlet, proposal = _outlet_for(extracted)
    article = Article(
        outlet=outlet,
        title=extracted.title,
        url=extracted.canonical_url,
        author=extracted.author,
        published_on=extracted.published,
        date_precision=extracted.precision,
        language=extracted.language,
        text=extracted.text,
        is_archived=True,
    )
    if user is not None:
        article._history_user = user
    # What the constraints check holds already: the extractor gives a date with its
    # precision, an http(s) address and a text within the limit, and the address was
    # found unused above (a racing import meets the database's own unique index). The
    # database enforces them all; asking it again would cost six queries per file.
    article.constraints_validated = True
    services.article_save(article=article, user=user)
    original = Original(
        article=article,
        data=data,
        media_type=extracted.media_type,
        sha256=digest,
        size=len(data),
        filename=filename.replace("\\", "/").rsplit("/", 1)[-1][:255],
        captured_by=user,
        proposed_outlet_name=proposal[0] if proposal else "",
        proposed_outlet_domain=proposal[1][:200] if proposal else "",
    )
    # The digest's uniqueness is left to the database (the IntegrityError above), which
    # also settles two workers racing with the same file.
    original.full_clean(
        exclude=["article", "captured_by"], validate_unique=False, validate_constraints=False
    )
    original.save()
    # article_save stored the signature already.
    near = duplicates.near_duplicates(article.text, language=article.language, exclude=article.pk)
    credited = credits.credits_find(article.text, language=article.language)
    # Stored as open suggestions on the article, for the editor to decide in the admin; a
    # new article with nothing found has none to store or withdraw.
    if near or credited:
        article_suggestions_refresh(article=article, near=near, credits=credited)
    return ImportResult(
        file=filename,
        status=ImportStatus.IMPORTED,
        article=article,
        extracted=extracted,
        outlet=outlet,
        proposed_outlet=proposal,
        near_duplicates=near,
        credited_sources=credited,
    )


def article_preview(*, data: bytes, filename: str) -> ImportResult:
    """What importing the file would give, without writing anything: the upload page's
    preview. The article in the result is unsaved."""
    checked = _checked(data=data, filename=filename)
    if isinstance(checked, ImportResult):
        return checked
    _, extracted = checked
    outlet, proposal = _outlet_for(extracted)
    article = Article(
        outlet=outlet,
        title=extracted.title,
        published_on=extracted.published,
        date_precision=extracted.precision,
        language=extracted.language,
        text=extracted.text,
    )
    return ImportResult(
        file=filename,
        status="preview",
        article=article,
        extracted=extracted,
        outlet=outlet,
        proposed_outlet=proposal,
        near_duplicates=duplicates.near_duplicates(extracted.text, language=extracted.language),
        credited_sources=credits.credits_find(extracted.text, language=extracted.language),
    )
