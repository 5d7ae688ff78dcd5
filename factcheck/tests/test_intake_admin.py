"""The Import articles page, batches, originals and outlet aliases in the admin."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from factcheck.intake.tasks import import_item_run
from factcheck.models import Article, ImportBatch, ImportStatus, Original, Outlet, OutletAlias
from factcheck.services.intake import import_batch_stage, import_batch_start
from factcheck.tests.admin_forms import change_form_data
from factcheck.tests.factories import OutletFactory
from factcheck.tests.roles import client_for, make_user

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "intake_files"
UPLOAD = reverse("admin:factcheck_importbatch_add")


def upload(name: str, content: bytes | None = None):
    return SimpleUploadedFile(name, content if content is not None else (FILES / name).read_bytes())


def batch_url(batch) -> str:
    return reverse("admin:factcheck_importbatch_change", args=[batch.pk])


def test_an_editor_uploads_previews_then_imports(committed):
    client = client_for("editor")
    assert client.get(UPLOAD).status_code == 200

    response = client.post(
        UPLOAD,
        {
            "files": [
                upload("newspaper_it.html"),
                upload("scan.pdf", b"%PDF-1.5 x"),
                upload("rail_en.md"),
            ]
        },
    )

    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch_url(batch)
    assert not Article.objects.exists()  # a preview first, nothing imported yet
    page = client.get(batch_url(batch)).content.decode()
    assert "Porto di Genova, traffico container in calo del 12%" in page
    assert "14 March 2025 (day precision)" in page
    assert "<dt>Language</dt><dd>it</dd>" in page
    assert "proposed: <strong>La Gazzetta del Porto</strong> (gazzettadelporto.it)" in page
    assert "scan.pdf: it is a PDF document, not text or HTML" in page
    assert "Il traffico di container nel porto di Genova" in page
    assert "Import 3 files" in page

    with committed():
        response = client.post(reverse("admin:factcheck_importbatch_start", args=[batch.pk]))
    assert response.status_code == 302

    statuses = dict(batch.items.values_list("filename", "status"))
    assert statuses == {
        "newspaper_it.html": ImportStatus.IMPORTED,
        "scan.pdf": ImportStatus.ERROR,
        "rail_en.md": ImportStatus.IMPORTED,
    }
    assert Article.objects.count() == 2
    page = client.get(batch_url(batch)).content.decode()
    assert "3</strong> files:\n    2 imported, 0 duplicate,\n    1 failed" in page
    assert "Confirm this outlet" in page
    listing = client.get(reverse("admin:factcheck_importbatch_changelist")).content.decode()
    assert "3 of 3 (2 imported, 0 duplicate)" in listing


def test_confirming_the_proposed_outlet_from_the_batch_page(committed):
    editor = make_user("editor")
    batch = import_batch_stage(
        files=[("blog.html", (FILES / "blog_en.html").read_bytes())], user=editor
    )
    with committed():
        import_batch_start(batch=batch, user=editor)
    original = Original.objects.get()
    client = client_for("reviewer")

    response = client.post(
        reverse("admin:factcheck_original_confirm_outlet", args=[original.pk]),
        {"next": batch_url(batch)},
    )

    assert response.status_code == 302 and response["Location"] == batch_url(batch)
    outlet = Outlet.objects.get(name="Transit Notes")
    assert original.article.__class__.objects.get(pk=original.article_id).outlet == outlet
    assert "Confirm this outlet" not in client.get(batch_url(batch)).content.decode()


def test_the_upload_respects_the_size_limit_per_file(settings):
    settings.IMPORT_MAX_BYTES = 1000
    client = client_for("editor")
    client.post(UPLOAD, {"files": [upload("newspaper_it.html"), upload("rail_en.md")]})
    batch = ImportBatch.objects.get()
    too_big = batch.items.get(filename="newspaper_it.html")
    assert too_big.status == ImportStatus.ERROR and too_big.data is None
    assert "more than the import limit of 1,000" in too_big.error
    assert batch.items.get(filename="rail_en.md").status == ImportStatus.STAGED


def test_too_many_files_at_once_are_refused_with_a_message(settings):
    settings.IMPORT_MAX_FILES = 1
    response = client_for("editor").post(
        UPLOAD, {"files": [upload("rail_en.md"), upload("bollette_it.txt")]}
    )
    assert response.status_code == 200
    assert "Upload at most 1 files at once; these are 2" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_discarding_a_staged_batch_leaves_nothing():
    client = client_for("editor")
    client.post(UPLOAD, {"files": [upload("rail_en.md")]})
    batch = ImportBatch.objects.get()
    response = client.post(reverse("admin:factcheck_importbatch_discard", args=[batch.pk]))
    assert response.status_code == 302
    assert not ImportBatch.objects.exists() and not Article.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("staff_without_group", False),
        ("editor", True),
        ("reviewer", True),
        ("superuser", True),
    ],
)
def test_only_those_who_may_add_articles_import(role, allowed):
    client = client_for(role)
    response = client.post(UPLOAD, {"files": [upload("rail_en.md")]})
    assert ImportBatch.objects.exists() == allowed
    if not allowed:
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert "/login/" in response["Location"]
    page = client.get(reverse("admin:factcheck_article_changelist")).content.decode()
    assert (f'href="{UPLOAD}"' in page) == allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("anonymous", False), ("staff_without_group", False), ("editor", True), ("reviewer", True)],
)
def test_originals_download_as_attachments_for_staff_only(role, allowed):
    hostile = (
        b"<html><body><script>alert(1)</script><p>"
        + b"Testo dell'articolo. " * 10
        + b"</p></body></html>"
    )
    batch = import_batch_stage(files=[("page<x>.html", hostile)])
    import_batch_start(batch=batch, enqueue=False)
    import_item_run(item_id=batch.items.get().pk)
    original = Original.objects.get()

    response = client_for(role).get(original.get_download_url())

    if not allowed:
        assert response.status_code in (302, 403)
        assert hostile not in response.content
        return
    assert response.status_code == 200
    assert response.content == hostile
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="page_x_.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_batch_page_reads_a_fixed_number_of_queries(committed):
    editor = make_user("editor")
    client = client_for("superuser")
    texts = [
        (f"s{n}.txt", f"Titolo {n}\n\nTesto numero {n} della notizia.".encode()) for n in range(6)
    ]
    counts = []
    for files in (texts[:1], texts[1:]):
        batch = import_batch_stage(files=files, user=editor)
        with committed():
            import_batch_start(batch=batch, user=editor)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(batch_url(batch)).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


# --- Outlet aliases on the outlet's page ---------------------------------------------------


def alias_rows(*rows):
    data = {"aliases-TOTAL_FORMS": str(len(rows)), "aliases-INITIAL_FORMS": "0"}
    for n, (kind, alias) in enumerate(rows):
        data[f"aliases-{n}-kind"] = kind
        data[f"aliases-{n}-alias"] = alias
    return data


def test_aliases_are_added_on_the_outlets_page_through_the_service():
    outlet = OutletFactory(name="Financial Times", slug="financial-times")
    editor = make_user("editor")
    client = Client()
    client.force_login(editor)
    url = reverse("admin:factcheck_outlet_change", args=[outlet.pk])
    data = change_form_data(client, url)
    data.update(alias_rows(("name", "FT"), ("domain", "www.ft.com")))

    response = client.post(url, data)

    assert response.status_code == 302, response.context and response.context["errors"]
    assert set(outlet.aliases.values_list("kind", "key")) == {("name", "ft"), ("domain", "ft.com")}
    assert OutletAlias.history.filter(history_user=editor).count() == 2


def test_an_alias_another_outlet_holds_is_refused_on_the_form():
    ft = OutletFactory(name="Financial Times", slug="financial-times")
    OutletAlias.objects.create(outlet=ft, alias="FT", key="ft")
    other = OutletFactory(name="Fanfulla Times", slug="fanfulla")
    client = client_for("editor")
    url = reverse("admin:factcheck_outlet_change", args=[other.pk])
    data = change_form_data(client, url)
    data.update(alias_rows(("name", "the ft")))

    response = client.post(url, data)

    assert response.status_code == 200
    assert "“the ft” is already an alias of Financial Times." in response.content.decode()
    assert not other.aliases.exists()


def test_batch_and_original_pages_render_for_an_editor(committed):
    editor = make_user("editor")
    batch = import_batch_stage(
        files=[("rail.md", (FILES / "rail_en.md").read_bytes())], user=editor
    )
    with committed():
        import_batch_start(batch=batch, user=editor)
    original = Original.objects.get()
    client = Client()
    client.force_login(editor)
    for url in (
        reverse("admin:factcheck_importbatch_changelist"),
        reverse("admin:factcheck_original_changelist"),
        reverse("admin:factcheck_original_change", args=[original.pk]),
        batch_url(batch),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert original.get_download_url() in client.get(batch_url(batch)).content.decode()
    assert client.get("/admin/factcheck/importbatch/nope/change/").status_code == 404


def test_an_alias_is_deleted_on_the_outlets_page_through_the_service():
    outlet = OutletFactory(name="Financial Times", slug="financial-times")
    alias = OutletAlias(outlet=outlet, alias="FT")
    alias.full_clean()
    alias.save()
    editor = make_user("editor")
    client = Client()
    client.force_login(editor)
    url = reverse("admin:factcheck_outlet_change", args=[outlet.pk])
    # Only the stored alias is posted, not the page's blank extra row.
    data = change_form_data(client, url, **{"aliases-0-DELETE": "on", "aliases-TOTAL_FORMS": 1})

    response = client.post(url, data)

    assert response.status_code == 302
    assert not outlet.aliases.exists()
    assert OutletAlias.history.filter(history_type="-", history_user=editor).count() == 1
