"""Claims in the admin: the form, the workflow's rules on it, filters and evidence inlines.

The review steps, the review queue and the evidence review screen live in admin/review.py.
"""

from types import SimpleNamespace

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import formats, timezone
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from factcheck import services, workflow
from factcheck.admin.base import ClaimAppearanceInline, EvidenceFormsetsMixin, HistoryAdmin
from factcheck.admin.forms import EditorForm, stored_row
from factcheck.admin.review import ReviewViewsMixin
from factcheck.agreement import claim_agreement_breakdown
from factcheck.models import Appearance, Claim, Claimant, ClaimTransition, Correction, Outlet
from factcheck.selectors import article_languages, claim_appearances


class ClaimAdminForm(EditorForm):
    """The claim form, with the workflow's rules checked as part of validation.

    `user` is set by ClaimAdmin.get_form; the workflow decides what that user may change.
    """

    user = None

    correction_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Public. Required when you change the statement or verdict of a published "
        "claim: readers see it as a dated correction.",
    )

    class Meta:
        model = Claim
        # What readers see (the workflow locks it once the claim is public), and the note
        # editors keep for themselves.
        fields = [*workflow.PUBLIC_FIELDS, "editor_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A revert restores content, not a place in the review workflow.
            self.instance.status = stored_row(self.instance).status

    def check_version(self):
        """claim_check_save below checks the version with the rest of the workflow."""

    def _post_clean(self):
        super()._post_clean()
        if self.instance.pk is None or self.errors:
            return
        current = Claim.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # The admin's change view is atomic: hold the row until this save commits.
            current = current.select_for_update()
        try:
            workflow.claim_check_save(
                claim=self.instance,
                current=current.get(),
                user=self.user,
                expected_version=self.cleaned_data.get("expected_version"),
                correction_note=self.cleaned_data.get("correction_note", ""),
            )
        except ValidationError as error:
            self._update_errors(error)
        except PermissionDenied as error:
            self.add_error(None, str(error))


class ClaimTransitionInline(admin.TabularInline):
    model = ClaimTransition
    extra = 0
    can_delete = False
    fields = ["created_at", "from_status", "to_status", "verdict", "user", "note"]
    readonly_fields = fields
    verbose_name = "review step"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CorrectionInline(ClaimTransitionInline):
    model = Correction
    fields = ["created_at", "previous_verdict", "new_verdict", "previous_statement", "user", "note"]
    readonly_fields = fields
    verbose_name = "public correction"


class ReviewQueueFilter(admin.SimpleListFilter):
    title = "review queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return [
            ("conflicts", "Conflicts with the verdict"),
            ("pending_evidence", "Evidence waiting for review"),
            ("awaiting", "Awaiting review"),
            ("agreement_changed", "Agreement changed since review"),
            ("contradicted", "In an open contradiction"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "conflicts":
            return queryset.with_open_alert()
        if self.value() == "pending_evidence":
            return queryset.with_pending_evidence()
        if self.value() == "awaiting":
            return queryset.awaiting_review()
        if self.value() == "agreement_changed":
            return queryset.agreement_changed_since_review()
        if self.value() == "contradicted":
            return queryset.in_open_contradiction()
        return queryset


class QuotedByFilter(admin.SimpleListFilter):
    """Claims quoted by an article matching `appearance_filter(value)`.

    The choices come from a small table and the filter is an EXISTS per claim, so neither
    reads the appearances of every claim on each request.
    """

    def appearance_filter(self, value) -> dict:
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        quoted = Appearance.objects.filter(
            claim=OuterRef("pk"), **self.appearance_filter(self.value())
        )
        return queryset.filter(Exists(quoted))


class QuotedByOutletFilter(QuotedByFilter):
    """Outlets found by name rather than all listed: a newsroom quotes hundreds, and a
    link for each made the sidebar a large part of every claim list."""

    title = "quoted by outlet"
    parameter_name = "outlet"
    search_parameter = "outlet_name"
    template = "admin/factcheck/claim/outlet_filter.html"
    matches_shown = 20

    def __init__(self, request, params, model, model_admin):
        # Popped here, like the filter's own parameter, so the list takes it for no lookup.
        self.search = params.pop(self.search_parameter, [""])[-1].strip()
        self.kept_parameters = [
            (name, value)
            for name, values in request.GET.lists()
            if name not in (self.parameter_name, self.search_parameter, PAGE_VAR)
            for value in values
        ]
        super().__init__(request, params, model, model_admin)

    def expected_parameters(self):
        return [self.parameter_name, self.search_parameter]

    def has_output(self):
        return True  # the search box, even before anything is searched

    def lookups(self, request, model_admin):
        shown = Q(name__icontains=self.search) if self.search else Q(pk__in=[])
        if self.value() is not None and self.value().isdigit():
            shown |= Q(pk=self.value())  # the chosen outlet stays visible as selected
        outlets = Outlet.objects.filter(shown).order_by("name")
        return outlets.values_list("pk", "name")[: self.matches_shown + 1]

    def appearance_filter(self, value):
        return {"article__outlet_id": value}


class QuotedInLanguageFilter(QuotedByFilter):
    title = "quoted in language"
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, code) for code in article_languages()]

    def appearance_filter(self, value):
        return {"article__language": value}


class ClaimChangeList(ChangeList):
    """Each row's change link filled into one reversed address, not reversed per row, and
    the rows written directly (result_rows)."""

    row_marker = 9081726354
    # The kinds of column result_rows writes as Django's items_for_result would; any
    # other column leaves the rows to Django.
    plain_fields = (models.CharField, models.IntegerField, models.FloatField)

    def result_rows(self) -> list[list[SafeString]] | None:
        """The result list's rows as items_for_result writes them, cell for cell, for the
        claims' columns (text, choices, numbers, a date and time): Django formats every
        cell through lookup_field and display_for_field, most of a 100-row page's cost.
        Here each choice label and number is formatted once per page. None when a column,
        a popup or list_editable asks for Django's own rows."""
        links = list(self.list_display_links or [])
        if self.is_popup or self.formset or self.list_display[0] != "action_checkbox":
            return None
        if links != self.list_display[1:2]:
            return None
        fields = []
        for name in self.list_display[1:]:
            try:
                field = self.lookup_opts.get_field(name)
            except FieldDoesNotExist:
                return None
            if not isinstance(field, (*self.plain_fields, models.DateTimeField)):
                return None
            if field.is_relation or field.auto_created:
                return None
            fields.append(field)
        empty = self.model_admin.get_empty_value_display()
        labels = {
            field.name: {value: str(label) for value, label in field.flatchoices}
            for field in fields
            if field.flatchoices
        }
        numbers: dict[tuple, str] = {}

        def cell(field, value) -> str:
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if field.name in labels:
                return labels[field.name].get(value, empty)
            if value in field.empty_values:
                return empty
            if isinstance(field, models.DateTimeField):
                return formats.localize(timezone.template_localtime(value))
            if isinstance(field, (models.IntegerField, models.FloatField)):
                key = (type(value), value)
                if key not in numbers:
                    numbers[key] = formats.number_format(value)
                return numbers[key]
            return str(value)

        classes = [
            f"field-{field.name}" + (" nowrap" if isinstance(field, models.DateTimeField) else "")
            for field in fields
        ]
        rows = []
        for result in self.result_list:
            checkbox = self.model_admin.action_checkbox(result)
            url = add_preserved_filters(
                {"preserved_filters": self.preserved_filters, "opts": self.opts},
                self.url_for_result(result),
            )
            first, *others = (
                conditional_escape(cell(field, getattr(result, field.attname))) for field in fields
            )
            row = [
                f'<td class="action-checkbox">{checkbox}</td>',
                f'<th class="{classes[0]}"><a href="{escape(url)}">{first}</a></th>',
                *(
                    f'<td class="{name}">{value}</td>'
                    for name, value in zip(classes[1:], others, strict=True)
                ),
            ]
            rows.append([mark_safe("".join(row))])  # every value escaped above
        return rows

    def url_for_result(self, result):
        if not hasattr(self, "_change_url_parts"):
            marked = super().url_for_result(SimpleNamespace(**{self.pk_attname: self.row_marker}))
            parts = marked.split(str(self.row_marker))
            self._change_url_parts = parts if len(parts) == 2 else None
        if self._change_url_parts is None:
            return super().url_for_result(result)
        return quote(str(getattr(result, self.pk_attname))).join(self._change_url_parts)


@admin.register(Claim)
class ClaimAdmin(ReviewViewsMixin, EvidenceFormsetsMixin, HistoryAdmin):
    form = ClaimAdminForm
    change_form_template = "admin/factcheck/claim/change_form.html"
    change_list_template = "admin/factcheck/claim/change_list.html"
    list_display = [
        "statement",
        "status",
        "verdict",
        "agreement_label",
        "agreement_score",
        "appearance_count",
        "article_count",
        "origin_count",
        "updated_at",
    ]
    list_filter = [
        ReviewQueueFilter,
        "status",
        "verdict",
        "agreement_label",
        QuotedByOutletFilter,
        "appearances__stance",
        QuotedInLanguageFilter,
    ]
    # Counting every claim a second time, unfiltered, is not worth it on each page view.
    show_full_result_count = False
    search_fields = ["statement", "statement_it", "context", "slug"]
    autocomplete_fields = ["claimant"]
    # Offered only where the slug is editable (get_prepopulated_fields); the history
    # revert page reads this attribute directly and must not see a read-only slug here.
    prepopulated_fields = {}
    always_read_only = [
        "status",
        "retraction_note",
        "agreement_label",
        "agreement_score",
        "agreement_breakdown",
        "reviewed_at",
        "reviewed_by",
        "version",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "context", "claimant"]}),
        (
            "Italian (shown to Italian readers; empty fields show the English)",
            {"fields": ["statement_it", "context_it", "verdict_summary_it"]},
        ),
        (
            "Review",
            {
                "fields": [
                    "status",
                    "verdict",
                    "verdict_summary",
                    "correction_note",
                    "retraction_note",
                    "editor_note",
                    "expected_version",
                ]
            },
        ),
        (
            "Agreement (computed from the reviewed appearances)",
            {"fields": ["agreement_label", "agreement_score", "agreement_breakdown"]},
        ),
        (
            "Record",
            {
                "fields": ["reviewed_at", "reviewed_by", "version", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [ClaimAppearanceInline, CorrectionInline, ClaimTransitionInline]
    actions = ["submit_for_review", "return_to_draft", "publish", "mark_reviewed"]

    def action_checkbox(self, obj):
        """Django's checkbox column, written directly: its widget template, rendered once
        per row, was most of the cost of a 100-row list."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )

    def get_changelist(self, request, **kwargs):
        return ClaimChangeList

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        return type(form_class.__name__, (form_class,), {"user": request.user})

    def get_readonly_fields(self, request, obj=None):
        # A history record carries the status it had then; the rules follow today's row.
        stored = stored_row(obj) if obj is not None else Claim()
        locked = workflow.claim_fields_locked_for(claim=stored, user=request.user)
        return [*self.always_read_only, *locked]

    def get_prepopulated_fields(self, request, obj=None):
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return {"slug": ["statement"]}

    def has_delete_permission(self, request, obj=None):
        # Claims readers have seen are retracted, never deleted.
        if obj is not None and workflow.claim_was_ever_published(obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return request.user.has_perm(workflow.PUBLISH_PERMISSION)

    @admin.display(description="Why this label")
    def agreement_breakdown(self, claim):
        if claim.pk is None:
            return "Computed once the claim has appearances."
        breakdown = claim_agreement_breakdown(
            claim=claim, appearances=claim_appearances(claim=claim)
        )
        agreement = breakdown.agreement
        summary = format_html(
            "<p>{} Origins: {} supporting, {} refuting, {} qualifying, {} mentioning; "
            "{} appearances in {} articles from {} independent origins.</p>",
            agreement.reason,
            agreement.supporting,
            agreement.refuting,
            agreement.qualifying,
            agreement.mentioning,
            agreement.appearances,
            agreement.articles,
            agreement.origins,
        )
        rows = format_html_join(
            "",
            "<li><strong>{}</strong> ({}): {}</li>",
            (
                (
                    origin.origin,
                    ", ".join(origin.stances),
                    "; ".join(str(article) for article in origin.articles),
                )
                for origin in breakdown.origins
            ),
        )
        return format_html("{}<ul>{}</ul>", summary, rows)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and stored_row(obj) is obj:
            # Only the inlines changed: no new version of the claim itself. (A revert's
            # form is unchanged against the old record it shows, and must still save.)
            return
        services.claim_save(
            claim=obj,
            user=request.user,
            expected_version=form.cleaned_data.get("expected_version"),
            correction_note=form.cleaned_data.get("correction_note", ""),
        )

    def delete_model(self, request, obj):
        services.claim_delete(claim=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for claim in queryset:
            try:
                services.claim_delete(claim=claim, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"“{claim}”: {error.messages[0]}", messages.ERROR)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves like the change view does, so it gets the same transaction.
        with transaction.atomic():
            return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(Claimant)
class ClaimantAdmin(HistoryAdmin):
    list_display = ["name", "kind", "description", "claim_total"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "kind", "description", "url", "expected_version", "public_outlets"]
    readonly_fields = ["public_outlets"]

    def get_queryset(self, request):
        # Grouping drops the model's default ordering; the list paginates, so keep one.
        return (
            super()
            .get_queryset(request)
            .annotate(claim_total=Count("claims"))
            .order_by("name", "pk")
        )

    @admin.display(description="Claims", ordering="claim_total")
    def claim_total(self, claimant):
        return claimant.claim_total

    @admin.display(description="Appeared in (from the public claims' reporting)")
    def public_outlets(self, claimant):
        if claimant.pk is None:
            return "—"
        return ", ".join(outlet.name for outlet in claimant.outlets()) or "—"

    def save_model(self, request, obj, form, change):
        services.claimant_save(
            claimant=obj, user=request.user, expected_version=form.opened_version
        )

    def delete_model(self, request, obj):
        services.record_delete(record=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for claimant in queryset:
            services.record_delete(record=claimant, user=request.user)
