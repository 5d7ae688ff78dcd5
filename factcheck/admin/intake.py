"""Import articles: upload files, see what was extracted, import; batches and originals.

Every write goes through the services: staging and starting a batch, confirming a
proposed outlet, outlet aliases. Originals are hostile content (any page someone saved):
they are only ever sent as downloads, never shown.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from factcheck import services
from factcheck.intake.importer import article_preview, size_error
from factcheck.models import (
    ImportBatch,
    ImportItem,
    ImportStatus,
    Original,
    OutletAlias,
    alias_key,
)
from factcheck.services.intake import IMPORT_PERMISSION

ORIGINAL_PERMISSION = "factcheck.view_article"
PREVIEW_CHARACTERS = 600


# --- Outlet aliases, inline on the outlet ---------------------------------------------


class OutletAliasForm(forms.ModelForm):
    class Meta:
        model = OutletAlias
        fields = ["kind", "alias"]

    def clean(self):
        cleaned_data = super().clean()
        kind, value = cleaned_data.get("kind"), cleaned_data.get("alias")
        if kind and value:
            key = alias_key(value, kind=kind)
            taken = OutletAlias.objects.filter(kind=kind, key=key).exclude(pk=self.instance.pk)
            holder = taken.select_related("outlet").first()
            if holder is not None:
                self.add_error("alias", f"“{value}” is already an alias of {holder.outlet}.")
        return cleaned_data


class OutletAliasInline(admin.TabularInline):
    model = OutletAlias
    form = OutletAliasForm
    extra = 1
    fields = ["kind", "alias"]

    # Aliases are part of the outlet's record: whoever may change the outlet edits them
    # (the roles hold no permissions of their own for aliases).
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("factcheck.view_outlet")

    def has_add_permission(self, request, obj=None):
        return request.user.has_perm("factcheck.change_outlet")

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("factcheck.change_outlet")

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("factcheck.change_outlet")


class OutletAliasFormsetMixin:
    """Aliases typed on the outlet's page are saved and deleted through the services."""

    def save_formset(self, request, form, formset, change):
        if formset.model is not OutletAlias:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for alias in formset.deleted_objects:
            services.outlet_alias_delete(alias=alias, user=request.user)
        for alias in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            alias.outlet = form.instance
            services.outlet_alias_save(alias=alias, user=request.user)


# --- The upload form -------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".html,.htm,.txt,.md"}))
        # An empty file is reported by the importer, with its name, like any other bad file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportUploadForm(forms.Form):
    files = MultipleFileField(
        help_text="Saved web pages (.html) or text files (.txt, .md); several at once."
    )

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > settings.IMPORT_MAX_FILES:
            raise ValidationError(
                f"Upload at most {settings.IMPORT_MAX_FILES} files at once; "
                f"these are {len(files)}. The import_articles command takes folders of any size."
            )
        return files


def uploaded_content(uploaded) -> bytes | str:
    """The file's bytes, or why they are not kept (too large: never read into memory)."""
    refused = size_error(filename=uploaded.name, size=uploaded.size)
    return refused if refused else uploaded.read()


# --- Import batches ---------------------------------------------------------------------


def with_progress(queryset):
    return queryset.select_related("created_by").annotate(
        file_total=Count("items"),
        imported_total=Count("items", filter=Q(items__status=ImportStatus.IMPORTED)),
        duplicate_total=Count("items", filter=Q(items__status=ImportStatus.DUPLICATE)),
        failed_total=Count("items", filter=Q(items__status=ImportStatus.ERROR)),
        waiting_total=Count(
            "items", filter=Q(items__status__in=[ImportStatus.STAGED, ImportStatus.QUEUED])
        ),
    )


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "created_by", "file_total", "progress", "failed_total"]
    list_display_links = ["__str__"]

    def has_module_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_add_permission(self, request):
        return request.user.has_perm(IMPORT_PERMISSION)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return with_progress(super().get_queryset(request))

    @admin.display(description="Files", ordering="file_total")
    def file_total(self, batch):
        return batch.file_total

    @admin.display(description="Done")
    def progress(self, batch):
        done = batch.file_total - batch.waiting_total
        return format_html(
            "{} of {} ({} imported, {} duplicate)",
            done,
            batch.file_total,
            batch.imported_total,
            batch.duplicate_total,
        )

    @admin.display(description="Failed", ordering="failed_total")
    def failed_total(self, batch):
        return batch.failed_total

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/start/",
                self.admin_site.admin_view(require_POST(self.start_view)),
                name="{}_{}_start".format(*info),
            ),
            path(
                "<int:pk>/discard/",
                self.admin_site.admin_view(require_POST(self.discard_view)),
                name="{}_{}_discard".format(*info),
            ),
            *super().get_urls(),
        ]

    def _context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}

    def add_view(self, request, form_url="", extra_context=None):
        """The Import articles page: upload files; they wait in a batch for the preview."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            batch = services.import_batch_stage(
                files=[(f.name, uploaded_content(f)) for f in form.cleaned_data["files"]],
                user=request.user,
            )
            return HttpResponseRedirect(
                reverse("admin:factcheck_importbatch_change", args=[batch.pk])
            )
        context = self._context(
            request,
            title="Import articles",
            form=form,
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_files=settings.IMPORT_MAX_FILES,
        )
        return TemplateResponse(request, "admin/factcheck/import_upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A batch: the preview of its files before they are imported, then each outcome."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if not str(object_id).isdigit():
            raise Http404("No such import batch.")
        batch = get_object_or_404(self.get_queryset(request), pk=object_id)
        items = list(
            ImportItem.objects.filter(batch=batch)
            .select_related("article__outlet", "article__original")
            .defer("article__text", "article__original__data")
            .order_by("position")
        )
        rows = []
        for item in items:
            preview = None
            if item.status == ImportStatus.STAGED:
                preview = article_preview(data=bytes(item.data), filename=item.filename)
            rows.append({"item": item, "preview": preview})
        context = self._context(
            request,
            title=str(batch),
            batch=batch,
            rows=rows,
            staged=sum(item.status == ImportStatus.STAGED for item in items),
            waiting=batch.waiting_total,
            preview_characters=PREVIEW_CHARACTERS,
            may_confirm_outlets=request.user.has_perm("factcheck.add_outlet"),
        )
        return TemplateResponse(request, "admin/factcheck/import_batch.html", context)

    def start_view(self, request, pk):
        if not self.has_add_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=pk)
        queued = services.import_batch_start(batch=batch, user=request.user)
        self.message_user(request, f"{len(queued)} files queued for import.", messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:factcheck_importbatch_change", args=[pk]))

    def discard_view(self, request, pk):
        if not self.has_add_permission(request):
            raise PermissionDenied
        batch = get_object_or_404(ImportBatch, pk=pk)
        services.import_batch_discard(batch=batch, user=request.user)
        self.message_user(request, "The files not yet imported were discarded.", messages.SUCCESS)
        if ImportBatch.objects.filter(pk=pk).exists():
            return HttpResponseRedirect(reverse("admin:factcheck_importbatch_change", args=[pk]))
        return HttpResponseRedirect(reverse("admin:factcheck_importbatch_add"))


# --- Originals ---------------------------------------------------------------------------


@admin.register(Original)
class OriginalAdmin(admin.ModelAdmin):
    list_display = ["filename", "article_link", "media_type", "size", "captured_at", "proposal"]
    list_filter = ["media_type"]
    search_fields = ["filename", "sha256", "article__title", "proposed_outlet_domain"]
    list_select_related = ["article__outlet"]
    fields = [
        "filename",
        "article_link",
        "media_type",
        "size",
        "sha256",
        "captured_at",
        "captured_by",
        "proposal",
        "download",
    ]
    readonly_fields = fields
    actions = ["confirm_proposed_outlets"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data", "article__text")

    def has_module_permission(self, request):
        return request.user.has_perm(ORIGINAL_PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(ORIGINAL_PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # it goes with its article

    @admin.display(description="Article")
    def article_link(self, original):
        url = reverse("admin:factcheck_article_change", args=[original.article_id])
        return format_html('<a href="{}">{}</a>', url, original.article.display_title)

    @admin.display(description="Proposed outlet")
    def proposal(self, original):
        if not original.has_proposal:
            return "—"
        return format_html(
            "{} ({})", original.proposed_outlet_name or "no name", original.proposed_outlet_domain
        )

    @admin.display(description="Original file")
    def download(self, original):
        return format_html('<a href="{}">Download</a>', original.get_download_url())

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="{}_{}_download".format(*info),
            ),
            path(
                "<int:pk>/confirm-outlet/",
                self.admin_site.admin_view(require_POST(self.confirm_outlet_view)),
                name="{}_{}_confirm_outlet".format(*info),
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        """The file as captured, as an attachment of no renderable type: a browser saves it
        and never runs its scripts on this site."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        original = get_object_or_404(Original, pk=pk)
        response = HttpResponse(bytes(original.data), content_type="application/octet-stream")
        safe_name = "".join(c if c.isalnum() or c in "._-" else "_" for c in original.filename)
        response["Content-Disposition"] = f'attachment; filename="{safe_name or "original"}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        response["X-Original-Media-Type"] = original.media_type
        return response

    def confirm_outlet_view(self, request, pk):
        original = get_object_or_404(Original, pk=pk)
        self._confirm(request, [original])
        back = request.POST.get("next", "")
        if not back.startswith("/admin/") or "//" in back:
            back = reverse("admin:factcheck_original_changelist")
        return HttpResponseRedirect(back)

    @admin.action(description="Confirm the proposed outlet of the selected originals")
    def confirm_proposed_outlets(self, request, queryset):
        self._confirm(request, list(queryset))

    def _confirm(self, request, originals):
        for original in originals:
            # An earlier confirmation in this loop may have settled this one's proposal.
            original.refresh_from_db(fields=["proposed_outlet_name", "proposed_outlet_domain"])
            if not original.has_proposal:
                continue
            try:
                outlet = services.outlet_proposal_confirm(original=original, user=request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            except ValidationError as error:
                self.message_user(
                    request, f"{original}: {' '.join(error.messages)}", messages.ERROR
                )
                continue
            self.message_user(
                request,
                format_html(
                    'Outlet <a href="{}">{}</a> assigned to the articles that proposed it.',
                    reverse("admin:factcheck_outlet_change", args=[outlet.pk]),
                    outlet,
                ),
                messages.SUCCESS,
            )
