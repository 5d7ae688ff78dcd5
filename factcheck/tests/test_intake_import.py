"""Importing files: the article and its original in one transaction, outlets found or
proposed, duplicates recognised, bad files reported by name with nothing left behind."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from factcheck import services
from factcheck.intake import credits, duplicates
from factcheck.intake.importer import JSON_FIELDS, article_import
from factcheck.models import (
    Article,
    DatePrecision,
    ImportBatch,
    ImportItem,
    ImportStatus,
    Original,
    OutletAlias,
)
from factcheck.services.intake import outlet_proposal_confirm
from factcheck.tests.factories import ArticleFactory, OutletFactory
from factcheck.tests.roles import make_user

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "intake_files"


def data(name: str) -> bytes:
    return (FILES / name).read_bytes()


def add_alias(outlet, value, kind="name"):
    return services.outlet_alias_save(alias=OutletAlias(outlet=outlet, alias=value, kind=kind))


def row_counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Article, Article.history.model, Original, ImportBatch, ImportItem)
    }


@pytest.fixture
def outlets(db):
    gazzetta = OutletFactory(name="Gazzetta del Porto", slug="gazzetta", language="it")
    add_alias(gazzetta, "gazzettadelporto.it", kind="domain")
    wire = OutletFactory(name="Global Wire", slug="global-wire", language="en")
    return {"gazzetta": gazzetta, "wire": wire}


def test_a_saved_page_becomes_a_non_public_article_with_its_original(outlets):
    editor = make_user("editor")
    result = article_import(
        data=data("newspaper_it.html"), filename="newspaper_it.html", user=editor
    )

    assert result.status == ImportStatus.IMPORTED, result.error
    article = Article.objects.get(pk=result.article.pk)
    assert article.outlet == outlets["gazzetta"]  # by the canonical address's domain
    assert article.title == "Porto di Genova, traffico container in calo del 12%"
    assert (article.published_on, article.date_precision) == (
        datetime.date(2025, 3, 14),
        DatePrecision.DAY,
    )
    assert article.language == "it"
    assert article.author == "Giulia Ferraro"
    assert article.url.startswith("https://www.gazzettadelporto.it/economia/")
    assert article.is_archived and article.origin_id == article.pk
    assert not Article.objects.public().filter(pk=article.pk).exists()
    assert article.history.latest().history_user == editor

    original = article.original
    assert bytes(original.data) == data("newspaper_it.html")
    assert original.media_type == "text/html"
    assert original.size == len(data("newspaper_it.html"))
    assert len(original.sha256) == 64
    assert original.filename == "newspaper_it.html"
    assert original.captured_by == editor
    assert not original.has_proposal


def test_the_outlet_is_found_by_the_stated_site_name_too(outlets):
    result = article_import(data=data("wire_en.html"), filename="wire_en.html")
    assert result.article.outlet == outlets["wire"]
    assert result.as_json()["outlet"] == "Global Wire"


def test_an_unknown_publisher_is_proposed_and_one_confirmation_creates_and_assigns_it():
    first = article_import(data=data("blog_en.html"), filename="blog_en.html")
    second_page = (
        data("blog_en.html")
        .replace(b"night-buses", b"night-buses-2")
        .replace(b"more than 40,000", b"more than 41,000")
    )
    second = article_import(data=second_page, filename="blog_en_2.html")
    assert first.article.outlet is None and second.article.outlet is None
    assert first.proposed_outlet == ("Transit Notes", "transitnotes.example.org")
    assert first.article.original.proposed_outlet_domain == "transitnotes.example.org"

    reviewer = make_user("reviewer")
    outlet = outlet_proposal_confirm(original=first.article.original, user=reviewer)

    assert outlet.name == "Transit Notes"
    assert outlet.homepage == "https://transitnotes.example.org/"
    assert set(outlet.aliases.values_list("kind", "key")) == {
        ("domain", "transitnotes.example.org"),
        ("name", "transit notes"),
    }
    for result in (first, second):
        article = Article.objects.get(pk=result.article.pk)
        assert article.outlet == outlet
        assert not article.original.has_proposal
    # Next time the page's domain finds the outlet directly.
    third = article_import(
        data=data("blog_en.html").replace(b"night-buses", b"night-buses-3"), filename="b3.html"
    )
    assert third.article.outlet == outlet and third.proposed_outlet is None


def test_confirming_a_proposal_needs_permission_to_add_outlets():
    result = article_import(data=data("blog_en.html"), filename="blog_en.html")
    staff = make_user("staff_without_group")
    with pytest.raises(PermissionDenied):
        outlet_proposal_confirm(original=result.article.original, user=staff)
    assert Article.objects.get(pk=result.article.pk).outlet is None


def test_the_same_file_again_is_a_duplicate_and_writes_nothing(outlets):
    first = article_import(data=data("wire_en.html"), filename="wire_en.html")
    before = row_counts()

    again = article_import(data=data("wire_en.html"), filename="copy of wire_en.html")

    assert again.status == ImportStatus.DUPLICATE
    assert again.article.pk == first.article.pk
    assert again.error is None
    assert row_counts() == before


def test_a_page_resaved_with_other_bytes_but_the_same_address_is_a_duplicate(outlets):
    first = article_import(data=data("wire_en.html"), filename="wire_en.html")
    before = row_counts()
    resaved = data("wire_en.html").replace(b"<title>", b"<title>(saved again) ")
    again = article_import(data=resaved, filename="wire_again.html")
    assert (again.status, again.article.pk) == (ImportStatus.DUPLICATE, first.article.pk)
    assert row_counts() == before


BAD_FILES = [
    ("scan.pdf", b"%PDF-1.7\n1 0 obj", "scan.pdf: it is a PDF document, not text or HTML"),
    ("nav_only.html", b"<html><body><nav>Home</nav></body></html>", "nav_only.html: no article"),
    ("latin1.txt", "Perché è così\n\nTesto".encode("latin-1"), "latin1.txt: it is not valid utf-8"),
    ("control.txt", b"Title\n\nText with \x1b escape.", "control.txt: its text holds the control"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES)
def test_bad_files_are_reported_by_name_and_leave_no_rows(name, content, message):
    before = row_counts()
    result = article_import(data=content, filename=name)
    assert result.status == ImportStatus.ERROR
    assert result.error.startswith(message)
    assert result.as_json()["article"] is None
    assert row_counts() == before


def test_a_file_over_the_size_limit_is_refused_unread(settings):
    settings.IMPORT_MAX_BYTES = 1000
    before = row_counts()
    result = article_import(data=b"x" * 1001, filename="huge.txt")
    assert result.error == "huge.txt: it has 1,001 bytes, more than the import limit of 1,000"
    assert row_counts() == before


def test_a_failure_after_the_article_was_saved_leaves_no_rows(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("signature store down")

    # The lookup runs after the article and its original are saved.
    monkeypatch.setattr(duplicates, "near_duplicates", broken)
    before = row_counts()
    with pytest.raises(RuntimeError):
        article_import(data=data("bollette_it.txt"), filename="bollette_it.txt")
    assert row_counts() == before


def test_an_invalid_article_is_reported_with_the_models_message_and_no_rows(monkeypatch):
    existing = ArticleFactory(url="https://globalwire.example.com/business/copper-record-chile")
    before = row_counts()
    # The same address as a stored article: reported as that article, not a second one.
    result = article_import(data=data("wire_en.html"), filename="wire_en.html")
    assert (result.status, result.article.pk) == (ImportStatus.DUPLICATE, existing.pk)
    assert row_counts() == before


def test_importing_needs_permission_to_add_articles():
    with pytest.raises(PermissionDenied):
        article_import(
            data=data("bollette_it.txt"), filename="x.txt", user=make_user("staff_without_group")
        )
    assert not Article.objects.exists()


# --- The command and its JSON interface --------------------------------------------------


def run_import(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    failure = None
    try:
        call_command("import_articles", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as error:
        failure = error
    return out.getvalue(), err.getvalue(), failure


def test_json_lines_follow_the_interface(tmp_path, outlets, monkeypatch):
    stored = ArticleFactory(language="en")
    ft = OutletFactory(name="Financial Times", slug="ft")
    monkeypatch.setattr(
        duplicates,
        "near_duplicates",
        lambda text, language="", exclude=None: [
            duplicates.NearDuplicate(article_id=stored.pk, similarity=0.91234567)
        ],
    )
    monkeypatch.setattr(
        credits,
        "credits_find",
        lambda text, language="": [
            credits.Credit(name="FT", outlet=ft, phrase=text[0:6], start=0, end=6),
            credits.Credit(name="Il Foglio", outlet=None, phrase=text[7:12], start=7, end=12),
        ],
    )
    (tmp_path / "a.html").write_bytes(data("wire_en.html"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(data("bollette_it.txt"))
    (tmp_path / "sub" / "c.pdf").write_bytes(b"%PDF-1.4 nothing")
    (tmp_path / "sub" / "d.txt").write_bytes(data("bollette_it.txt"))

    out, _err, failure = run_import(tmp_path, "--json")

    lines = [json.loads(line) for line in out.splitlines()]
    assert [list(line) for line in lines] == [list(JSON_FIELDS)] * 4
    assert [Path(line["file"]).name for line in lines] == ["a.html", "b.txt", "c.pdf", "d.txt"]
    wire, bollette, pdf, duplicate = lines
    assert wire == {
        "file": str(tmp_path / "a.html"),
        "status": "imported",
        "error": None,
        "article": wire["article"],
        "title": "Copper prices hit record as Chilean mines cut output",
        "language": "en",
        "published": "2025-05-06",
        "outlet": "Global Wire",
        "near_duplicates": [{"article": stored.pk, "similarity": 0.9123}],
        "credited_sources": [
            {"name": "FT", "outlet": "Financial Times", "phrase": "Copper", "start": 0, "end": 6},
            {"name": "Il Foglio", "outlet": None, "phrase": "price", "start": 7, "end": 12},
        ],
    }
    assert Article.objects.get(pk=wire["article"]).title == wire["title"]
    assert (bollette["status"], bollette["published"], bollette["outlet"]) == (
        "imported",
        None,
        None,
    )
    assert pdf["status"] == "error" and pdf["article"] is None
    assert pdf["error"] == f"{tmp_path / 'sub' / 'c.pdf'}: it is a PDF document, not text or HTML"
    assert (pdf["near_duplicates"], pdf["credited_sources"]) == ([], [])
    assert (duplicate["status"], duplicate["article"]) == ("duplicate", bollette["article"])
    # One file failed, the batch went on, and the exit status says so.
    assert failure is not None and failure.returncode == 1
    assert Article.objects.filter(original__isnull=False).count() == 2
    batch = ImportBatch.objects.get()
    assert list(batch.items.values_list("status", flat=True)) == [
        "imported",
        "imported",
        "error",
        "duplicate",
    ]
    assert not batch.items.filter(data__isnull=False).exists()


def test_the_command_reports_problems_and_a_summary(tmp_path, settings):
    settings.IMPORT_MAX_BYTES = 2000
    (tmp_path / "big.html").write_bytes(data("newspaper_it.html"))
    (tmp_path / "ok.md").write_bytes(data("rail_en.md"))
    out, err, failure = run_import(tmp_path / "big.html", tmp_path / "ok.md")
    size = len(data("newspaper_it.html"))
    assert f"{tmp_path / 'big.html'}: it has {size:,} bytes, more than the import limit" in err
    assert "1 imported, 0 duplicate, 1 failed." in out
    assert failure.returncode == 1
    # The oversized file's bytes were never stored.
    assert ImportItem.objects.get(status=ImportStatus.ERROR).data is None


def test_all_files_imported_exits_cleanly(tmp_path):
    (tmp_path / "ok.md").write_bytes(data("rail_en.md"))
    out, err, failure = run_import(tmp_path)
    assert failure is None and err == ""
    assert "1 imported, 0 duplicate, 0 failed." in out


def test_the_command_acts_as_a_named_user_with_their_permissions(tmp_path):
    (tmp_path / "ok.md").write_bytes(data("rail_en.md"))
    editor = make_user("editor")
    run_import(tmp_path, "--user", "editor")
    assert Original.objects.get().captured_by == editor
    assert ImportBatch.objects.get().created_by == editor

    make_user("staff_without_group")
    _, _, failure = run_import(tmp_path, "--user", "staff_without_group")
    assert "staff_without_group may not import articles" in str(failure)
    _, _, failure = run_import(tmp_path, "--user", "nobody")
    assert "No user named 'nobody'" in str(failure)
    assert ImportBatch.objects.count() == 1
    assert User.objects.filter(username="nobody").count() == 0


def test_a_missing_path_is_refused_before_anything_is_imported(tmp_path):
    (tmp_path / "ok.md").write_bytes(data("rail_en.md"))
    _, _, failure = run_import(tmp_path, tmp_path / "missing.html")
    assert "missing.html: no such file or folder" in str(failure)
    assert not ImportBatch.objects.exists() and not Article.objects.exists()


def test_with_the_database_backend_the_command_can_leave_the_files_to_workers(tmp_path, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    (tmp_path / "ok.md").write_bytes(data("rail_en.md"))
    out, _, failure = run_import(tmp_path, "--no-wait")
    batch = ImportBatch.objects.get()
    assert failure is None and f"Batch {batch.pk}: 1 files queued." in out
    assert list(batch.items.values_list("status", flat=True)) == [ImportStatus.QUEUED]
    assert DBTaskResult.objects.count() == 1
    assert not Article.objects.exists()


def test_an_imported_reprint_and_its_credits_wait_as_suggestions_for_the_editor(db):
    """What the import reports is stored on the article, for the editor to decide."""
    from factcheck.models import OutletAlias, ProvenanceSuggestion, SuggestionKind
    from factcheck.tests.factories import ArticleFactory, OutletFactory

    ft = OutletFactory(name="Financial Times", slug="financial-times")
    OutletAlias.objects.create(outlet=ft, alias="FT", key="ft")
    story = (
        "Le aziende cinesi stanno addestrando i loro modelli di intelligenza artificiale "
        "nei centri dati del sud-est asiatico per usare i chip Nvidia, scrive il Financial "
        "Times. I centri in Malesia e a Singapore offrono i processori che gli Stati Uniti "
        "non vendono alla Cina, e le aziende ne affittano la capacità di calcolo."
    )
    original = ArticleFactory(text=story, title="Originale")
    result = article_import(
        data=("Ristampa\n\n" + story.replace("stanno", "starebbero") + "\n").encode(),
        filename="ristampa.txt",
        user=None,
    )
    assert result.status == "imported"
    suggestions = ProvenanceSuggestion.objects.filter(article=result.article, status="open")
    near = suggestions.get(kind=SuggestionKind.NEAR_DUPLICATE)
    assert near.other_id == original.pk and near.similarity >= 0.8
    credit = suggestions.get(kind=SuggestionKind.CREDIT)
    assert credit.outlet == ft
    assert result.article.text[credit.start : credit.end] == credit.phrase
