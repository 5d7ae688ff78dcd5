"""The public record as an open data set: JSON Lines and CSV, a README and the licence.

What readers may see, and only that: public claims (published, and retracted ones with
their notice), their appearances, the public articles and outlets, contradictions between
published claims, the corrections of public claims, and the claimants of public claims.
No draft, nothing in review, no pending change, no editor note, no staff name.

The same data gives the same bytes: rows in id order, fixed columns, no clock reading of
the run (the README's "data as of" is the latest change among the exported rows). All
tables are read in one repeatable-read transaction, so the files agree with each other,
and streamed from server-side cursors in chunks, so memory stays flat at any size.
"""

import csv
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse

from factcheck.models import (
    VERDICT_SCALE,
    Appearance,
    Article,
    Claim,
    Claimant,
    Contradiction,
    Correction,
    Outlet,
    Verdict,
)
from factcheck.tables import spreadsheet_safe

CHUNK_SIZE = 2000


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    derived: bool = False  # computed by the table's `derive`, not read
    # A setting that must be on for the column to be filled (it stays, empty, otherwise).
    allowed_by: str = ""

    @property
    def read(self) -> bool:
        return not self.derived and (not self.allowed_by or getattr(settings, self.allowed_by))


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    rows: Callable[[], QuerySet]
    columns: list[Column]
    derive: Callable[[dict, "Addresses"], None] | None = None


@dataclass(frozen=True)
class Addresses:
    """Page addresses under SITE_URL, built once per export rather than once per row."""

    claim_prefix: str
    claim_suffix: str

    @classmethod
    def build(cls) -> "Addresses":
        placeholder = "SLUG-PLACEHOLDER"
        path = reverse("factcheck:claim_detail", kwargs={"slug": placeholder})
        prefix, suffix = path.split(placeholder)
        return cls(settings.SITE_URL + prefix, suffix)


def _derive_claim(row: dict, addresses: Addresses) -> None:
    row["url"] = addresses.claim_prefix + row["slug"] + addresses.claim_suffix
    row["rating_value"] = VERDICT_SCALE[Verdict(row["verdict"])]


def _public_claim_ids():
    return Claim.objects.public().values("pk")


TABLES = [
    Table(
        "claimants",
        "Who made a claim: people and organisations named as the claimant of a public claim.",
        lambda: Claimant.objects.public(),
        [
            Column("id", "Identifier; claims.claimant_id refers to it."),
            Column("slug", "Stable text identifier."),
            Column("name", "Name."),
            Column("kind", "person or organization."),
            Column("description", "Who this is (role, country)."),
            Column("url", "An authoritative page about the claimant, if any."),
        ],
    ),
    Table(
        "outlets",
        "News outlets with at least one public article.",
        lambda: Outlet.objects.public(),
        [
            Column("id", "Identifier; articles.outlet_id refers to it."),
            Column("slug", "Stable text identifier."),
            Column("name", "Name."),
            Column("homepage", "Home page address, if known."),
            Column("country", "ISO 3166-1 alpha-2 country code, if known."),
            Column("language", "Main language (BCP 47), if known."),
            Column(
                "kind", "newspaper, magazine, wire, broadcaster, digital, blog, aggregator, other."
            ),
            Column("description", "What is known about the outlet."),
        ],
    ),
    Table(
        "articles",
        "Articles a public claim is quoted from, and the upstream reports they retell.",
        lambda: Article.objects.public(),
        [
            Column("id", "Identifier; appearances.article_id refers to it."),
            Column("outlet_id", "The publishing outlet (outlets.id); empty when unknown."),
            Column("title", "Headline; empty when unknown."),
            Column("url", "Original address; empty when unknown."),
            Column("author", "Byline; empty when unknown."),
            Column(
                "published_on",
                "Publication date (ISO 8601), stored on the first day of its precision.",
            ),
            Column(
                "date_precision", "day, month, year or unknown: how much of published_on is known."
            ),
            Column("language", "Language of the text (BCP 47)."),
            Column(
                "is_archived", "Whether we hold the text (false: an upstream report known by name)."
            ),
            Column("retells_id", "The upstream report this article retells (articles.id), if any."),
            Column(
                "origin_id",
                "The first report up the retelling chain (articles.id): the independent origin it counts under.",
            ),
            Column(
                "text",
                "Full text, only when the publisher's setting DATASET_ARTICLE_TEXT allows it; "
                "otherwise empty (the quoted passages are in appearances).",
                allowed_by="DATASET_ARTICLE_TEXT",
            ),
        ],
    ),
    Table(
        "claims",
        "Public claims: published ones, and retracted ones with the notice of retraction.",
        lambda: Claim.objects.public(),
        [
            Column("id", "Identifier."),
            Column("slug", "The claim's address on the site (it may change; old ones redirect)."),
            Column("url", "The claim's page.", derived=True),
            Column("statement", "The checkable assertion, in English."),
            Column("context", "Background a reader needs."),
            Column("claimant_id", "Who made the claim (claimants.id), if recorded."),
            Column("status", "published or retracted."),
            Column("verdict", "The verdict (see the methodology page for the scale)."),
            Column(
                "rating_value",
                "The verdict on the 1 (false) to 5 (true) scale; empty off the scale.",
                derived=True,
            ),
            Column("verdict_summary", "The public explanation of the verdict."),
            Column("retraction_note", "Why a retracted claim was withdrawn."),
            Column("reviewed_at", "When a reviewer last signed the verdict off (UTC)."),
            Column(
                "agreement_label", "unconfirmed, single_origin, corroborated, contested or refuted."
            ),
            Column("agreement_score", "From -1 to 1; empty when no origin takes a position."),
            Column("supporting_origins", "Independent origins that support the claim."),
            Column("refuting_origins", "Independent origins that refute it."),
            Column("qualifying_origins", "Independent origins that qualify it."),
            Column("mentioning_origins", "Independent origins that only mention it."),
            Column("appearance_count", "Appearances (quoted passages)."),
            Column("article_count", "Articles quoting it."),
            Column("origin_count", "Independent origins behind those articles."),
        ],
        derive=_derive_claim,
    ),
    Table(
        "appearances",
        "A public claim as stated in an article: a verbatim passage of the article's text.",
        lambda: Appearance.objects.public(),
        [
            Column("id", "Identifier."),
            Column("claim_id", "The claim (claims.id)."),
            Column("article_id", "The article (articles.id)."),
            Column("quote", "The passage, verbatim."),
            Column("start", "Offset of the passage in the article text, in Unicode code points."),
            Column("end", "Offset just after the passage."),
            Column("prefix", "Text just before the passage (W3C TextQuoteSelector)."),
            Column("suffix", "Text just after the passage."),
            Column("stance", "supports, refutes, qualifies or mentions."),
            Column("attribution", "Whom the article credits for the passage."),
            Column("translation", "English translation of the passage, when not in English."),
        ],
    ),
    Table(
        "contradictions",
        "Pairs of published claims that cannot both be right, or only seem to conflict.",
        lambda: Contradiction.objects.published(),
        [
            Column("id", "Identifier."),
            Column("claim_a_id", "One claim (claims.id)."),
            Column("claim_b_id", "The other claim (claims.id)."),
            Column("kind", "direct, tension or explained_by_time."),
            Column("status", "open, resolved or dismissed."),
            Column("explanation", "Why the two claims conflict."),
            Column(
                "superseded_claim_id", "For a conflict explained by time: the superseded claim."
            ),
        ],
    ),
    Table(
        "corrections",
        "Public corrections of a claim's statement or verdict (retractions are in claims).",
        lambda: Correction.objects.filter(claim__in=_public_claim_ids()),
        [
            Column("id", "Identifier."),
            Column("claim_id", "The corrected claim (claims.id)."),
            Column("created_at", "When the correction was made (UTC)."),
            Column("note", "What changed and why."),
            Column("previous_statement", "The statement before."),
            Column("new_statement", "The statement after."),
            Column("previous_verdict", "The verdict before."),
            Column("new_verdict", "The verdict after."),
        ],
    ),
]

# When each kind of row last changed, for the README's "data as of".
CHANGED_AT = {"corrections": "created_at"}


def _json_value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        # Spreadsheets run a cell starting with = + - @ as a formula; the JSON Lines keep
        # the text exactly.
        return spreadsheet_safe(value)
    return str(value)


@dataclass
class Written:
    name: str
    rows: int
    latest_change: datetime | None
    checksums: dict[str, str]


class _HashingFile:
    """A text file whose bytes are hashed as they are written."""

    def __init__(self, path: Path):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.file = open(self.partial, "w", encoding="utf-8", newline="")  # noqa: SIM115
        self.digest = hashlib.sha256()

    def write(self, text: str) -> None:
        self.file.write(text)
        self.digest.update(text.encode("utf-8"))

    def close(self) -> str:
        self.file.close()
        os.replace(self.partial, self.path)
        return self.digest.hexdigest()


def table_write(table: Table, directory: Path, addresses: Addresses) -> Written:
    columns = [column.name for column in table.columns]
    changed_field = CHANGED_AT.get(table.name, "updated_at")
    fields = [column.name for column in table.columns if column.read]
    unread = [column.name for column in table.columns if not column.read]
    rows = table.rows().order_by("pk").values(*fields, changed_field)

    jsonl = _HashingFile(directory / f"{table.name}.jsonl")
    csv_file = _HashingFile(directory / f"{table.name}.csv")
    writer = csv.writer(csv_file, lineterminator="\n")
    writer.writerow(columns)
    count, latest = 0, None
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        changed = row[changed_field]
        if latest is None or changed > latest:
            latest = changed
        row.update(dict.fromkeys(unread))
        if table.derive is not None:
            table.derive(row, addresses)
        record = {name: _json_value(row[name]) for name in columns}
        jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
        writer.writerow([_csv_value(row[name]) for name in columns])
        count += 1
    checksums = {f"{table.name}.jsonl": jsonl.close(), f"{table.name}.csv": csv_file.close()}
    return Written(table.name, count, latest, checksums)


def dataset_export(
    *, directory: Path, progress: Callable[[str], None] = lambda _: None
) -> list[Written]:
    """Write the data set into `directory` (created if missing); returns what was written."""
    directory.mkdir(parents=True, exist_ok=True)
    addresses = Addresses.build()
    written = []
    # Inside a caller's transaction (tests) the snapshot is the caller's.
    own_transaction = not connection.in_atomic_block
    with transaction.atomic():
        if own_transaction and connection.vendor == "postgresql":
            # One snapshot for every table: a claim published mid-export is in all files or none.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for table in TABLES:
            written.append(table_write(table, directory, addresses))
            progress(f"{table.name}: {written[-1].rows:,} rows")
    _text_write(directory / "LICENSE.txt", licence_text())
    _text_write(directory / "README.md", readme_text(written))
    return written


def _text_write(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def licence_text() -> str:
    return (
        f"{settings.SITE_NAME}: open data set\n\n"
        f"Licence: {settings.DATASET_LICENSE}\n"
        f"Full text: {settings.DATASET_LICENSE_URL}\n\n"
        f"Credit: {settings.SITE_NAME}, {settings.SITE_URL}/\n\n"
        "The licence covers our records: claims, verdicts, explanations, links between "
        "records and the figures derived from them. Quoted passages and any article texts "
        "remain their publishers' and are included as quotation for the purpose of "
        "fact-checking.\n"
    )


def readme_text(written: Iterable[Written]) -> str:
    written = list(written)
    changes = [item.latest_change for item in written if item.latest_change is not None]
    as_of = max(changes).isoformat() if changes else "no data"
    lines = [
        f"# {settings.SITE_NAME}: the public record",
        "",
        f"Source: {settings.SITE_URL}/  ",
        f"Data as of: {as_of} (the latest change among the rows below)  ",
        f"Licence: {settings.DATASET_LICENSE} ({settings.DATASET_LICENSE_URL}); see LICENSE.txt",
        "",
        "Every table comes twice, with the same rows and columns: JSON Lines (`.jsonl`, one "
        "JSON object per line, exact values, null for none) and CSV (`.csv`, UTF-8, a header "
        "row, empty for none; a text cell starting with = + - or @ gets a leading ' so "
        "spreadsheets do not run it). Rows are in id order; ids link the tables. How verdicts "
        "and agreement are decided: " + settings.SITE_URL + reverse("factcheck:methodology"),
        "",
        "| file | rows | sha256 |",
        "|---|---:|---|",
    ]
    for item in written:
        for name, digest in item.checksums.items():
            lines.append(f"| {name} | {item.rows:,} | `{digest}` |")
    for table in TABLES:
        lines += ["", f"## {table.name}", "", table.description, ""]
        lines += [f"- `{column.name}`: {column.description}" for column in table.columns]
    return "\n".join(lines) + "\n"
