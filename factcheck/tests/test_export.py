"""export_dataset: the public record as JSON Lines and CSV, byte-identical from the same
data, and never a draft, work in review, a pending change, an editor note or a hidden article."""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factcheck import services, workflow
from factcheck.export import TABLES
from factcheck.models import (
    Appearance,
    Article,
    Claim,
    Claimant,
    Contradiction,
    Correction,
    EvidenceChange,
    Outlet,
    ReviewStatus,
)
from factcheck.tests.factories import (
    AppearanceFactory,
    ArticleFactory,
    ClaimantFactory,
    ClaimFactory,
    ContradictionFactory,
    OutletFactory,
)
from factcheck.tests.roles import make_user

pytestmark = pytest.mark.django_db

FILES = sorted(
    [f"{table.name}.{ext}" for table in TABLES for ext in ("jsonl", "csv")]
    + ["README.md", "LICENSE.txt"]
)
SECRET = "SECRET"


@pytest.fixture
def seed(db):
    call_command("loaddata", "seed_corpus", verbosity=0)


def export(directory: Path) -> dict[str, bytes]:
    call_command("export_dataset", str(directory), verbosity=0)
    return {path.name: path.read_bytes() for path in sorted(directory.iterdir())}


def rows(directory: Path, table: str) -> list[dict]:
    lines = (directory / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_twice_on_the_same_data_gives_identical_files(seed, tmp_path):
    first = export(tmp_path / "first")
    second = export(tmp_path / "second")
    assert sorted(first) == FILES
    assert first == second
    # Run again into the same directory: replaced in place, nothing left behind.
    assert export(tmp_path / "first") == first


def test_the_dump_holds_exactly_the_public_record(seed, tmp_path):
    export(tmp_path)
    expected = {
        "claims": Claim.objects.public(),
        "appearances": Appearance.objects.public(),
        "articles": Article.objects.public(),
        "outlets": Outlet.objects.public(),
        "contradictions": Contradiction.objects.published(),
        "corrections": Correction.objects.all(),
        "claimants": Claimant.objects.public(),
    }
    for table, queryset in expected.items():
        ids = [row["id"] for row in rows(tmp_path, table)]
        assert ids == sorted(queryset.values_list("pk", flat=True)), table
    assert Claim.objects.exclude(status__in=["published", "retracted"]).exists()
    assert len(rows(tmp_path, "corrections")) == 2
    with open(tmp_path / "claims.csv", encoding="utf-8", newline="") as file:
        table = list(csv.DictReader(file))
    assert [int(row["id"]) for row in table] == [row["id"] for row in rows(tmp_path, "claims")]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in readme
    assert "Data as of: 2026-11-23T09:00:00+00:00" in readme


def test_nothing_unreviewed_reaches_the_dump(tmp_path):
    public = ClaimFactory(editor_note=f"{SECRET} note on a published claim")
    shown = AppearanceFactory(claim=public, editor_note=f"{SECRET} appearance note")
    ContradictionFactory(claim_a=public, editor_note=f"{SECRET} contradiction note")
    hidden_outlet = OutletFactory(name=f"{SECRET} outlet")
    hidden_article = ArticleFactory(outlet=hidden_outlet, title=f"{SECRET} article")
    for status in (ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW):
        claim = ClaimFactory(
            status=ReviewStatus.DRAFT,
            verdict="unrated",
            statement=f"{SECRET} {status} claim",
            claimant=ClaimantFactory(name=f"{SECRET} claimant {status}"),
        )
        AppearanceFactory(claim=claim, article=hidden_article)
        if status == ReviewStatus.IN_REVIEW:
            workflow.claim_transition(claim=claim, name="submit", user=None)
    # An Editor's change to a public claim's evidence waits for a Reviewer.
    held = services.appearance_save(
        appearance=Appearance(
            claim=public,
            article=shown.article,
            quote="Huawei collabora con DeepSeek",
            stance="refutes",
            attribution=f"{SECRET} held attribution",
        ),
        user=make_user("editor"),
    )
    assert held.pk is None and EvidenceChange.objects.pending().exists()

    export(tmp_path)
    for path in tmp_path.iterdir():
        assert SECRET not in path.read_text(encoding="utf-8"), path.name
    assert {row["id"] for row in rows(tmp_path, "appearances")} == {shown.pk}
    for table in ("claims", "appearances", "contradictions"):
        assert all("editor_note" not in row for row in rows(tmp_path, table))


def test_a_retracted_claim_is_in_with_its_notice_and_its_correction(tmp_path):
    claim = AppearanceFactory().claim
    claim.verdict = "false"
    services.claim_save(claim=claim, correction_note="Re-rated")
    workflow.claim_transition(claim=claim, name="retract", user=None, note="Source withdrawn")
    export(tmp_path)
    [row] = rows(tmp_path, "claims")
    assert (row["status"], row["retraction_note"]) == ("retracted", "Source withdrawn")
    assert [c["note"] for c in rows(tmp_path, "corrections")] == ["Re-rated"]


def test_article_texts_only_when_the_setting_allows(settings, tmp_path):
    article = AppearanceFactory().article
    export(tmp_path / "off")
    assert [row["text"] for row in rows(tmp_path / "off", "articles")] == [None]
    settings.DATASET_ARTICLE_TEXT = True
    export(tmp_path / "on")
    assert [row["text"] for row in rows(tmp_path / "on", "articles")] == [article.text]


def test_csv_cells_cannot_run_as_spreadsheet_formulas(tmp_path):
    claim = ClaimFactory(statement="=HYPERLINK(1) is a checkable claim")
    export(tmp_path)
    assert rows(tmp_path, "claims")[0]["statement"] == claim.statement
    with open(tmp_path / "claims.csv", encoding="utf-8", newline="") as file:
        assert next(csv.DictReader(file))["statement"] == "'" + claim.statement


def test_the_licence_comes_from_the_setting(settings, tmp_path):
    settings.DATASET_LICENSE = "ODbL 1.0"
    settings.DATASET_LICENSE_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
    export(tmp_path)
    licence = (tmp_path / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Licence: ODbL 1.0" in licence
    assert "opendatacommons.org" in (tmp_path / "README.md").read_text(encoding="utf-8")


def test_the_queries_do_not_grow_with_the_data(tmp_path, monkeypatch):
    from factcheck import export as dataset

    # Chunks of two rows: more rows mean more chunks, which must not mean more queries.
    monkeypatch.setattr(dataset, "CHUNK_SIZE", 2)
    AppearanceFactory()
    with CaptureQueriesContext(connection) as small:
        export(tmp_path / "small")
    for _ in range(5):
        AppearanceFactory(claim=ClaimFactory(claimant=ClaimantFactory()))
    with CaptureQueriesContext(connection) as larger:
        export(tmp_path / "larger")
    assert len(rows(tmp_path / "larger", "claims")) == 6
    assert len(larger) == len(small)
    # One per table, and the savepoint around them (the test runs in a transaction).
    assert len(larger) == len(TABLES) + 2


def test_a_file_in_the_way_is_a_clear_error(tmp_path):
    target = tmp_path / "taken"
    target.write_text("not a directory")
    with pytest.raises(CommandError, match="is not a directory"):
        call_command("export_dataset", str(target))
